"""The server as a subprocess over stdio, as an IDE starts it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from lambda_specialist.demo.server import MockAccount
from lambda_specialist.tools.inspection import FunctionInspection
from tests.e2e.conftest import child_env, mock_env

pytestmark = pytest.mark.anyio


def serve(env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "lambda_specialist.cli", "serve"], env=env
    )


async def test_stdio_server_inspects_a_seeded_function(
    mock_account: MockAccount, tmp_path: Path
) -> None:
    async with Client(serve(mock_env(tmp_path, mock_account))) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        result = await client.call_tool("inspect_function", {"function_name": "orders-api"})

    review = FunctionInspection.model_validate(result.structured_content)
    assert names[:2] == ["list_functions", "inspect_function"]
    assert "TR-01" in {f.id for f in review.findings}


async def test_without_credentials_a_call_is_a_clear_tool_error(tmp_path: Path) -> None:
    env = child_env(
        tmp_path,
        LAMBDA_SPECIALIST_REGION="us-east-1",
        LAMBDA_SPECIALIST_ENDPOINT_URL="http://127.0.0.1:9",
    )
    async with Client(serve(env)) as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool("list_functions", {})

    assert len(tools) >= 2
    assert result.is_error
    assert "No AWS credentials were found" in result.content[0].text
