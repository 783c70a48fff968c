"""Plan, apply, verify and roll back: the model every write goes through.

Planning is always allowed and never mutates. Applying needs the process to allow writes
(``Settings.allow_writes``) and the caller to ask for it on this call. Apply skips steps whose
after-state already holds, retries the known transient errors, waits until Lambda reports
the update finished, reads every change back, records it in the audit log and returns the
plan that undoes it. A failure halfway stops at once and says what changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from lambda_specialist.actor import current_actor
from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import (
    AwsError,
    LambdaSpecialistError,
    WritesNotAllowedError,
)
from lambda_specialist.tools.audit_log import (
    AuditChange,
    AuditRecord,
    AuditStore,
    DynamoAuditStore,
    JsonLinesAuditStore,
)
from lambda_specialist.tools.change_state import (
    UNREADABLE,
    read_field,
    with_current_lists,
    writable_function,
)
from lambda_specialist.tools.packages import CURRENT_PACKAGE, download_package
from lambda_specialist.tools.plans import (
    PUBLISHED_VERSION,
    AwsCall,
    ChangePlan,
    PlanStep,
    rollback_plan,
)

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict
    from lambda_specialist.config import Settings

__all__ = [
    "WRITES_DISABLED_MESSAGE",
    "Approval",
    "AwsCall",
    "ChangeFailedError",
    "ChangePlan",
    "ChangeRunner",
    "PlanStep",
    "WriteOutcome",
    "WriteResult",
    "writable_function",
]

logger = logging.getLogger(__name__)

WRITES_DISABLED_MESSAGE = (
    "This server was started read-only, so nothing was changed. Restart it with "
    "--allow-writes (or LAMBDA_SPECIALIST_ALLOW_WRITES=true) and call again with apply=true; "
    "without apply the tool returns the plan only."
)
_LAMBDA_UPDATES = {"update_function_configuration", "update_function_code"}


class Approval(StrEnum):
    """How an apply was authorised, or why it was not."""

    PLAN_ONLY = "plan_only"
    ARGUMENT = "argument"
    CONFIRMED = "confirmed"
    DECLINED = "declined"

    @property
    def applies(self) -> bool:
        """Whether this approval lets the plan be applied."""
        return self in (Approval.ARGUMENT, Approval.CONFIRMED)


class WriteOutcome(BaseModel):
    """What happened to a plan: applied, skipped, and how to undo it."""

    plan: ChangePlan = Field(description="The steps planned from the state read now.")
    changed: bool = Field(description="Whether anything in the account changed.")
    approval: Approval = Field(
        description="plan_only (apply not asked), argument (apply=true), confirmed (the "
        "user accepted the confirmation) or declined (the user refused; nothing changed)."
    )
    applied_steps: list[PlanStep] = Field(
        default_factory=list, description="The steps applied, as sent."
    )
    skipped_steps: list[PlanStep] = Field(
        default_factory=list, description="Steps whose after-state already held."
    )
    rollback: ChangePlan = Field(
        description="The plan that undoes the applied steps (when only planned: the plan "
        "that would undo this plan)."
    )
    audit_record: AuditRecord | None = Field(
        default=None, description="What was written to the audit log, when applied."
    )

    def fields(self) -> dict[str, Any]:
        """Return the outcome's fields, to build a tool result from."""
        return dict(self)


class WriteResult(WriteOutcome):
    """The result shape shared by every write tool."""

    context: AccountContext


class ChangeFailedError(LambdaSpecialistError):
    """A step failed after earlier steps were applied; nothing further was applied."""

    def __init__(
        self, message: str, *, applied_steps: list[PlanStep], rollback: ChangePlan
    ) -> None:
        super().__init__(message)
        self.applied_steps = applied_steps
        self.rollback = rollback


@dataclass(frozen=True)
class _Applied:
    step: PlanStep
    before: Any
    after: Any


class ChangeRunner:
    """Apply plans for one process: the write switch, the audit store, waits and retries.

    Args:
        allow_writes: Whether this process may change an account at all.
        audit: Where applied changes are recorded.
        sleep: Called to wait between polls and retries (injected by tests).
        wait_timeout_s: How long to wait for Lambda to finish one update.
        poll_interval_s: How often to read the update status while waiting.
        retry_delays_s: The waits before each retry of a transient error.
    """

    def __init__(
        self,
        *,
        allow_writes: bool,
        audit: AuditStore,
        sleep: Callable[[float], None] = time.sleep,
        wait_timeout_s: float = 300.0,
        poll_interval_s: float = 2.0,
        retry_delays_s: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0, 30.0),
    ) -> None:
        self.allow_writes = allow_writes
        self.audit = audit
        self.sleep = sleep
        self.wait_timeout_s = wait_timeout_s
        self.poll_interval_s = poll_interval_s
        self.retry_delays_s = retry_delays_s

    @classmethod
    def from_settings(cls, settings: Settings) -> ChangeRunner:
        """Return the runner the settings describe.

        The audit log is the JSON-lines file at AUDIT_LOG, or the DynamoDB table STORE_TABLE
        when set (on Lambda, where there is no local disk to keep it).
        """
        if settings.store_table:
            from lambda_specialist.aws.context import ClientFactory

            store: AuditStore = DynamoAuditStore(
                ClientFactory(settings).context(), settings.store_table
            )
        else:
            store = JsonLinesAuditStore(settings.audit_log)
        return cls(allow_writes=settings.allow_writes, audit=store)

    def run(
        self,
        ctx: AwsContext,
        plan: ChangePlan,
        *,
        tool: str,
        apply: bool,
        approval: Approval | None = None,
    ) -> WriteOutcome:
        """Return the plan's outcome: planned only, declined, or applied and verified.

        Raises:
            WritesNotAllowedError: ``apply`` is true and the process is read-only.
            ChangeFailedError: A step failed; the error names the steps applied before it.
        """
        if approval is Approval.DECLINED:
            return self._planned(plan, Approval.DECLINED)
        if not apply:
            return self._planned(plan, Approval.PLAN_ONLY)
        if not self.allow_writes:
            raise WritesNotAllowedError(WRITES_DISABLED_MESSAGE)

        done, skipped = self._apply(ctx, plan, tool=tool)
        record = self._record(ctx, tool, done) if done else None
        return WriteOutcome(
            plan=plan,
            changed=bool(done),
            approval=approval or Approval.ARGUMENT,
            applied_steps=[d.step for d in done],
            skipped_steps=skipped,
            rollback=rollback_plan([(d.step, d.before) for d in done]),
            audit_record=record,
        )

    def _planned(self, plan: ChangePlan, approval: Approval) -> WriteOutcome:
        return WriteOutcome(
            plan=plan,
            changed=False,
            approval=approval,
            rollback=rollback_plan([(step, step.before) for step in plan.steps]),
        )

    def _apply(
        self, ctx: AwsContext, plan: ChangePlan, *, tool: str
    ) -> tuple[list[_Applied], list[PlanStep]]:
        done: list[_Applied] = []
        skipped: list[PlanStep] = []
        published: str | None = None
        for number, planned in enumerate(plan.steps, start=1):
            step = _with_published_version(planned, published)
            try:
                before = read_field(ctx, step)
                if before == step.after:
                    skipped.append(step)
                    continue
                if before is UNREADABLE:
                    before = step.before
                response = self._execute(ctx, step)
                self._settle(ctx, step)
                step, after = self._verify(ctx, step, response)
            except LambdaSpecialistError as exc:
                raise self._halfway(ctx, tool, plan, done, number, step, exc) from exc
            if step.call.operation == "publish_version":
                published = str(after)
            done.append(_Applied(step=step, before=before, after=after))
        return done, skipped

    def _execute(self, ctx: AwsContext, step: PlanStep) -> JsonDict:
        call = step.call
        parameters = dict(call.parameters)
        if call.operation == "update_function_configuration":
            parameters = with_current_lists(ctx, parameters)
        if parameters.get("ZipFile") == CURRENT_PACKAGE:
            function = ctx.call("lambda", "get_function", FunctionName=parameters["FunctionName"])
            parameters["ZipFile"] = download_package(str(function["Code"]["Location"]))
        for attempt, delay in enumerate((*self.retry_delays_s, None), start=1):
            logger.info(
                "aws change: %s.%s on %s (%s), attempt %d",
                call.service,
                call.operation,
                step.resource,
                step.field,
                attempt,
            )
            try:
                return ctx.call(call.service, call.operation, **parameters)
            except AwsError as exc:
                if delay is None or not _is_transient(exc):
                    raise
                logger.info("aws change: transient %s, retrying in %.0f s", exc.code, delay)
                self.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _settle(self, ctx: AwsContext, step: PlanStep) -> None:
        """Wait until Lambda reports the function's last update finished (capped)."""
        if step.call.operation not in _LAMBDA_UPDATES:
            return
        name = str(step.call.parameters["FunctionName"])
        waited = 0.0
        while True:
            config = ctx.call("lambda", "get_function_configuration", FunctionName=name)
            status = config.get("LastUpdateStatus", "Successful")
            if status == "Successful":
                return
            if status == "Failed":
                reason = config.get("LastUpdateStatusReason") or "no reason given"
                raise LambdaSpecialistError(
                    f"Lambda reported the update of '{name}' as Failed: {reason}"
                )
            if waited >= self.wait_timeout_s:
                raise LambdaSpecialistError(
                    f"Lambda did not finish updating '{name}' within {self.wait_timeout_s:.0f} "
                    f"s (LastUpdateStatus {status}). Check it with get_function_configuration "
                    "before trying again."
                )
            self.sleep(self.poll_interval_s)
            waited += self.poll_interval_s

    def _verify(self, ctx: AwsContext, step: PlanStep, response: JsonDict) -> tuple[PlanStep, Any]:
        """Read the field back; return the step as applied and the value read."""
        if step.call.operation == "publish_version":
            version = str(response.get("Version", ""))
            if not version:
                raise LambdaSpecialistError(
                    f"PublishVersion on {step.resource} returned no version number."
                )
            return step.model_copy(update={"after": version}), version
        after = read_field(ctx, step)
        if after != step.after:
            raise LambdaSpecialistError(
                f"After {step.call.operation} on {step.resource}, {step.field} reads "
                f"{after!r} instead of {step.after!r}; the change did not take effect."
            )
        return step, after

    def _halfway(
        self,
        ctx: AwsContext,
        tool: str,
        plan: ChangePlan,
        done: list[_Applied],
        number: int,
        step: PlanStep,
        exc: LambdaSpecialistError,
    ) -> ChangeFailedError:
        rollback = rollback_plan([(d.step, d.before) for d in done])
        if done:
            self._record(ctx, tool, done)
            applied = "; ".join(_describe(d.step) for d in done)
            undo = "; ".join(_describe(s) for s in rollback.steps) or "nothing to undo"
            state = f"Already applied and recorded in the audit log: {applied}. To undo: {undo}."
        else:
            state = "Nothing was changed."
        return ChangeFailedError(
            f"{tool} stopped at step {number} of {len(plan.steps)} ({_describe(step)}): "
            f"{exc} {state} No further step was applied.",
            applied_steps=[d.step for d in done],
            rollback=rollback,
        )

    def _record(self, ctx: AwsContext, tool: str, done: list[_Applied]) -> AuditRecord:
        account = ctx.describe()
        record = AuditRecord(
            when=datetime.now(UTC),
            who=_caller_arn(ctx),
            requested_by=current_actor.get(),
            tool=tool,
            account_id=account.account_id,
            region=account.region,
            is_mock=account.is_mock,
            changes=[
                AuditChange(
                    resource=d.step.resource,
                    field=d.step.field,
                    before=d.before,
                    after=d.after,
                    operation=f"{d.step.call.service}:{d.step.call.operation}",
                )
                for d in done
            ],
        )
        self.audit.append(record)
        return record


def _with_published_version(step: PlanStep, published: str | None) -> PlanStep:
    if step.after != PUBLISHED_VERSION or step.call.operation != "update_alias":
        return step
    if published is None:
        raise LambdaSpecialistError(
            f"The alias step for {step.resource} needs a version published earlier in the plan."
        )
    parameters = {**step.call.parameters, "FunctionVersion": published}
    call = step.call.model_copy(update={"parameters": parameters})
    return step.model_copy(update={"after": published, "call": call})


def _is_transient(exc: AwsError) -> bool:
    """IAM propagation right after a grant, or an update still in progress."""
    text = str(exc).lower()
    if exc.code == "InvalidParameterValueException":
        return "puttracesegments" in text or "x-ray" in text or "xray" in text
    return exc.code == "ResourceConflictException"


def _caller_arn(ctx: AwsContext) -> str | None:
    try:
        return str(ctx.call("sts", "get_caller_identity").get("Arn") or "") or None
    except AwsError:
        return None


def _describe(step: PlanStep) -> str:
    return (
        f"{step.call.service}:{step.call.operation} on {step.resource} "
        f"({step.field}: {step.before!r} -> {step.after!r})"
    )
