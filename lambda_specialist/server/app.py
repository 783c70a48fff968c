"""Build the MCP server: one settings object, one AWS factory, every tool and prompt."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from lambda_specialist import __version__
from lambda_specialist.agent_prompt import PERSONA_PROMPT_NAME, load_persona
from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.server.iam_tools import register_iam_tools
from lambda_specialist.server.layer_tools import register_layer_tools
from lambda_specialist.server.memory_tools import register_memory_tools
from lambda_specialist.server.read_tools import register_read_tools
from lambda_specialist.server.runner import ToolRunner
from lambda_specialist.server.write_tools import register_write_tools

__all__ = ["INSTRUCTIONS", "build_server"]

INSTRUCTIONS = (
    "An AWS Lambda specialist with access to the user's account (or an embedded mock account, "
    "flagged by context.is_mock in every result). Start with list_functions or audit_account "
    "to see what exists and what is worst, then inspect_function for a graded review of one "
    "function (findings with id, severity, evidence and fix). suggest_memory and "
    "analyze_cold_starts answer sizing and latency questions from the account's own logs and "
    "metrics; diff_iam_policy compares policies and proposes least privilege; inspect_layer and "
    "generate_layer diagnose and build layers. enable_tracing, disable_tracing and apply_memory "
    "change the account: they return a plan unless called with apply=true on a server started "
    "with writes allowed; show the plan to the user before applying. Quote finding IDs and "
    "evidence when advising. Environment variable values are never returned. The prompt "
    "'lambda_specialist' carries the full persona."
)


def build_server(settings: Settings, factory: ClientFactory | None = None) -> MCPServer:
    """Return the MCP server with every tool and prompt registered."""
    runner = ToolRunner(settings, factory or ClientFactory(settings))
    server = MCPServer(
        "lambda-specialist",
        title="AWS Lambda specialist",
        version=__version__,
        instructions=INSTRUCTIONS,
    )
    register_read_tools(server, runner)
    register_write_tools(server, runner)
    register_iam_tools(server, runner)
    register_layer_tools(server, runner)
    register_memory_tools(server, runner)

    _publish_lean_schemas(server)

    @server.prompt(name=PERSONA_PROMPT_NAME, title="AWS Lambda specialist")
    def lambda_specialist_prompt() -> str:
        """The AWS Lambda specialist persona: how to work with the tools and the account."""
        return load_persona()

    return server


def _publish_lean_schemas(server: MCPServer) -> None:
    """Drop the generated 'title' keys from the published schemas (about 14% of tools/list).

    Every byte of tools/list is context the assistant pays for; pydantic's titles repeat the
    property names. Validation uses the argument and output models, not these schemas.
    """
    for tool in server._tool_manager.list_tools():
        tool.parameters = _without_titles(tool.parameters)
        metadata = tool.fn_metadata
        if metadata.output_schema is not None:
            metadata.output_schema = _without_titles(metadata.output_schema)
            tool.__dict__.pop("output_schema", None)  # drop the cached copy


def _without_titles(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: _without_titles(value)
            for key, value in schema.items()
            if not (key == "title" and isinstance(value, str))
        }
    if isinstance(schema, list):
        return [_without_titles(item) for item in schema]
    return schema
