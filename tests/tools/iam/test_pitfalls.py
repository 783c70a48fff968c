"""The pitfalls checklist of IAM semantics: one test per item."""

from __future__ import annotations

from lambda_specialist.tools.iam.catalog import load_catalog
from lambda_specialist.tools.iam.engine import analyse, covers
from lambda_specialist.tools.iam.evaluation import Request, is_allowed
from lambda_specialist.tools.iam.lint import lint_policy
from lambda_specialist.tools.iam.report import access_level
from tests.tools.iam.helpers import NOTHING, about, actions, allow, deny, diffs, policy

EMPTY = policy(allow("s3:GetObject", "arn:aws:s3:::x/y"))


def test_allow_with_not_action_grants_every_other_action_including_future_services() -> None:
    granted = actions(EMPTY, policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))

    assert (
        "iam:PassRole" in granted,
        "s3:PutObject" in granted,
        "newservice:futureaction" in granted,
    ) == (False, True, True)
    assert len(granted) > 20000


def test_allow_with_not_resource_grants_every_other_arn_including_other_accounts() -> None:
    b = policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}
    )
    found = diffs(EMPTY, b)

    assert any(covers(d, "s3:GetObject", "arn:aws:s3:::other/k") for d in found)
    assert not any(covers(d, "s3:GetObject", "arn:aws:s3:::secret/k") for d in found)


def test_not_principal_deny_spares_only_the_named_principal() -> None:
    p = policy(
        allow("sqs:SendMessage", "*", Principal="*"),
        {
            "Effect": "Deny",
            "Action": "sqs:*",
            "Resource": "*",
            "NotPrincipal": {"AWS": "111122223333"},
        },
    )
    results = [
        is_allowed(p, Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", ("AWS", who)))
        for who in ("arn:aws:iam::111122223333:root", "arn:aws:iam::999999999999:root")
    ]

    assert results == [True, False]


def test_deny_on_a_subset_of_resources_removes_only_that_subset() -> None:
    a = policy(allow("s3:*"), deny("s3:DeleteObject", "arn:aws:s3:::prod-*/*"))
    b = policy(allow("s3:*"))

    assert about(a, b, "s3:DeleteObject") == [(("*", "arn:aws:s3:::prod-*/*"), (), "definite")]
    assert about(a, b, "s3:GetObject") == []


def test_conditional_deny_makes_the_difference_conditional_not_absolute() -> None:
    a = policy(
        allow("*"),
        deny("*", Condition={"DateLessThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}),
    )
    b = policy(allow("*"))
    found = about(a, b, "s3:GetObject")

    assert {status for _, _, status in found} == {"conditional"}


def test_question_mark_matches_one_character_and_brackets_are_literal() -> None:
    assert actions(NOTHING, policy(allow("s3:Get?bject"))) == {"s3:GetObject", "s3:getqbject"}
    assert actions(NOTHING, policy(allow("s3:Get[O]bject"))) == {"s3:get[o]bject"}


def test_action_names_fold_case_but_arns_do_not() -> None:
    b = policy(allow("S3:GETOBJECT", "arn:aws:s3:::Bucket/*"))
    found = diffs(EMPTY, b)

    assert any(covers(d, "s3:getobject", "arn:aws:s3:::Bucket/k") for d in found)
    assert not any(covers(d, "s3:GetObject", "arn:aws:s3:::bucket/k") for d in found)


def test_a_trailing_star_crosses_colons_and_a_resource_star_spans_slashes() -> None:
    request = Request(
        "logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:s"
    )

    assert is_allowed(policy(allow("logs:PutLogEvents", "arn:aws:logs:*")), request) is True
    assert (
        is_allowed(policy(allow("logs:PutLogEvents", "arn:aws:logs:*:1:log-group:*")), request)
        is True
    )
    assert (
        is_allowed(policy(allow("logs:PutLogEvents", "arn:aws:*:1:log-group:*")), request) is False
    )


def test_an_action_without_resource_types_needs_star_and_is_reported_inert() -> None:
    b = policy(allow(["s3:ListAllMyBuckets", "s3:GetObject"], "arn:aws:s3:::bkt/*"))
    analysis = analyse(EMPTY, b)
    codes = [(f.code, f.statement) for f in lint_policy(b, analysis, role_session=False)]

    assert (actions(EMPTY, b), codes) == ({"s3:GetObject"}, [("GRANTS_NOTHING", 0)])


def test_bucket_and_object_arns_are_disjoint() -> None:
    granted = actions(NOTHING, policy(allow("s3:*", "arn:aws:s3:::bkt")))

    assert ("s3:ListBucket" in granted, "s3:GetObject" in granted) == (True, False)


def test_log_stream_actions_need_the_stream_suffix() -> None:
    bare = policy(allow("logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f"))
    suffixed = policy(
        allow("logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*")
    )

    assert (actions(EMPTY, bare), actions(EMPTY, suffixed)) == (set(), {"logs:PutLogEvents"})


def test_an_unqualified_function_arn_does_not_cover_versions_or_aliases() -> None:
    p = policy(allow("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f"))
    results = [
        is_allowed(p, Request("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:1:function:{q}"))
        for q in ("f", "f:1", "f:live")
    ]

    assert results == [True, False, False]


def test_without_version_2012_variables_are_literal_text() -> None:
    resource = "arn:aws:s3:::home/${aws:userid}/*"
    old = policy(allow("s3:GetObject", resource), version=None)
    new = policy(allow("s3:GetObject", resource))
    request = Request(
        "s3:GetObject", "arn:aws:s3:::home/AIDA1/k", context={"aws:userid": ("AIDA1",)}
    )

    assert (is_allowed(old, request), is_allowed(new, request)) == (False, True)
    assert [f.code for f in lint_policy(old, analyse(EMPTY, old), role_session=True)][:2] == [
        "MISSING_VERSION",
        "OLD_VERSION",
    ]


def test_a_username_variable_never_resolves_for_a_role_session() -> None:
    p = policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))
    codes = [f.code for f in lint_policy(p, analyse(EMPTY, p), role_session=True)]

    assert codes == ["UNRESOLVABLE_VARIABLE"]
    assert is_allowed(p, Request("s3:GetObject", "arn:aws:s3:::home/u/k")) is False


def test_missing_keys_if_exists_null_for_all_values_and_negated_lists() -> None:
    def allowed(condition: dict[str, object], context: dict[str, tuple[str, ...]]) -> bool | None:
        return is_allowed(
            policy(allow("s3:GetObject", Condition=condition)),
            Request("s3:GetObject", "arn:aws:s3:::b/k", context=context),
        )

    assert [
        allowed({"StringEquals": {"aws:SourceVpc": "vpc-1"}}, {}),
        allowed({"StringNotEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}}, {}),
        allowed(
            {"StringNotEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}},
            {"aws:sourcevpc": ("vpc-2",)},
        ),
        allowed({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, {}),
        allowed({"Null": {"aws:SourceVpc": "true"}}, {}),
        allowed({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {}),
        allowed({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {}),
        allowed({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:tagkeys": ("a", "b")}),
        allowed({"BinaryEquals": {"aws:Whatever": "QQ=="}}, {}),
    ] == [False, True, False, True, True, True, False, False, None]


def test_uninterpreted_operators_make_a_difference_unknown() -> None:
    b = policy(allow("s3:GetObject", Condition={"BinaryEquals": {"aws:Whatever": "QQ=="}}))

    assert {status for _, _, status in about(EMPTY, b, "s3:GetObject")} == {"unknown"}


def test_one_actions_resources_split_across_statements_form_a_union() -> None:
    split = policy(
        allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("s3:GetObject", "arn:aws:s3:::b/*")
    )
    joined = policy(allow("s3:GetObject", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]))

    assert (diffs(split, joined), diffs(joined, split)) == ([], [])


def test_unknown_actions_are_flagged_and_wildcards_carry_future_actions() -> None:
    b = policy(allow(["s3:GetObjcet", "s3:Get*"]))
    analysis = analyse(EMPTY, b)

    assert analysis.unknown_actions == ("s3:getobjcet",)
    assert {"s3:getobjcet", "s3:getfutureaction"} <= actions(EMPTY, b)


def test_compound_access_levels_take_the_most_sensitive_one() -> None:
    info = load_catalog().action("iam:TagRole")
    assert info is not None and access_level(info) == "Tagging"
    levels = {access_level(a) for s in ("iam", "s3") for a in load_catalog().actions(s).values()}
    assert levels <= {"Permissions management", "Tagging", "Write", "Read", "List"}


def test_a_shared_service_prefix_is_one_catalog_service() -> None:
    elb = load_catalog().actions("elasticloadbalancing")

    assert {"createloadbalancer", "createtargetgroup"} <= set(elb)


def test_an_account_id_principal_means_that_accounts_root() -> None:
    p = policy(allow("sqs:SendMessage", "*", Principal={"AWS": "111122223333"}))

    assert p.statements[0].principals == (("AWS", "arn:aws:iam::111122223333:root"),)


def test_a_principal_restricted_grant_is_conditional_on_the_caller() -> None:
    a = policy(allow("sqs:SendMessage", "*", Principal={"AWS": "111122223333"}))
    b = policy(allow("sqs:SendMessage", "*", Principal="*"))
    found = diffs(a, b)

    assert {d.status for d in found} == {"conditional"}
    assert {d.witness.principal for d in found} == {("AWS", "arn:aws:iam::999999999999:root")}


def test_diff_of_a_policy_with_itself_is_empty() -> None:
    p = policy(
        allow("s3:*"),
        deny(
            "s3:Delete*",
            "arn:aws:s3:::prod/*",
            Condition={"Bool": {"aws:SecureTransport": "false"}},
        ),
    )

    assert analyse(p, p).differences == ()
