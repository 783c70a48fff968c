"""AWS managed policies (the copies moto ships) diffed pairwise, results pinned."""

from __future__ import annotations

import json
from typing import Any

from moto.iam.aws_managed_policies import aws_managed_policies_data

from lambda_specialist.tools.iam import diff_iam_policy

MANAGED: dict[str, Any] = json.loads(aws_managed_policies_data)


def _doc(name: str) -> Any:
    return MANAGED[name]["Document"]


def test_lambda_full_access_adds_writes_and_pass_role_over_read_only() -> None:
    result = diff_iam_policy(
        None, policy_a=_doc("AWSLambda_ReadOnlyAccess"), policy_b=_doc("AWSLambda_FullAccess")
    )

    assert (result.added.action_count, result.removed.action_count) == (82, 5)
    assert result.added.by_service["lambda"] == {
        "Permissions management": 8,
        "Tagging": 2,
        "Write": 68,
        "Unknown": 1,
    }
    assert sorted({(f.code, f.where) for f in result.risk_flags}) == [
        ("privilege-escalation", "added"),
        ("wildcard-resource", "added"),
    ]
    assert result.context is None and result.catalog_version == "0.1.202610271"


def test_vpc_execution_role_adds_exactly_the_network_interface_actions() -> None:
    result = diff_iam_policy(
        None,
        policy_a=_doc("AWSLambdaBasicExecutionRole"),
        policy_b=_doc("AWSLambdaVPCAccessExecutionRole"),
    )

    assert sorted(a for e in result.added.differences for a in e.actions) == [
        "ec2:AssignPrivateIpAddresses",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:UnassignPrivateIpAddresses",
    ]
    assert result.removed.action_count == 0


def test_every_witness_names_an_action_of_its_entry() -> None:
    result = diff_iam_policy(
        None, policy_a=_doc("AWSLambdaExecute"), policy_b=_doc("AWSLambdaBasicExecutionRole")
    )

    assert all(
        e.witness.action in e.actions for e in result.added.differences + result.removed.differences
    )
    assert result.removed.by_service == {
        "logs": {"Tagging": 4, "Write": 44, "Read": 18, "List": 7, "Unknown": 1},
        "s3": {"Write": 1, "Read": 1},
    }
