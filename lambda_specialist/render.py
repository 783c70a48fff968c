"""Readable terminal output for tool results (the CLI's text mode and the demo)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

__all__ = ["render_result", "render_tools"]

_SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}


def render_result(tool: str, result: Any, console: Console | None = None) -> None:
    """Print one tool's structured result in a readable form."""
    console = console or Console()
    if tool == "inspect_function" and isinstance(result, dict):
        render_inspection(result, console)
    elif tool == "list_functions" and isinstance(result, dict):
        render_function_list(result, console)
    elif tool == "audit_account" and isinstance(result, dict):
        render_audit(result, console)
    else:
        console.print_json(data=result)


def render_function_list(result: dict[str, Any], console: Console) -> None:
    """Print list_functions as a table."""
    ctx = result["context"]
    table = Table(title=f"{result['count']} functions in {_where(ctx)}", title_justify="left")
    for column in ("name", "runtime", "arch", "memory", "timeout", "tracing"):
        table.add_column(column)
    for fn in result["functions"]:
        table.add_row(
            fn["name"],
            fn["runtime"] or "image",
            fn["architecture"],
            f"{fn['memory_mb']} MB",
            f"{fn['timeout_s']} s",
            fn["tracing"],
        )
    console.print(table)


def render_audit(result: dict[str, Any], console: Console) -> None:
    """Print audit_account: totals, the checks that fired, functions worst first."""
    counts = result["summary"]
    console.print(
        Panel(
            f"[bold]Account audit[/]: {result['functions_reviewed']} functions, "
            f"{_where(result['context'])}\n"
            + "  ".join(f"[{_SEVERITY_STYLE[s]}]{counts[s]} {s}[/]" for s in _SEVERITY_STYLE),
            expand=False,
        )
    )
    checks = Table(title="Checks that fired", title_justify="left")
    for column in ("severity", "check", "title", "functions"):
        checks.add_column(column)
    for tally in result["by_check"]:
        style = _SEVERITY_STYLE[tally["severity"]]
        checks.add_row(
            f"[{style}]{tally['severity']}[/]",
            tally["id"],
            tally["title"],
            str(len(tally["functions"])),
        )
    console.print(checks)
    worst = Table(title="Functions, worst first", title_justify="left")
    for column in ("function", "critical", "high", "medium", "low", "findings"):
        worst.add_column(column)
    for row in result["functions"]:
        s = row["summary"]
        worst.add_row(
            row["name"],
            str(s["critical"]),
            str(s["high"]),
            str(s["medium"]),
            str(s["low"]),
            " ".join(f["id"] for f in row["findings"]),
        )
    console.print(worst)
    for failed in result["failed"]:
        console.print(f"[red]Not reviewed[/] {failed['name']}: {failed['error']}")


def render_inspection(result: dict[str, Any], console: Console) -> None:
    """Print inspect_function: a header, the event sources and the findings by severity."""
    fn = result["function"]
    counts = result["summary"]
    header = (
        f"[bold]{fn['name']}[/] {fn['runtime'] or 'image'} {fn['architecture']} "
        f"{fn['memory_mb']} MB {fn['timeout_s']} s  tracing {fn['tracing_mode']}\n"
        f"{_where(result['context'])}\n"
        + "  ".join(f"[{_SEVERITY_STYLE[s]}]{counts[s]} {s}[/]" for s in _SEVERITY_STYLE)
    )
    console.print(Panel(header, expand=False))
    if result["event_sources"]:
        console.print(
            "Invoked by: "
            + ", ".join(f"{s['service']} ({s['kind']})" for s in result["event_sources"])
        )
    for finding in result["findings"]:
        style = _SEVERITY_STYLE[finding["severity"]]
        console.print(
            f"[{style}]{finding['severity'].upper():8}[/] [bold]{finding['id']}[/] "
            f"{finding['title']}"
        )
        evidence = ", ".join(f"{k}={_short(v)}" for k, v in finding["evidence"].items())
        console.print(f"         seen: {evidence}", style="dim", highlight=False)
        console.print(f"         fix:  {finding['fix']}", highlight=False)
    if result["not_evaluated"]:
        skipped = ", ".join(f"{n['check_id']} ({n['reason']})" for n in result["not_evaluated"])
        console.print(f"Not evaluated: {skipped}", style="dim", highlight=False)
    console.print()


def render_tools(listing: list[dict[str, Any]], console: Console | None = None) -> None:
    """Print the tool list with the first line of each description."""
    console = console or Console()
    table = Table(title="Tools", title_justify="left")
    table.add_column("name")
    table.add_column("what it does")
    table.add_column("read-only")
    for tool in listing:
        annotations = tool.get("annotations") or {}
        table.add_row(
            tool["name"],
            (tool["description"] or "").splitlines()[0],
            "yes" if annotations.get("readOnlyHint") else "no",
        )
    console.print(table)


def _where(ctx: dict[str, Any]) -> str:
    mock = " (embedded mock account)" if ctx.get("is_mock") else ""
    profile = f", profile {ctx['profile']}" if ctx.get("profile") else ""
    return f"account {ctx['account_id']}, {ctx['region']}{profile}{mock}"


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 90 else text[:87] + "..."
