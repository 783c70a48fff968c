"""What every tool registration shares: argument types, annotations and the call runner."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from typing import Annotated, TypeVar

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.errors import LambdaSpecialistError
from lambda_specialist.redaction import redact_model, redact_text

__all__ = [
    "READ_ONLY",
    "Profile",
    "ProgressFn",
    "Region",
    "RoleArn",
    "ToolRunner",
    "clean_doc",
    "progress_reporter",
]

logger = logging.getLogger(__name__)

ResultT = TypeVar("ResultT", bound=BaseModel)
FnT = TypeVar("FnT", bound=Callable[..., object])
ProgressFn = Callable[[int, int, str], None]

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


class ToolRunner:
    """Run synchronous tool functions for the MCP surface: threads, errors, redaction, logs."""

    def __init__(self, settings: Settings, factory: ClientFactory) -> None:
        self.settings = settings
        self.factory = factory

    async def run(
        self,
        name: str,
        work: Callable[[AwsContext], ResultT],
        *,
        region: str | None = None,
        profile: str | None = None,
        role_arn: str | None = None,
    ) -> ResultT:
        """Resolve the AWS context, run ``work`` in a worker thread, map domain errors."""
        started = time.perf_counter()

        def call() -> ResultT:
            ctx = self.factory.context(region=region, profile=profile, role_arn=role_arn)
            return work(ctx)

        return await self._finish(name, started, call)

    async def run_local(self, name: str, work: Callable[[], ResultT]) -> ResultT:
        """Run a tool that reads no AWS account (for example a policy diff of two documents)."""
        return await self._finish(name, time.perf_counter(), work)

    async def _finish(self, name: str, started: float, call: Callable[[], ResultT]) -> ResultT:
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


def clean_doc(fn: FnT) -> FnT:
    """Dedent a tool's docstring: it is the description the model reads."""
    fn.__doc__ = inspect.cleandoc(fn.__doc__ or "")
    return fn


def progress_reporter(ctx: Context, prefix: str = "") -> ProgressFn:
    """Send progress notifications from a worker thread; best effort, never fails the tool.

    A client that sent no progress token, or a direct call without a session, ignores them.
    """

    def report(done: int, total: int, message: str) -> None:
        try:
            anyio.from_thread.run(ctx.report_progress, done, total, f"{prefix}{message}")
        except Exception as exc:
            logger.debug("progress: not sent (%s)", type(exc).__name__)

    return report
