"""diff_iam_policy through the real in-memory MCP client, in both protocol modes."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.iam import PolicyDiff

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]
BASIC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
}
WIDER = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["logs:PutLogEvents", "iam:PassRole"], "Resource": "*"}
    ],
}


@pytest.mark.parametrize("mode", MODES)
async def test_documents_are_diffed_locally_with_a_null_context(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "diff_iam_policy", {"policy_a": json.dumps(BASIC), "policy_b": WIDER}
        )
    diff = PolicyDiff.model_validate(result.structured_content)

    assert (result.is_error, diff.context, [e.actions for e in diff.added.differences]) == (
        False,
        None,
        [["iam:PassRole"]],
    )
    assert [f.code for f in diff.risk_flags] == ["privilege-escalation", "wildcard-resource"]


@pytest.mark.parametrize("mode", MODES)
async def test_invalid_json_is_a_tool_error_naming_line_and_column(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "diff_iam_policy", {"policy_a": '{"Statement": [}', "policy_b": BASIC}
        )

    assert result.is_error
    assert "line 1, column 16" in result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", MODES)
async def test_mixing_function_name_with_documents_is_a_tool_error(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "diff_iam_policy", {"function_name": "customer-sync", "policy_a": BASIC}
        )

    assert result.is_error


@pytest.mark.parametrize("mode", MODES)
async def test_customer_sync_shows_dangerous_unneeded_access_and_a_proven_proposal(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("diff_iam_policy", {"function_name": "customer-sync"})
    diff = PolicyDiff.model_validate(result.structured_content)

    assert diff.context is not None and diff.context.is_mock
    assert diff.added.action_count == 0
    assert sorted(diff.removed.by_service) == ["iam", "logs", "s3"]
    assert {(f.code, f.where) for f in diff.risk_flags} >= {
        ("privilege-escalation", "removed"),
        ("data-exfiltration", "removed"),
    }
    assert diff.proof is not None and (diff.proof.no_new_access, diff.proof.covers_needs) == (
        True,
        True,
    )
    assert diff.proposed_policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Need1",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [
                    f"arn:aws:logs:{diff.context.region}:{diff.context.account_id}:log-group:/aws/lambda/customer-sync",
                    f"arn:aws:logs:{diff.context.region}:{diff.context.account_id}:log-group:/aws/lambda/customer-sync:*",
                ],
            }
        ],
    }


@pytest.mark.parametrize("mode", MODES)
async def test_two_roles_are_read_from_the_account(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "diff_iam_policy", {"role_a": "customer-sync-role", "role_b": "customer-sync-role"}
        )
    diff = PolicyDiff.model_validate(result.structured_content)

    assert (diff.added.action_count, diff.removed.action_count, diff.context is not None) == (
        0,
        0,
        True,
    )
