"""Bad and unusual policy input: clear errors, every legal shape, size limits."""

from __future__ import annotations

import json

import pytest

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.tools.iam import diff_iam_policy
from lambda_specialist.tools.iam.policy import MAX_POLICY_CHARS, parse_policy


def test_invalid_json_names_the_line_and_column() -> None:
    with pytest.raises(InvalidInputError, match=r"line 3, column 5"):
        parse_policy('{\n  "Version": "2012-10-17",\n    ,\n}', name="policy_a")


def test_a_statement_without_effect_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="Effect"):
        parse_policy({"Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}, name="p")


def test_an_unknown_action_is_flagged_not_dropped() -> None:
    a = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
    b = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "*"}],
    }
    result = diff_iam_policy(None, policy_a=a, policy_b=json.dumps(b))

    assert result.unknown_actions == ["s3:getobjcet"]
    assert [e.actions for e in result.added.differences] == [["s3:getobjcet"]]
    assert [f.code for f in result.lint] == ["UNKNOWN_ACTION"]


def test_a_single_statement_object_and_string_values_are_legal() -> None:
    policy = parse_policy(
        {
            "Version": "2008-10-17",
            "Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::x"},
        },
        name="p",
    )

    assert (policy.version, policy.statements[0].not_action, policy.statements[0].not_resource) == (
        "2008-10-17",
        True,
        True,
    )


def test_a_20_kb_policy_is_diffed() -> None:
    statements = [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::bucket-{i:04d}/*",
        }
        for i in range(200)
    ]
    document = {"Version": "2012-10-17", "Statement": statements}
    assert 20_000 < len(json.dumps(document)) < MAX_POLICY_CHARS
    result = diff_iam_policy(
        None, policy_a={"Version": "2012-10-17", "Statement": statements[:100]}, policy_b=document
    )

    assert (result.added.action_count, result.removed.action_count) == (2, 0)


def test_a_1_mb_policy_is_refused_with_the_limit() -> None:
    huge = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::" + "x" * 1_000_000,
                }
            ]
        }
    )

    with pytest.raises(InvalidInputError, match="limit is 262,144"):
        diff_iam_policy(None, policy_a=huge, policy_b=huge)


def test_side_a_must_be_given_exactly_once() -> None:
    from lambda_specialist.tools.iam import needs_account

    with pytest.raises(InvalidInputError, match="side A"):
        needs_account(policy_a=None, policy_b="{}", role_a=None, role_b=None, function_name=None)
