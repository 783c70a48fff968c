"""Every word the Slack app shows, and the Block Kit messages built from tool results.

Messages stay inside Slack's limits (50 blocks, 3,000 characters a section, 10 fields, 150
characters a header); a result too long to show whole is summarised, and the full result is
attached as a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_BLOCKS",
    "Message",
    "applied_message",
    "error_message",
    "help_message",
    "notice",
    "plan_message",
    "render",
    "usage_message",
    "working_on",
]

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FIELDS = 10
_ICON = {
    "critical": ":red_circle:",
    "high": ":large_orange_circle:",
    "medium": ":large_yellow_circle:",
    "low": ":large_blue_circle:",
    "info": ":white_circle:",
}
_SEVERITIES = ("critical", "high", "medium", "low", "info")

Block = dict[str, Any]

NOT_ALLOWED = (
    ":no_entry: Only users on the allow-list (LAMBDA_SPECIALIST_SLACK_APPLIERS) may "
    "apply changes. Nothing was changed."
)
PLAN_GONE = (
    ":hourglass: This plan is unknown, expired or already used. Nothing was changed: "
    "run the command again for a fresh plan."
)
STATE_CHANGED = (
    ":warning: The account changed since this plan was made, so it was not "
    "applied. Nothing was changed: run the command again for a fresh plan."
)


@dataclass(frozen=True)
class Message:
    """A Slack message: fallback text, blocks, and an optional file with the full result."""

    text: str
    blocks: list[Block]
    file_name: str | None = None
    file_content: str | None = None
    ephemeral: bool = False
    image_path: str | None = None


def working_on(command_text: str) -> str:
    """The immediate acknowledgement."""
    return f":hourglass_flowing_sand: Working on `/lambda {_clip(command_text, 200)}`..."


def usage_message(problem: str, usage: str) -> Message:
    """A command that could not be read: what was wrong, and how to write it."""
    return Message(
        text=f"{problem}\n{usage}", blocks=[_section(f":warning: {problem}"), _section(usage)]
    )


def help_message(usage: str) -> Message:
    """The answer to /lambda help."""
    return Message(
        text=usage,
        blocks=[
            _header("AWS Lambda specialist"),
            _section(
                "Reads your account and answers with evidence. Read-only unless you press "
                "*Apply* on a plan (allowed users only)."
            ),
            _section(usage),
        ],
    )


def error_message(text: str) -> Message:
    """A tool error, in the tool's own words (already redacted)."""
    return Message(
        text=text, blocks=[_section(f":x: {_clip(text, MAX_SECTION - 4)}")], ephemeral=True
    )


def render(tool: str, result: dict[str, Any]) -> Message:
    """Build the message for a tool's structured result."""
    renderer = {
        "inspect_function": _inspection,
        "audit_account": _audit,
        "list_functions": _function_list,
    }.get(tool, _generic)
    message = renderer(tool, result)
    if len(message.blocks) > MAX_BLOCKS:
        kept = [
            *message.blocks[: MAX_BLOCKS - 1],
            _context("The full result is attached as a file: this message shows the top."),
        ]
        message = Message(
            text=message.text,
            blocks=kept,
            file_name=f"{tool}.json",
            file_content=json.dumps(result, indent=2),
        )
    return message


def _inspection(tool: str, result: dict[str, Any]) -> Message:
    fn, counts = result["function"], result["summary"]
    blocks = [
        _header(f"{fn['name']}: {_count_line(counts)}"),
        _context(
            f"{fn['runtime'] or 'image'} · {fn['architecture']} · {fn['memory_mb']} MB · "
            f"{fn['timeout_s']} s · tracing {fn['tracing_mode']} · {_where(result)}"
        ),
    ]
    sources = ", ".join(f"{s['service']} ({s['kind']})" for s in result["event_sources"])
    if sources:
        blocks.append(_context(f"Invoked by {sources}"))
    for severity in _SEVERITIES:
        findings = [f for f in result["findings"] if f["severity"] == severity]
        if not findings:
            continue
        blocks.append({"type": "divider"})
        for finding in findings:
            blocks.append(
                _section(
                    f"{_ICON[severity]} *{finding['id']}* {finding['title']}\n"
                    f"*Fix:* {finding['fix']}"
                )
            )
            blocks.append(_context("Seen: " + _evidence(finding["evidence"])))
    if result["not_evaluated"]:
        skipped = ", ".join(n["check_id"] for n in result["not_evaluated"])
        blocks.append(_context(f"Not evaluated: {skipped}"))
    if not result["findings"]:
        blocks.append(_section(":white_check_mark: No findings: this function looks healthy."))
    blocks.append(_next_steps(fn["name"], {f["id"] for f in result["findings"]}))
    return Message(text=f"{fn['name']}: {_count_line(counts)}", blocks=blocks)


def _audit(tool: str, result: dict[str, Any]) -> Message:
    counts = result["summary"]
    blocks = [
        _header(f"Account audit: {result['functions_reviewed']} functions"),
        _context(f"{_count_line(counts)} · {_where(result)}"),
    ]
    worst = [r for r in result["functions"] if r["worst_severity"]][:MAX_FIELDS]
    if worst:
        blocks.append(_section("*Worst first*"))
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": _clip(
                            f"{_ICON[r['worst_severity']]} *{r['name']}*\n"
                            + " ".join(f["id"] for f in r["findings"]),
                            2000,
                        ),
                    }
                    for r in worst
                ],
            }
        )
    checks = [
        f"{_ICON[t['severity']]} *{t['id']}* {t['title']} ({len(t['functions'])})"
        for t in result["by_check"]
    ]
    if checks:
        blocks.append(_section("*Checks that fired*\n" + "\n".join(checks)))
    for failed in result["failed"]:
        blocks.append(_context(f":x: Not reviewed: {failed['name']}: {failed['error']}"))
    return Message(text=f"Account audit: {_count_line(counts)}", blocks=blocks)


def _memory(tool: str, result: dict[str, Any]) -> Message:
    now, best = result["current_memory_mb"], result["recommended_memory_mb"]
    arch_now, arch_best = result["current_architecture"], result["recommended_architecture"]
    head = (
        f"{result['function_name']}: {now} MB {arch_now} → {best} MB {arch_best}"
        if result["verdict"] == "change"
        else f"{result['function_name']}: keep {now} MB {arch_now}"
        if result["verdict"] == "keep"
        else f"{result['function_name']}: not enough evidence yet"
    )
    fields = [
        f"*Confidence*\n{result['confidence']}",
        f"*Bottleneck*\n{result['bottleneck']}",
        f"*Memory floor*\n{result['memory_floor_mb']} MB",
    ]
    if result.get("monthly_cost_now_usd") is not None:
        fields.append(f"*Monthly cost now*\n${result['monthly_cost_now_usd']:,.2f}")
    if result.get("monthly_cost_recommended_usd") is not None:
        fields.append(f"*Recommended*\n${result['monthly_cost_recommended_usd']:,.2f}")
    blocks = [
        _header(head),
        _context(f"strategy {result['strategy']} · {_where(result)}"),
        _section(result["summary"]),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    notes = result.get("risks", []) + result.get("evidence_gaps", [])
    if notes:
        blocks.append(_section("*Risks and gaps*\n" + "\n".join(f"• {n}" for n in notes[:8])))
    return Message(text=head, blocks=blocks)


def _function_list(tool: str, result: dict[str, Any]) -> Message:
    rows = [
        f"`{f['name']}` {f['runtime'] or 'image'} · {f['architecture']} · "
        f"{f['memory_mb']} MB · {f['timeout_s']} s"
        for f in result["functions"]
    ]
    blocks = [_header(f"{result['count']} functions"), _context(_where(result))]
    for start in range(0, len(rows), 25):
        blocks.append(_section("\n".join(rows[start : start + 25])))
    return Message(text=f"{result['count']} functions", blocks=blocks)


def _generic(tool: str, result: dict[str, Any]) -> Message:
    """Any other tool: its headline fields, and the whole result as a file."""
    headline = {
        k: v
        for k, v in result.items()
        if isinstance(v, str | int | float | bool) and k != "context"
    }
    lines = [f"*{k.replace('_', ' ')}:* {v}" for k, v in list(headline.items())[:15]]
    blocks = [_header(tool.replace("_", " ").capitalize())]
    if "context" in result:
        blocks.append(_context(_where(result)))
    blocks.append(_section("\n".join(lines) or "Done."))
    return Message(
        text=f"{tool} finished",
        blocks=blocks,
        file_name=f"{tool}.json",
        file_content=json.dumps(result, indent=2),
    )


def plan_message(
    tool: str, result: dict[str, Any], plan_id: str | None, *, target: str = ""
) -> Message:
    """A write's plan with Apply and Cancel buttons (no buttons when there is nothing to do)."""
    steps = result["plan"]["steps"]
    blocks = [
        _header(f"Plan: {tool.replace('_', ' ')} {target}".strip()),
        _context(f"{_where(result)} · nothing changes until an allowed user presses Apply"),
    ]
    if not steps:
        blocks.append(
            _section(":white_check_mark: Nothing to change: the account already matches.")
        )
        return Message(text="Nothing to change.", blocks=blocks)
    for number, step in enumerate(steps, start=1):
        call = step["call"]
        blocks.append(
            _section(
                f"*{number}.* `{step['field']}` on `{step['resource']}`\n"
                f"{_value(step['before'])} → {_value(step['after'])}  ({call['service']}:"
                f"{call['operation']})\n_{step['why']}_"
            )
        )
    for note in result["plan"].get("notes", [])[:5]:
        blocks.append(_context(note))
    if plan_id:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {**_button("Apply", "lambda_apply", plan_id), "style": "primary"},
                    {**_button("Cancel", "lambda_cancel", plan_id)},
                ],
            }
        )
    return Message(
        text=f"Plan with {len(steps)} step(s): press Apply to change the account.", blocks=blocks
    )


def applied_message(result: dict[str, Any], user: str) -> Message:
    """What an Apply did, and the plan that undoes it."""
    applied = result.get("applied_steps", [])
    rollback = result.get("rollback", {}).get("steps", [])
    lines = [f"• `{s['field']}`: {_value(s['before'])} → {_value(s['after'])}" for s in applied]
    undo = [
        f"• `{s['field']}` back to {_value(s['after'])} ({s['call']['operation']})"
        for s in rollback
    ]
    head = (
        f":white_check_mark: Applied by <@{user}>, verified by reading back."
        if result.get("changed")
        else f"Nothing needed changing (checked for <@{user}>)."
    )
    blocks = [_section(head)]
    if lines:
        blocks.append(_section("*Changed*\n" + "\n".join(lines)))
    if undo:
        blocks.append(_section("*To roll back*\n" + "\n".join(undo)))
    return Message(text=head, blocks=blocks)


def cancelled(user: str) -> Message:
    """The answer to Cancel."""
    return notice(f"Cancelled by <@{user}>. Nothing was changed.")


def notice(text: str) -> Message:
    """A short ephemeral notice (refused apply, expired plan, cancelled)."""
    return Message(text=text, blocks=[_section(text)], ephemeral=True)


def _value(value: Any) -> str:
    return f"`{_clip(json.dumps(value), 200)}`"


def _next_steps(function_name: str, finding_ids: set[str]) -> Block:
    buttons = [_button("Suggest memory", "lambda_next_memory", function_name)]
    if "TR-01" in finding_ids:
        buttons.append(_button("Plan tracing", "lambda_next_tracing", function_name))
    buttons.append(_button("Cold starts", "lambda_next_coldstarts", function_name))
    return {"type": "actions", "elements": buttons}


def _button(label: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:75]},
        "action_id": action_id,
        "value": value[:2000],
    }


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": _clip(text, MAX_HEADER)}}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, MAX_SECTION)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, 2000)}]}


def _count_line(counts: dict[str, int]) -> str:
    parts = [f"{counts[s]} {s}" for s in _SEVERITIES if counts.get(s)]
    return ", ".join(parts) or "no findings"


def _where(result: dict[str, Any]) -> str:
    ctx = result.get("context") or {}
    mock = " (mock account)" if ctx.get("is_mock") else ""
    return f"account {ctx.get('account_id')} · {ctx.get('region')}{mock}"


def _evidence(evidence: dict[str, Any]) -> str:
    parts = []
    for key, value in evidence.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    return _clip("; ".join(parts), 1900)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
