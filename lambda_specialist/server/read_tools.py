"""Register the read-only review tools: list_functions and inspect_function."""

from __future__ import annotations

import json
import logging
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from pydantic import Field

from lambda_specialist.server.runner import (
    READ_ONLY,
    Profile,
    Region,
    RoleArn,
    ToolRunner,
    clean_doc,
    progress_reporter,
)
from lambda_specialist.tools.account_audit import AccountAudit, audit_account
from lambda_specialist.tools.catalogue import describe_catalogue
from lambda_specialist.tools.functions import FunctionList, list_functions
from lambda_specialist.tools.inspection import (
    FunctionInspection,
    function_summary,
    inspect_function,
)

__all__ = ["register_read_tools"]

logger = logging.getLogger(__name__)


def register_read_tools(server: MCPServer, runner: ToolRunner) -> None:
    """Add list_functions and inspect_function to ``server``."""

    @server.tool(name="list_functions", title="List Lambda functions", annotations=READ_ONLY)
    @clean_doc
    async def list_functions_tool(
        name_prefix: Annotated[
            str | None, Field(description="Only functions whose name starts with this.")
        ] = None,
        runtime: Annotated[
            str | None, Field(description="Only functions on this runtime, e.g. 'python3.12'.")
        ] = None,
        limit: Annotated[int, Field(ge=1, le=10000, description="At most this many rows.")] = 500,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> FunctionList:
        """List the Lambda functions in a region: name, runtime, architecture, memory, timeout.

        Use it first, to see what exists and to get exact names for inspect_function. Reads
        lambda:ListFunctions (all pages); changes nothing; costs nothing.
        """
        return await runner.run(
            "list_functions",
            lambda ctx: list_functions(ctx, name_prefix=name_prefix, runtime=runtime, limit=limit),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )

    @server.tool(name="inspect_function", title="Inspect a Lambda function", annotations=READ_ONLY)
    @clean_doc
    async def inspect_function_tool(
        function_name: Annotated[
            str,
            Field(
                description="Function name, or its full or partial ARN.",
                min_length=1,
                max_length=256,
            ),
        ],
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> FunctionInspection:
        """Review one Lambda function and grade what is wrong with it, with evidence and fixes.

        Reads the configuration (environment variables by name only), event source mappings
        and the queues behind them, triggers from the resource policy (API Gateway, S3, SNS,
        EventBridge) and SNS subscriptions, concurrency, function URL, async invoke settings,
        layers, log group and execution role with its policies. Runs the check catalogue:
        runtime lifecycle, tracing, stream and SQS error handling, async failure paths, public
        access, secrets in the environment, over-privileged roles, layers, defaults.
        Findings carry id, severity, evidence and fix; checks whose reads were denied or are
        not supported by the endpoint are listed under not_evaluated. Changes nothing.
        """
        return await runner.run(
            "inspect_function",
            lambda ctx: inspect_function(ctx, function_name=function_name),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )

    @server.tool(name="audit_account", title="Audit every Lambda function", annotations=READ_ONLY)
    @clean_doc
    async def audit_account_tool(
        ctx: Context,
        name_prefix: Annotated[
            str | None, Field(description="Only functions whose name starts with this.")
        ] = None,
        runtime: Annotated[
            str | None, Field(description="Only functions on this runtime, e.g. 'python3.9'.")
        ] = None,
        tag: Annotated[
            str | None,
            Field(
                description="Only functions with this tag: 'key' or 'key=value'.", max_length=256
            ),
        ] = None,
        concurrency: Annotated[
            int, Field(ge=1, le=16, description="Functions reviewed at the same time.")
        ] = 4,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> AccountAudit:
        """Review every Lambda function in a region and rank them, worst first.

        Runs the same checks as inspect_function on each matching function, with bounded
        concurrency and progress notifications, and returns totals by severity, each check
        that fired with the functions it fired on, and one row per function (finding IDs and
        titles; call inspect_function on a function for evidence and fixes). Functions that
        could not be reviewed are listed under failed with the reason; the audit goes on.
        Reads about 10-20 read-only API calls per function; changes nothing.
        """
        progress = progress_reporter(ctx, "reviewed ")
        return await runner.run(
            "audit_account",
            lambda aws: audit_account(
                aws,
                name_prefix=name_prefix,
                runtime=runtime,
                tag=tag,
                concurrency=concurrency,
                progress=progress,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )

    @server.resource(
        "lambda://checks",
        name="check_catalogue",
        title="Inspect check catalogue",
        mime_type="application/json",
    )
    def check_catalogue() -> str:
        """Every check inspect_function runs: ID, family, severity, title, rationale, docs."""
        return json.dumps(describe_catalogue(), indent=2)

    @server.resource(
        "lambda://functions/{name}/config",
        name="function_config",
        title="Function configuration summary",
        mime_type="application/json",
    )
    async def function_config(name: str) -> str:
        """A function's configuration summary (environment variables by name only)."""
        try:
            summary = await runner.run("function_config", lambda aws: function_summary(aws, name))
        except ToolError as exc:
            raise ResourceError(str(exc)) from exc
        return summary.model_dump_json(indent=2)
