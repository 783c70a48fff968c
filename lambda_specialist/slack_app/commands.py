"""Parse `/lambda <subcommand> [args] [--region R] [--profile P]` into a tool call."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

__all__ = ["SUBCOMMANDS", "Command", "CommandError", "Subcommand", "parse_command"]


@dataclass(frozen=True)
class Subcommand:
    """One /lambda subcommand: the tool it runs, its positional argument and its options."""

    name: str
    tool: str
    summary: str
    positional: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, object] = field(default_factory=dict)
    is_write: bool = False

    @property
    def usage(self) -> str:
        """The usage line shown for this subcommand."""
        parts = [f"/lambda {self.name}"]
        if self.positional:
            parts.append(f"<{self.positional.replace('_name', '')}>")
        parts += [f"[--{flag} <{arg}>]" for flag, arg in self.options.items()]
        parts.append("[--region R] [--profile P]")
        return " ".join(parts)


SUBCOMMANDS: dict[str, Subcommand] = {
    s.name: s
    for s in (
        Subcommand(
            "list",
            "list_functions",
            "List the functions in a region.",
            options={"prefix": "name_prefix", "runtime": "runtime"},
        ),
        Subcommand(
            "inspect",
            "inspect_function",
            "Review one function, with graded findings.",
            positional="function_name",
        ),
        Subcommand(
            "audit",
            "audit_account",
            "Review every function in a region, worst first.",
            options={"prefix": "name_prefix", "runtime": "runtime", "tag": "tag"},
        ),
        Subcommand(
            "memory",
            "suggest_memory",
            "Suggest a memory size (and architecture) from the logs.",
            positional="function_name",
            options={"strategy": "strategy"},
        ),
        Subcommand(
            "coldstarts",
            "analyze_cold_starts",
            "Analyse cold starts and what would fix them.",
            positional="function_name",
        ),
        Subcommand(
            "tracing",
            "enable_tracing",
            "Plan X-Ray tracing for a function; Apply turns it on.",
            positional="function_name",
            is_write=True,
        ),
        Subcommand(
            "layer",
            "inspect_layer",
            "Check a function's layers for wrong architecture, glibc or layout.",
            positional="function_name",
        ),
        Subcommand(
            "iam",
            "diff_iam_policy",
            "Compare a function's role with what it needs; propose least privilege.",
            positional="function_name",
        ),
    )
}


class CommandError(ValueError):
    """The command text is not a valid /lambda command; ``usage`` says what is."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Command:
    """A parsed command: the subcommand and the tool arguments it becomes."""

    subcommand: Subcommand
    arguments: dict[str, object]

    @property
    def target(self) -> str | None:
        """The function the command is about, if any."""
        value = self.arguments.get("function_name")
        return str(value) if value else None


def parse_command(text: str, available: set[str] | None = None) -> Command | None:
    """Parse the text after /lambda; None means help was asked for.

    Raises:
        CommandError: unknown subcommand, missing argument, unknown flag, unbalanced quotes.
    """
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise CommandError(f"Could not read the command: {exc}.", general_usage(available)) from exc
    if not words or words[0] in {"help", "-h", "--help"}:
        return None
    name, rest = words[0].lower(), words[1:]
    sub = SUBCOMMANDS.get(name)
    if sub is None or (available is not None and sub.tool not in available):
        raise CommandError(f"Unknown subcommand '{name}'.", general_usage(available))
    return Command(subcommand=sub, arguments=_arguments(sub, rest))


def general_usage(available: set[str] | None = None) -> str:
    """Usage for every subcommand whose tool is available."""
    lines = [
        f"`{s.usage}`: {s.summary}"
        for s in SUBCOMMANDS.values()
        if available is None or s.tool in available
    ]
    return "\n".join(["Usage:", *lines, "`/lambda help`: this list."])


def _arguments(sub: Subcommand, words: list[str]) -> dict[str, object]:
    flags = {"region": "region", "profile": "profile", **sub.options}
    arguments: dict[str, object] = dict(sub.fixed)
    positional: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--"):
            flag, _, inline = word[2:].partition("=")
            if flag not in flags:
                raise CommandError(f"Unknown option '--{flag}' for {sub.name}.", sub.usage)
            if not inline:
                i += 1
                if i >= len(words):
                    raise CommandError(f"Option '--{flag}' needs a value.", sub.usage)
                inline = words[i]
            arguments[flags[flag]] = inline
        else:
            positional.append(word)
        i += 1
    if sub.positional is None and positional:
        raise CommandError(f"'{sub.name}' takes no argument '{positional[0]}'.", sub.usage)
    if sub.positional is not None:
        if len(positional) != 1:
            raise CommandError(
                f"'{sub.name}' needs exactly one {sub.positional.replace('_', ' ')}.", sub.usage
            )
        arguments[sub.positional] = positional[0]
    return arguments
