"""enable_tracing and disable_tracing: X-Ray Active tracing, with the role permission it needs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import Field

from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.changes import Approval, ChangePlan, ChangeRunner, WriteResult
from lambda_specialist.tools.changes import writable_function as resolve_function
from lambda_specialist.tools.checks.permissions import role_allows
from lambda_specialist.tools.gathering import gather_function_facts
from lambda_specialist.tools.plans import (
    PUBLISHED_VERSION,
    PlanStep,
    alias_step,
    attach_policy_step,
    config_step,
    detach_policy_step,
    inline_policy_step,
    publish_version_step,
)
from lambda_specialist.tools.tracing_chain import (
    InstrumentationGuide,
    UpstreamLink,
    VersionsNote,
    instrumentation_guide,
    upstream_links,
    versions_note,
)

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict
    from lambda_specialist.tools.checks.facts import FunctionFacts

__all__ = [
    "TRACE_ACTIONS",
    "XRAY_INLINE_POLICY_NAME",
    "PermissionGrant",
    "TracingChange",
    "disable_tracing",
    "enable_tracing",
]

logger = logging.getLogger(__name__)

TRACE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
XRAY_MANAGED_POLICY = "AWSXRayDaemonWriteAccess"
XRAY_INLINE_POLICY_NAME = "lambda-specialist-xray-write"
# X-Ray's write actions support no resource-level permissions, so Resource must be "*".
XRAY_INLINE_DOCUMENT: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "WriteTraces",
            "Effect": "Allow",
            "Action": list(TRACE_ACTIONS),
            "Resource": "*",
        }
    ],
}


class PermissionGrant(StrEnum):
    """How to give the execution role permission to write traces."""

    MANAGED = "managed"
    INLINE = "inline"


class TracingChange(WriteResult):
    """The plan (and, when applied, the outcome) of a tracing change, with its surroundings."""

    function_name: str
    tracing_mode: str = Field(
        description="The tracing mode of $LATEST after this call: Active or PassThrough."
    )
    role: str | None = Field(description="The execution role's name.")
    role_can_write_traces: bool | None = Field(
        description="Whether the role allowed both X-Ray write actions when this call read it "
        "(None: role unreadable)."
    )
    missing_actions: list[str] = Field(default_factory=list)
    versions: VersionsNote
    upstream: list[UpstreamLink] = Field(
        default_factory=list, description="Services in front of the function (read only)."
    )
    instrumentation: InstrumentationGuide | None = None
    notes: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class _Subject:
    facts: FunctionFacts
    role_name: str | None
    role_arn: str
    missing: list[str]
    aliases: list[JsonDict]

    @property
    def mode(self) -> str:
        return str((self.facts.config.get("TracingConfig") or {}).get("Mode", "PassThrough"))


def enable_tracing(
    ctx: AwsContext,
    changes: ChangeRunner,
    *,
    function_name: str,
    apply: bool = False,
    approval: Approval | None = None,
    permission: PermissionGrant = PermissionGrant.MANAGED,
    publish_alias: str | None = None,
) -> TracingChange:
    """Plan (and on request apply) Active tracing, granting the role X-Ray write access first."""
    subject = _read(ctx, function_name)
    facts = subject.facts
    arn = str(facts.config["FunctionArn"])
    steps: list[PlanStep] = []
    if subject.missing and subject.role_name:
        steps.append(_grant_step(subject, permission))
    if subject.mode != "Active":
        steps.append(
            config_step(
                facts.name,
                arn,
                "TracingConfig.Mode",
                before=subject.mode,
                after="Active",
                why="Active tracing makes Lambda record a segment for sampled invocations "
                "(1 request/s plus 5% by default) even when no upstream service traces them.",
            )
        )
    steps.extend(_publish_steps(ctx, subject, publish_alias, target="Active", changing=bool(steps)))

    plan = ChangePlan(steps=steps, notes=_plan_notes(subject, steps))
    outcome = changes.run(ctx, plan, tool="enable_tracing", apply=apply, approval=approval)
    return _result(ctx, subject, outcome.fields(), target="Active")


def disable_tracing(
    ctx: AwsContext,
    changes: ChangeRunner,
    *,
    function_name: str,
    apply: bool = False,
    approval: Approval | None = None,
    remove_permission: bool = False,
    publish_alias: str | None = None,
) -> TracingChange:
    """Plan (and on request apply) PassThrough tracing; the permission stays unless asked."""
    subject = _read(ctx, function_name)
    facts = subject.facts
    arn = str(facts.config["FunctionArn"])
    steps: list[PlanStep] = []
    if subject.mode != "PassThrough":
        steps.append(
            config_step(
                facts.name,
                arn,
                "TracingConfig.Mode",
                before=subject.mode,
                after="PassThrough",
                why="PassThrough records a segment only when an upstream service sent a "
                "sampled trace header.",
            )
        )
    if remove_permission and subject.role_name:
        steps.extend(_revoke_steps(subject))
    steps.extend(
        _publish_steps(ctx, subject, publish_alias, target="PassThrough", changing=bool(steps))
    )

    plan = ChangePlan(steps=steps, notes=_plan_notes(subject, steps))
    outcome = changes.run(ctx, plan, tool="disable_tracing", apply=apply, approval=approval)
    return _result(ctx, subject, outcome.fields(), target="PassThrough")


def _read(ctx: AwsContext, function_name: str) -> _Subject:
    ref = resolve_function(ctx, function_name)
    facts = gather_function_facts(ctx, ref)
    role_name = str(facts.config.get("Role", "")).rsplit("/", 1)[-1] or None
    if facts.role is None:
        missing = list(TRACE_ACTIONS)
    else:
        missing = [a for a in TRACE_ACTIONS if not role_allows(facts.role, a, "*")]
    try:
        aliases = ctx.paginate("lambda", "list_aliases", "Aliases", FunctionName=facts.name)
    except AwsError as exc:
        logger.info("tracing: aliases of %s not read (%s)", facts.name, exc.code)
        aliases = []
    return _Subject(
        facts=facts,
        role_name=role_name,
        role_arn=str(facts.config.get("Role", "")),
        missing=missing,
        aliases=aliases,
    )


def _grant_step(subject: _Subject, permission: PermissionGrant) -> PlanStep:
    role_name = str(subject.role_name)
    why = (
        f"The execution role lacks {' and '.join(subject.missing)}; Lambda rejects Active "
        "tracing without them and the function's segments would be dropped."
    )
    if permission is PermissionGrant.INLINE:
        return inline_policy_step(
            role_name,
            subject.role_arn,
            XRAY_INLINE_POLICY_NAME,
            before=None,
            after=XRAY_INLINE_DOCUMENT,
            why=why + " An inline statement grants exactly the two actions.",
        )
    return attach_policy_step(
        role_name, subject.role_arn, _managed_policy_arn(subject.role_arn), why=why
    )


def _revoke_steps(subject: _Subject) -> list[PlanStep]:
    role = subject.facts.role
    if role is None:
        return []
    why = "Remove the X-Ray write permission granted for tracing, as asked."
    managed = _managed_policy_arn(subject.role_arn)
    steps: list[PlanStep] = []
    if any(p.arn == managed for p in role.attached):
        steps.append(detach_policy_step(str(subject.role_name), subject.role_arn, managed, why=why))
    for policy in role.inline:
        if policy.name == XRAY_INLINE_POLICY_NAME:
            steps.append(
                inline_policy_step(
                    str(subject.role_name),
                    subject.role_arn,
                    XRAY_INLINE_POLICY_NAME,
                    before=policy.document,
                    after=None,
                    why=why,
                )
            )
    return steps


def _publish_steps(
    ctx: AwsContext, subject: _Subject, alias: str | None, *, target: str, changing: bool
) -> list[PlanStep]:
    if alias is None:
        return []
    facts = subject.facts
    by_name = {str(a["Name"]): str(a["FunctionVersion"]) for a in subject.aliases}
    if alias not in by_name:
        known = ", ".join(sorted(by_name)) or "none"
        raise InvalidInputError(
            f"Function '{facts.name}' has no alias '{alias}' (aliases: {known}). Pass an "
            "existing alias as publish_alias, or leave it out to change $LATEST only."
        )
    version = by_name[alias]
    if not changing and _version_mode(ctx, facts.name, version) == target:
        return []
    arn = str(facts.config["FunctionArn"])
    return [
        publish_version_step(
            facts.name,
            arn,
            why=f"Published versions are immutable: publish $LATEST so alias '{alias}' can "
            f"serve tracing mode {target}.",
        ),
        alias_step(
            facts.name,
            arn,
            alias,
            before=version,
            after=PUBLISHED_VERSION,
            why=f"Move alias '{alias}' from version {version} to the version just published.",
        ),
    ]


def _version_mode(ctx: AwsContext, name: str, version: str) -> str | None:
    try:
        config = ctx.call(
            "lambda", "get_function_configuration", FunctionName=name, Qualifier=version
        )
    except ResourceNotFoundError:
        return None
    return str((config.get("TracingConfig") or {}).get("Mode", "PassThrough"))


def _plan_notes(subject: _Subject, steps: list[PlanStep]) -> list[str]:
    notes: list[str] = []
    if not steps:
        notes.append("Nothing to change: the function is already in the requested state.")
    if any(s.call.operation == "update_function_configuration" for s in steps):
        notes.append(
            "UpdateFunctionConfiguration is sent with the function's current Layers, "
            "Environment and VpcConfig (read at apply time, values not shown) so nothing is "
            "dropped; Lambda finishes the update asynchronously and apply waits for it."
        )
    if subject.facts.role is None:
        notes.append(
            "The execution role's policies could not be read, so the plan grants X-Ray write "
            "access in case it is missing; granting it twice changes nothing."
        )
    if any(s.call.operation in {"attach_role_policy", "put_role_policy"} for s in steps):
        notes.append(
            "IAM changes take seconds to reach Lambda; apply retries the tracing update with "
            "backoff while Lambda still reports the role lacks X-Ray permissions."
        )
    return notes


def _result(
    ctx: AwsContext, subject: _Subject, outcome: dict[str, Any], *, target: str
) -> TracingChange:
    facts = subject.facts
    return TracingChange(
        context=ctx.describe(),
        **outcome,
        function_name=facts.name,
        tracing_mode=_mode_after(subject.mode, outcome["applied_steps"]),
        role=subject.role_name,
        role_can_write_traces=None if facts.role is None else not subject.missing,
        missing_actions=subject.missing if facts.role is not None else [],
        versions=versions_note(subject.aliases, target=target),
        upstream=upstream_links(ctx, facts),
        instrumentation=instrumentation_guide(facts, region=ctx.region),
        notes=[f"Read not available: {k} ({v.reason})" for k, v in facts.unavailable.items()],
    )


def _mode_after(mode: str, applied: list[PlanStep]) -> str:
    for step in applied:
        if step.field == "TracingConfig.Mode":
            mode = str(step.after)
    return mode


def _managed_policy_arn(role_arn: str) -> str:
    partition = role_arn.split(":")[1] if role_arn.startswith("arn:") else "aws"
    return f"arn:{partition}:iam::aws:policy/{XRAY_MANAGED_POLICY}"
