"""Every tool through the SDK's in-memory client, in both protocol eras."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from lambda_specialist.config import Settings
from lambda_specialist.demo.scenario import CANARY_VALUES, FUNCTION_NAMES
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.functions import FunctionList
from lambda_specialist.tools.inspection import FunctionInspection

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]


READ_ONLY_TOOLS = {
    "list_functions",
    "inspect_function",
    "audit_account",
    "suggest_memory",
    "analyze_cold_starts",
    "diff_iam_policy",
    "inspect_layer",
}
WRITE_TOOLS = {"enable_tracing", "disable_tracing", "apply_memory", "generate_layer"}


@pytest.mark.parametrize("mode", MODES)
async def test_every_tool_declares_annotations_and_an_output_schema(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        tools = (await client.list_tools()).tools

    assert {t.name for t in tools} == READ_ONLY_TOOLS | WRITE_TOOLS
    assert {t.name for t in tools if t.annotations and t.annotations.read_only_hint} == (
        READ_ONLY_TOOLS
    )
    assert [t.name for t in tools if t.output_schema is None] == []


@pytest.mark.parametrize("mode", MODES)
async def test_list_functions_returns_the_seeded_account(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_functions", {})

    listing = FunctionList.model_validate(result.structured_content)
    assert sorted(f.name for f in listing.functions) == sorted(FUNCTION_NAMES)


@pytest.mark.parametrize("mode", MODES)
async def test_inspect_function_returns_a_structured_review(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("inspect_function", {"function_name": "customer-sync"})

    review = FunctionInspection.model_validate(result.structured_content)
    assert (result.is_error, review.function.name) == (False, "customer-sync")
    assert {"FN-07", "IA-01", "IA-02"} <= {f.id for f in review.findings}
    assert [v for v in CANARY_VALUES if v in str(result.model_dump())] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "arguments",
    [
        {"function_name": "orders-apy"},
        {"function_name": "arn:aws:lambda:us-east-1:function:orders-api"},
        {"function_name": "arn:aws:lambda:eu-west-1:123456789012:function:orders-api"},
        {},
        {"function_name": ""},
        {"function_name": "orders-api", "region": "mars-1"},
        {"function_name": "orders-api", "role_arn": "arn:aws:iam::123456789012:role/x"},
    ],
    ids=[
        "unknown",
        "malformed-arn",
        "other-region",
        "missing",
        "empty",
        "bad-region",
        "role-not-allowed",
    ],
)
async def test_bad_input_is_a_clear_tool_error(
    settings: Settings, mode: str, arguments: dict[str, str]
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("inspect_function", arguments)

    text = result.content[0].text
    assert result.is_error
    assert "Traceback" not in text and text != "Error executing tool inspect_function"


@pytest.mark.parametrize("mode", MODES)
async def test_the_persona_is_served_as_a_prompt(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        prompt = await client.get_prompt("lambda_specialist")

    text = prompt.messages[0].content.text
    assert "inspect_function" in text and "list_functions" in text


@pytest.mark.parametrize("mode", MODES)
async def test_audit_account_reports_progress_and_ranks_functions(
    settings: Settings, mode: str
) -> None:
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)

    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "audit_account", {"name_prefix": "notify-"}, progress_callback=on_progress
        )

    rows = result.structured_content["functions"]
    assert [r["name"] for r in rows] == ["notify-analytics", "notify-sms", "notify-email"]
    assert sorted(updates) == [1, 2, 3]


@pytest.mark.parametrize("mode", MODES)
async def test_the_check_catalogue_is_a_resource(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
        contents = await client.read_resource("lambda://checks")

    catalogue = json.loads(contents.contents[0].text)
    assert "lambda://checks" in listed
    assert len(catalogue) >= 40
    assert {"id", "family", "severity", "title", "fix", "docs_url"} <= set(catalogue[0])


@pytest.mark.parametrize("mode", MODES)
async def test_a_function_configuration_is_a_resource_template(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        templates = [
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        ]
        contents = await client.read_resource("lambda://functions/customer-sync/config")

    config = json.loads(contents.contents[0].text)
    assert "lambda://functions/{name}/config" in templates
    assert (config["name"], config["environment_variable_names"]) == (
        "customer-sync",
        ["DATABASE_URL", "DB_PASSWORD", "LOG_LEVEL", "STRIPE_API_KEY", "TABLE_NAME"],
    )
    assert [v for v in CANARY_VALUES if v in contents.contents[0].text] == []
