"""Every tool through the SDK's in-memory client, in both protocol eras."""

from __future__ import annotations

import pytest
from mcp import Client

from lambda_specialist.config import Settings
from lambda_specialist.demo.scenario import CANARY_VALUES, FUNCTION_NAMES
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.functions import FunctionList
from lambda_specialist.tools.inspection import FunctionInspection

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]


@pytest.mark.parametrize("mode", MODES)
async def test_both_tools_are_listed_read_only_with_output_schemas(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        tools = (await client.list_tools()).tools

    assert {
        t.name: (t.annotations.read_only_hint, t.output_schema is not None)
        for t in tools
        if t.annotations
    } == {"list_functions": (True, True), "inspect_function": (True, True)}


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
