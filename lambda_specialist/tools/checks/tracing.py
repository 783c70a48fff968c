"""Tracing checks: X-Ray off, and X-Ray on without permission to write traces."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.permissions import role_allows
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html"
_TRACE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")


@check(
    "TR-01",
    family="tracing",
    title="Active tracing is off",
    severity=Severity.LOW,
    rationale="Without X-Ray (or OpenTelemetry) traces, latency in downstream calls and cold "
    "starts cannot be told apart; for an API-facing function that is where tail latency hides.",
    fix="Enable Active tracing (enable_tracing plans it, including the role permission): "
    "aws lambda update-function-configuration --function-name <name> "
    "--tracing-config Mode=Active (IaC: TracingConfig.Mode).",
    docs_url=_DOCS,
    security_hub_control="Lambda.7",
)
def tracing_off(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when TracingConfig.Mode is not Active; medium for API-facing functions."""
    mode = (facts.config.get("TracingConfig") or {}).get("Mode", "PassThrough")
    if mode == "Active":
        return
    yield Hit(
        evidence={"tracing_mode": mode, "api_facing": facts.is_api_facing},
        severity=Severity.MEDIUM if facts.is_api_facing else None,
        fix=f"Run enable_tracing for {facts.name}, or: aws lambda update-function-configuration "
        f"--function-name {facts.name} --tracing-config Mode=Active, after granting the role "
        "xray:PutTraceSegments and xray:PutTelemetryRecords.",
    )


@check(
    "TR-02",
    family="tracing",
    title="Active tracing is on but the role cannot write traces",
    severity=Severity.HIGH,
    rationale="Traces are silently dropped when the execution role lacks "
    "xray:PutTraceSegments and xray:PutTelemetryRecords.",
    fix="Attach the AWS managed policy AWSXRayDaemonWriteAccess to the execution role.",
    docs_url=_DOCS,
    needs=("config", "role"),
)
def tracing_without_permission(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when tracing is Active and the role's policies allow neither trace action."""
    mode = (facts.config.get("TracingConfig") or {}).get("Mode")
    if mode != "Active" or facts.role is None:
        return
    missing = [a for a in _TRACE_ACTIONS if not role_allows(facts.role, a, "*")]
    if missing:
        yield Hit(
            evidence={"tracing_mode": mode, "role": facts.role.name, "missing_actions": missing},
            fix=f"aws iam attach-role-policy --role-name {facts.role.name} --policy-arn "
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        )
