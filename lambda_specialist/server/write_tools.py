"""Register the write tools: enable_tracing, disable_tracing and apply_memory.

Every write tool returns its plan unless the call passes ``apply=true`` and the server was
started with writes allowed. Clients that declare the elicitation capability are also asked
to confirm before anything is applied; clients that do not are never sent an elicitation
and rely on the explicit argument alone.
"""

# No ``from __future__ import annotations``: the SDK resolves the Resolve(...) markers of
# the tool signatures at registration, and the resolvers are closures over the settings.

import logging
from collections.abc import Callable
from typing import Annotated, Literal

from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    MCPServer,
    Resolve,
)
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from lambda_specialist.config import Settings
from lambda_specialist.server.runner import Profile, Region, RoleArn, ToolRunner, clean_doc
from lambda_specialist.tools.changes import Approval, ChangeRunner
from lambda_specialist.tools.memory_apply import MemoryChange, apply_memory
from lambda_specialist.tools.tracing import (
    PermissionGrant,
    TracingChange,
    disable_tracing,
    enable_tracing,
)

__all__ = ["ADDITIVE_WRITE", "DESTRUCTIVE_WRITE", "ApplyConfirmation", "register_write_tools"]

logger = logging.getLogger(__name__)

ADDITIVE_WRITE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)
DESTRUCTIVE_WRITE = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True
)

FunctionName = Annotated[
    str,
    Field(description="Function name, or its unqualified ARN.", min_length=1, max_length=256),
]
Apply = Annotated[
    bool,
    Field(
        description="Apply the plan now. Needs a server started with --allow-writes; without "
        "it (the default) the tool only returns the plan.",
        strict=True,
    ),
]
PublishAlias = Annotated[
    str | None,
    Field(
        description="Also publish $LATEST as a version and point this existing alias at it, "
        "so callers of the alias see the change."
    ),
]


class ApplyConfirmation(BaseModel):
    """The user's answer to 'apply this change now?'."""

    confirm: bool = Field(description="Apply the change to the AWS account now.")


def register_write_tools(server: MCPServer, runner: ToolRunner) -> None:
    """Add enable_tracing, disable_tracing and apply_memory to ``server``."""
    settings = runner.settings
    changes = ChangeRunner.from_settings(settings)
    _register_enable_tracing(server, runner, changes)
    _register_disable_tracing(server, runner, changes)
    _register_apply_memory(server, runner, changes)
    logger.debug("write tools registered (writes allowed: %s)", settings.allow_writes)


def _register_enable_tracing(server: MCPServer, runner: ToolRunner, changes: ChangeRunner) -> None:
    ask = _asker(
        runner.settings,
        lambda name: (
            f"Apply enable_tracing to Lambda function '{name}'? This grants its "
            "execution role X-Ray write access if missing and sets TracingConfig to Active."
        ),
    )

    @server.tool(name="enable_tracing", title="Enable X-Ray tracing", annotations=ADDITIVE_WRITE)
    @clean_doc
    async def enable_tracing_tool(
        function_name: FunctionName,
        confirmation: Annotated[ElicitationResult[ApplyConfirmation], Resolve(ask)],
        apply: Apply = False,
        permission: Annotated[
            PermissionGrant,
            Field(
                description="How to grant the role xray:PutTraceSegments and "
                "xray:PutTelemetryRecords: 'managed' attaches AWSXRayDaemonWriteAccess, "
                "'inline' adds a least-privilege inline policy."
            ),
        ] = PermissionGrant.MANAGED,
        publish_alias: PublishAlias = None,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> TracingChange:
        """Turn on X-Ray Active tracing for a function, granting its role permission first.

        Use it when a function has no traces (inspect_function finding TR-01) or traces are
        dropped for lack of permission (TR-02). Reads the configuration, the execution role's
        policies, aliases, and API Gateway stages named in the resource policy. Returns the
        plan: attach AWSXRayDaemonWriteAccess (or an inline statement) when the role lacks
        xray:PutTraceSegments / xray:PutTelemetryRecords, then set TracingConfig Mode=Active
        on $LATEST (optionally publish a version and move an alias). With apply=true on a
        server started with --allow-writes it applies the plan (after a confirmation where
        the client supports it), waits for Lambda, verifies by reading back, records the
        change in the audit log and returns the rollback plan; disable_tracing undoes it.
        Also reports upstream tracing gaps and ADOT instrumentation for the runtime. X-Ray
        bills per trace recorded and scanned.

        Limitations: upstream checks cover API Gateway (REST stages, HTTP APIs) and event
        source mappings only; API Gateway stages are reported, never changed.
        """
        approval = _approval(apply, confirmation)
        return await runner.run(
            "enable_tracing",
            lambda ctx: enable_tracing(
                ctx,
                changes,
                function_name=function_name,
                apply=approval.applies,
                approval=approval,
                permission=permission,
                publish_alias=publish_alias,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )


def _register_disable_tracing(server: MCPServer, runner: ToolRunner, changes: ChangeRunner) -> None:
    ask = _asker(
        runner.settings,
        lambda name: (
            f"Apply disable_tracing to Lambda function '{name}'? This sets "
            "TracingConfig to PassThrough."
        ),
    )

    @server.tool(
        name="disable_tracing", title="Disable X-Ray tracing", annotations=DESTRUCTIVE_WRITE
    )
    @clean_doc
    async def disable_tracing_tool(
        function_name: FunctionName,
        confirmation: Annotated[ElicitationResult[ApplyConfirmation], Resolve(ask)],
        apply: Apply = False,
        remove_permission: Annotated[
            bool,
            Field(
                description="Also remove the X-Ray write access enable_tracing grants "
                "(AWSXRayDaemonWriteAccess or its inline policy). Other policies stay."
            ),
        ] = False,
        publish_alias: PublishAlias = None,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> TracingChange:
        """Set a function's tracing back to PassThrough: the rollback of enable_tracing.

        Use it to stop Active tracing (for cost, or to undo enable_tracing). Reads what
        enable_tracing reads. Returns the plan: TracingConfig Mode=PassThrough on $LATEST;
        the role keeps its X-Ray permission unless remove_permission=true. With apply=true
        on a server started with --allow-writes it applies, waits, verifies, records the
        change in the audit log and returns the rollback plan.
        """
        approval = _approval(apply, confirmation)
        return await runner.run(
            "disable_tracing",
            lambda ctx: disable_tracing(
                ctx,
                changes,
                function_name=function_name,
                apply=approval.applies,
                approval=approval,
                remove_permission=remove_permission,
                publish_alias=publish_alias,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )


def _register_apply_memory(server: MCPServer, runner: ToolRunner, changes: ChangeRunner) -> None:
    ask = _asker(
        runner.settings,
        lambda name: (
            f"Apply apply_memory to Lambda function '{name}'? This changes its "
            "memory size (and architecture, if asked and safe)."
        ),
    )

    @server.tool(name="apply_memory", title="Apply a memory size", annotations=DESTRUCTIVE_WRITE)
    @clean_doc
    async def apply_memory_tool(
        function_name: FunctionName,
        memory_mb: Annotated[
            int, Field(ge=128, le=10240, description="The new memory size in MB (128-10240).")
        ],
        confirmation: Annotated[ElicitationResult[ApplyConfirmation], Resolve(ask)],
        apply: Apply = False,
        architecture: Annotated[
            Literal["x86_64", "arm64"] | None,
            Field(
                description="Also move to this architecture, planned only when the package "
                "and its layers hold no native code for one architecture."
            ),
        ] = None,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> MemoryChange:
        """Set a function's memory size (and optionally architecture) as one confirmed change.

        Use it to act on a memory recommendation (suggest_memory). Reads the configuration
        and, for an architecture switch, the layers' declared architectures and the
        deployment packages. Returns the plan: MemorySize on $LATEST; for architecture, a
        re-upload of the same package with the new architecture, planned only when it is
        safe. With apply=true on a server started with --allow-writes it applies, waits,
        verifies, records the change in the audit log and returns the rollback plan.
        Memory sets the price per millisecond.

        Limitations: on the embedded mock account the package cannot be downloaded, so an
        architecture switch is reported as not verifiable and not planned.
        """
        approval = _approval(apply, confirmation)
        return await runner.run(
            "apply_memory",
            lambda ctx: apply_memory(
                ctx,
                changes,
                function_name=function_name,
                memory_mb=memory_mb,
                architecture=architecture,
                apply=approval.applies,
                approval=approval,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )


def _asker(
    settings: Settings, message: Callable[[str], str]
) -> Callable[[bool, str, Context], Elicit[ApplyConfirmation] | None]:
    """Return a resolver body that asks only when an apply could actually happen."""

    def ask(apply: bool, function_name: str, ctx: Context) -> Elicit[ApplyConfirmation] | None:
        if not apply or not settings.allow_writes or not _can_elicit(ctx):
            return None
        return Elicit(message(function_name), ApplyConfirmation)

    return ask


def _can_elicit(ctx: Context) -> bool:
    """Whether the client declared form elicitation (a bare capability counts as form)."""
    try:
        capabilities = ctx.client_capabilities
    except ValueError:
        # Called outside a client request (the CLI calls the server directly).
        return False
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def _approval(apply: bool, outcome: ElicitationResult[ApplyConfirmation]) -> Approval:
    if not apply:
        return Approval.PLAN_ONLY
    if not isinstance(outcome, AcceptedElicitation):
        return Approval.DECLINED
    answer = outcome.data
    if answer is None:
        return Approval.ARGUMENT
    return Approval.CONFIRMED if answer.confirm else Approval.DECLINED
