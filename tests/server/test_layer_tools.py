"""generate_layer and inspect_layer through the SDK's in-memory client, in both protocol eras."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.layers.doctor import LayerInspection
from lambda_specialist.tools.layers.generate import LayerBuild
from tests.tools.layers import conftest as layer_fixtures

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]
# The offline package index of the layer tool tests.
wheelhouse = layer_fixtures.wheelhouse
offline_pip = layer_fixtures.offline_pip


@pytest.mark.parametrize("mode", MODES)
async def test_both_layer_tools_are_listed_with_truthful_annotations(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}

    hints = {
        name: (
            tools[name].annotations.read_only_hint,  # type: ignore[union-attr]
            tools[name].annotations.destructive_hint,  # type: ignore[union-attr]
            tools[name].annotations.idempotent_hint,  # type: ignore[union-attr]
            tools[name].output_schema is not None,
        )
        for name in ("generate_layer", "inspect_layer")
    }
    assert hints == {
        "generate_layer": (False, False, True, True),
        "inspect_layer": (True, False, True, True),
    }


@pytest.mark.parametrize("mode", MODES)
async def test_generate_layer_builds_a_zip_and_reports_progress(
    settings: Settings,
    offline_pip: Path,
    mode: str,
) -> None:
    messages: list[str] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        messages.append(message or "")

    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "generate_layer",
            {"requirements": ["tinynative==1.0"], "runtime": "python3.12", "architecture": "arm64"},
            progress_callback=on_progress,
        )

    build = LayerBuild.model_validate(result.structured_content)
    assert (result.is_error, Path(build.path).parent, build.native_libraries[0].machine) == (
        False,
        offline_pip,
        "arm64 (aarch64)",
    )
    assert [m.split(":")[0].split(" ")[0] for m in messages if m][:1] == ["resolving"]
    assert messages[-1].startswith("wrote layer-python3.12-arm64-")


@pytest.mark.parametrize("mode", MODES)
async def test_generate_layer_refusal_is_a_tool_error(
    settings: Settings,
    offline_pip: Path,
    mode: str,
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "generate_layer", {"requirements": "nativesrc", "runtime": "python3.12"}
        )

    assert (result.is_error, list(offline_pip.iterdir())) == (True, [])


@pytest.mark.parametrize("mode", MODES)
async def test_inspect_layer_explains_the_demo_function_broken_layer(
    settings: Settings, mode: str
) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("inspect_layer", {"function_name": "image-labeler"})

    report = LayerInspection.model_validate(result.structured_content)
    assert (result.is_error, [f.id for f in report.findings], report.context is not None) == (
        False,
        ["LY-04", "LY-04", "LY-04", "LY-06"],
        True,
    )


@pytest.mark.parametrize("mode", MODES)
async def test_inspect_layer_reads_a_local_zip_without_aws(
    settings: Settings, tmp_path: Path, mode: str
) -> None:
    from lambda_specialist.demo.broken_layer import broken_layer_package

    path = tmp_path / "vision.zip"
    path.write_bytes(broken_layer_package())
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "inspect_layer", {"layer": str(path), "runtime": "python3.11", "architecture": "arm64"}
        )

    report = LayerInspection.model_validate(result.structured_content)
    assert (report.context, [f.id for f in report.findings]) == (
        None,
        ["LY-04", "LY-04", "LY-04", "LY-06"],
    )
