"""The /lambda parser: subcommands become tool calls; anything else gets usage."""

from __future__ import annotations

import pytest

from lambda_specialist.slack_app.commands import CommandError, parse_command


@pytest.mark.parametrize(
    ("text", "tool", "arguments"),
    [
        ("inspect orders-api", "inspect_function", {"function_name": "orders-api"}),
        (
            "inspect orders-api --region eu-west-1",
            "inspect_function",
            {"function_name": "orders-api", "region": "eu-west-1"},
        ),
        (
            "audit --prefix notify- --tag team=growth",
            "audit_account",
            {"name_prefix": "notify-", "tag": "team=growth"},
        ),
        (
            "memory checkout --strategy=speed",
            "suggest_memory",
            {"function_name": "checkout", "strategy": "speed"},
        ),
        ("LIST --runtime python3.9", "list_functions", {"runtime": "python3.9"}),
        (
            "tracing orders-api --profile prod",
            "enable_tracing",
            {"function_name": "orders-api", "profile": "prod"},
        ),
    ],
)
def test_subcommands_become_tool_calls(text: str, tool: str, arguments: dict[str, str]) -> None:
    command = parse_command(text)

    assert command is not None
    assert (command.subcommand.tool, command.arguments) == (tool, arguments)


@pytest.mark.parametrize("text", ["", "help", "--help"])
def test_help_is_none(text: str) -> None:
    assert parse_command(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "frobnicate x",
        "inspect",
        "inspect a b",
        "inspect a --colour red",
        "inspect a --region",
        "audit extra",
        "inspect 'unbalanced",
    ],
    ids=[
        "unknown",
        "missing-arg",
        "two-args",
        "unknown-flag",
        "flag-without-value",
        "unexpected-arg",
        "bad-quotes",
    ],
)
def test_bad_commands_raise_with_usage(text: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_command(text)

    assert caught.value.usage.startswith(("Usage:", "/lambda"))


def test_subcommands_whose_tool_is_missing_are_unknown() -> None:
    with pytest.raises(CommandError):
        parse_command("memory orders-api", available={"inspect_function"})
