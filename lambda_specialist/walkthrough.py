"""The demo: the mock account, the MCP server as a subprocess, and an IDE-like client."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import anyio
from rich.console import Console

from lambda_specialist.render import render_result

__all__ = ["run_walkthrough"]


def run_walkthrough(*, region: str = "us-east-1", console: Console | None = None) -> int:
    """Start a seeded mock account, then drive `lambda-specialist serve` over stdio."""
    from lambda_specialist.demo.server import start_seeded

    console = console or Console()
    with console.status("Seeding the embedded mock account (Tidewater Goods)..."):
        account = start_seeded(region)
    try:
        report = account.seed_report
        if report is not None:
            console.print(
                f"[green]Mock account ready[/] at {account.endpoint_url}: "
                f"{len(report.functions)} functions seeded in {report.seconds:.1f} s."
            )
        anyio.run(_drive, account.endpoint_url, region, console)
    finally:
        account.stop()
    return 0


async def _drive(endpoint_url: str, region: str, console: Console) -> None:
    from mcp import Client, StdioServerParameters

    env = {
        **os.environ,
        "LAMBDA_SPECIALIST_MOCK": "true",
        "LAMBDA_SPECIALIST_ENDPOINT_URL": endpoint_url,
        "LAMBDA_SPECIALIST_REGION": region,
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "lambda_specialist.cli", "serve"], env=env
    )
    console.print("Starting [bold]lambda-specialist serve[/] over stdio, as an IDE would...")
    async with Client(params) as client:
        tools = await client.list_tools()
        prompts = await client.list_prompts()
        console.print(f"Tools: {', '.join(t.name for t in tools.tools)}")
        console.print(f"Prompts: {', '.join(p.name for p in prompts.prompts)}\n")
        listing = await _call(client, "list_functions", {})
        render_result("list_functions", listing, console)
        audit = await _call(client, "audit_account", {})
        render_result("audit_account", audit, console)
        console.print("\n[bold]Each function, worst first:[/]\n")
        for row in audit["functions"]:
            result = await _call(client, "inspect_function", {"function_name": row["name"]})
            render_result("inspect_function", result, console)


async def _call(client: Any, name: str, arguments: dict[str, Any]) -> Any:
    result = await client.call_tool(name, arguments)
    if result.is_error:
        raise RuntimeError(f"{name} failed: {result.content[0].text}")
    return result.structured_content or json.loads(result.content[0].text)
