"""Call a tool of the MCP server in this process, the way the CLI and Slack do.

Going through the server keeps one set of argument schemas, validation and guardrails for
every surface. Errors come back as the domain error that caused them, or as
``ToolArgumentsError`` for arguments that fail the tool's schema.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import ValidationError

from lambda_specialist.errors import InvalidInputError, LambdaSpecialistError

__all__ = ["ToolArgumentsError", "UnknownToolError", "call_tool_directly"]


class UnknownToolError(InvalidInputError):
    """No tool has that name."""


class ToolArgumentsError(InvalidInputError):
    """The arguments do not match the tool's input schema."""


async def call_tool_directly(
    server: MCPServer, name: str, arguments: dict[str, Any]
) -> dict[str, Any]:
    """Call tool ``name`` and return its structured result; raise the domain error on failure."""
    tools = {t.name: t for t in await server.list_tools()}
    if name not in tools:
        raise UnknownToolError(f"Unknown tool '{name}'. Tools: {', '.join(sorted(tools))}.")
    known = set((tools[name].input_schema or {}).get("properties", {}))
    unknown = sorted(set(arguments) - known)
    if unknown:
        raise ToolArgumentsError(
            f"{name} has no argument {', '.join(repr(u) for u in unknown)}. Its arguments: "
            f"{', '.join(sorted(known))}."
        )
    try:
        result = await server.call_tool(name, arguments)
    except ToolError as exc:
        cause = _root_cause(exc)
        if isinstance(cause, LambdaSpecialistError):
            raise cause from None
        if isinstance(cause, ValidationError):
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in cause.errors()
            )
            raise ToolArgumentsError(
                f"Invalid arguments for {name}: {problems}. See "
                "'lambda-specialist tools --json' for the schema."
            ) from None
        raise
    structured = getattr(result, "structured_content", None)
    return dict(structured) if isinstance(structured, dict) else {}


def _root_cause(exc: BaseException) -> BaseException | None:
    """The first domain or validation error behind the SDK's wrapping ToolErrors."""
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, LambdaSpecialistError | ValidationError):
            return cause
        cause = cause.__cause__
    return None
