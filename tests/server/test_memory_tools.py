"""suggest_memory and analyze_cold_starts through the SDK's in-memory client, both eras."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from mcp import Client

from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.cold_starts import ColdStartAnalysis
from lambda_specialist.tools.memory import MemorySuggestion

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("mode", MODES)
async def test_suggest_memory_returns_structured_content_and_a_png_chart(
    settings: Settings, mode: str, tmp_path: Path
) -> None:
    chart = tmp_path / "pdf.png"
    async with Client(build_server(settings), mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        result = await client.call_tool(
            "suggest_memory", {"function_name": "pdf-renderer", "chart_path": str(chart)}
        )

    suggestion = MemorySuggestion.model_validate(result.structured_content)
    image = next(block for block in result.content if block.type == "image")
    assert (result.is_error, suggestion.verdict, suggestion.chart_file) == (
        False,
        "change",
        str(chart.resolve()),
    )
    assert (image.mime_type, base64.b64decode(image.data)[:8]) == ("image/png", PNG_MAGIC)
    assert chart.read_bytes()[:8] == PNG_MAGIC
    assert tools["suggest_memory"].output_schema is not None


@pytest.mark.parametrize("mode", MODES)
async def test_analyze_cold_starts_returns_a_structured_analysis(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("analyze_cold_starts", {"function_name": "orders-api"})

    analysis = ColdStartAnalysis.model_validate(result.structured_content)
    assert (result.is_error, analysis.function_name, 0.06 <= analysis.cold_start_rate <= 0.1) == (
        False,
        "orders-api",
        True,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "arguments",
    [
        {"function_name": "orders-apy"},
        {"function_name": "pdf-renderer", "chart_path": "/no/such/folder/chart.png"},
        {"function_name": "pdf-renderer", "chart_path": "chart.jpg"},
    ],
)
async def test_bad_input_is_a_tool_error(
    settings: Settings, mode: str, arguments: dict[str, str]
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("suggest_memory", arguments)

    assert (result.is_error, result.content[0].type) == (True, "text")
