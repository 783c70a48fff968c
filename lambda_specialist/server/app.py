"""Build the MCP server: register tools and prompts over one settings object and AWS factory."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from typing import Annotated, TypeVar

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from lambda_specialist import __version__
from lambda_specialist.agent_prompt import PERSONA_PROMPT_NAME, load_persona
from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.errors import LambdaSpecialistError
from lambda_specialist.redaction import redact_model, redact_text
from lambda_specialist.tools.functions import FunctionList, list_functions
from lambda_specialist.tools.inspection import FunctionInspection, inspect_function

__all__ = ["INSTRUCTIONS", "build_server"]

logger = logging.getLogger(__name__)

ResultT = TypeVar("ResultT", bound=BaseModel)
FnT = TypeVar("FnT", bound=Callable[..., object])

INSTRUCTIONS = (
    "An AWS Lambda specialist with read access to the user's account (or an embedded mock "
    "account, flagged by context.is_mock in every result). Start with list_functions to see "
    "what exists, then inspect_function for a graded review of one function: configuration, "
    "event sources, concurrency, URL, async settings, layers and execution role, with findings "
    "(id, severity, evidence, fix). Quote finding IDs and evidence when advising. Tools are "
    "read-only unless stated; environment variable values are never returned. The prompt "
    "'lambda_specialist' carries the full persona."
)

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)

Region = Annotated[
    str | None,
    Field(
        description="AWS region to read, e.g. 'eu-west-1'; the server's default if omitted. "
        "Allowed only where the server's settings permit it."
    ),
]
Profile = Annotated[
    str | None,
    Field(description="AWS profile to use for this call; allowed only if the server lists it."),
]
RoleArn = Annotated[
    str | None,
    Field(description="IAM role to assume for this call; allowed only if the server enables it."),
]


def build_server(settings: Settings, factory: ClientFactory | None = None) -> MCPServer:
    """Return the MCP server with every tool and prompt registered."""
    factory = factory or ClientFactory(settings)
    server = MCPServer(
        "lambda-specialist",
        title="AWS Lambda specialist",
        version=__version__,
        instructions=INSTRUCTIONS,
    )

    @server.tool(name="list_functions", title="List Lambda functions", annotations=READ_ONLY)
    @_clean_doc
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
        return await _run(
            "list_functions",
            factory,
            region,
            profile,
            role_arn,
            lambda ctx: list_functions(ctx, name_prefix=name_prefix, runtime=runtime, limit=limit),
        )

    @server.tool(name="inspect_function", title="Inspect a Lambda function", annotations=READ_ONLY)
    @_clean_doc
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
        return await _run(
            "inspect_function",
            factory,
            region,
            profile,
            role_arn,
            lambda ctx: inspect_function(ctx, function_name=function_name),
        )

    @server.prompt(name=PERSONA_PROMPT_NAME, title="AWS Lambda specialist")
    def lambda_specialist_prompt() -> str:
        """The AWS Lambda specialist persona: how to work with the tools and the account."""
        return load_persona()

    return server


async def _run(
    name: str,
    factory: ClientFactory,
    region: str | None,
    profile: str | None,
    role_arn: str | None,
    work: Callable[[AwsContext], ResultT],
) -> ResultT:
    """Run a synchronous tool in a worker thread; domain errors become tool errors."""
    started = time.perf_counter()

    def call() -> ResultT:
        ctx = factory.context(region=region, profile=profile, role_arn=role_arn)
        return work(ctx)

    try:
        result = await anyio.to_thread.run_sync(call)
    except LambdaSpecialistError as exc:
        logger.info(
            "tool failed: %s %s (%.0f ms)",
            name,
            type(exc).__name__,
            (time.perf_counter() - started) * 1000,
        )
        raise ToolError(redact_text(str(exc))) from exc
    logger.info("tool call: %s (%.0f ms)", name, (time.perf_counter() - started) * 1000)
    return redact_model(result)


def _clean_doc(fn: FnT) -> FnT:
    """Dedent a tool's docstring: it is the description the model reads."""
    fn.__doc__ = inspect.cleandoc(fn.__doc__ or "")
    return fn
