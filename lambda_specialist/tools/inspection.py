"""inspect_function: a function's configuration and surroundings, with graded findings."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.checks import run_checks
from lambda_specialist.tools.checks.facts import FunctionFacts, MappingFacts, TriggerFacts
from lambda_specialist.tools.checks.secrets import register_environment_secrets
from lambda_specialist.tools.functions import not_found_error, parse_function_ref
from lambda_specialist.tools.gathering import gather_function_facts
from lambda_specialist.tools.models import Finding, NotEvaluated, SeverityCounts

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = ["FunctionConfig", "FunctionInspection", "function_summary", "inspect_function"]

Detail = dict[str, str | int | bool | list[str] | None]


class FunctionConfig(BaseModel):
    """The function's configuration; environment variables by name only."""

    name: str
    arn: str
    runtime: str | None
    handler: str | None
    architecture: str
    memory_mb: int
    timeout_s: int
    ephemeral_storage_mb: int
    package_type: str
    code_size_bytes: int
    last_modified: str
    state: str
    last_update_status: str
    tracing_mode: str
    environment_variable_names: list[str] = Field(description="Names only; values stay private.")
    kms_key_arn: str | None
    vpc_subnet_ids: list[str]
    dead_letter_target: str | None
    log_group: str
    log_retention_days: int | None
    tags: dict[str, str]


class EventSource(BaseModel):
    """Something that invokes the function: a mapping Lambda polls, or a pushing service."""

    kind: str = Field(description="'mapping' (Lambda polls) or 'trigger' (the service pushes).")
    service: str = Field(description="dynamodb, kinesis, sqs, s3, sns, events, apigateway, ...")
    source_arn: str | None
    state: str | None = None
    details: Detail = Field(default_factory=dict)


class UrlConfig(BaseModel):
    """The function URL, if any."""

    url: str
    auth_type: str
    cors_allow_origins: list[str]
    invoke_mode: str | None


class AsyncConfig(BaseModel):
    """Asynchronous invocation settings."""

    maximum_retry_attempts: int | None
    maximum_event_age_s: int | None
    on_success: str | None
    on_failure: str | None


class LayerSummary(BaseModel):
    """A layer version attached to the function."""

    arn: str
    code_size_bytes: int
    compatible_runtimes: list[str] | None
    compatible_architectures: list[str] | None


class RoleSummary(BaseModel):
    """The execution role and the names of its policies."""

    name: str
    arn: str
    attached_policies: list[str]
    inline_policies: list[str]


class FunctionInspection(BaseModel):
    """The review of one function: what it is, what touches it, and what to fix."""

    context: AccountContext
    function: FunctionConfig
    event_sources: list[EventSource]
    reserved_concurrency: int | None
    url: UrlConfig | None
    async_invoke: AsyncConfig | None
    layers: list[LayerSummary]
    role: RoleSummary | None
    findings: list[Finding] = Field(description="Most severe first.")
    not_evaluated: list[NotEvaluated] = Field(description="Checks that could not run, and why.")
    summary: SeverityCounts


def inspect_function(ctx: AwsContext, *, function_name: str) -> FunctionInspection:
    """Review one function: read its configuration and surroundings, run every check."""
    ref = parse_function_ref(function_name)
    if ref.region and ref.region != ctx.region:
        raise InvalidInputError(
            f"Function '{ref.name}' is in {ref.region} but this call reads {ctx.region}. "
            f"Pass region='{ref.region}' (or --region {ref.region})."
        )
    account = ctx.describe()
    if ref.account and ref.account != account.account_id:
        raise InvalidInputError(
            f"The ARN names account {ref.account} but the credentials in use are for "
            f"{account.account_id}. Use a profile or role_arn for account {ref.account}."
        )
    facts = gather_function_facts(ctx, ref)
    findings, skipped = run_checks(facts)
    return FunctionInspection(
        context=account,
        function=_config(facts),
        event_sources=_event_sources(facts),
        reserved_concurrency=facts.reserved_concurrency,
        url=_url(facts),
        async_invoke=_async(facts),
        layers=[
            LayerSummary(
                arn=la.arn,
                code_size_bytes=la.code_size,
                compatible_runtimes=_list(la.compatible_runtimes),
                compatible_architectures=_list(la.compatible_architectures),
            )
            for la in facts.layers
        ],
        role=None
        if facts.role is None
        else RoleSummary(
            name=facts.role.name,
            arn=facts.role.arn,
            attached_policies=[p.name for p in facts.role.attached],
            inline_policies=[p.name for p in facts.role.inline],
        ),
        findings=findings,
        not_evaluated=skipped,
        summary=SeverityCounts.of(findings),
    )


def function_summary(ctx: AwsContext, name: str) -> FunctionConfig:
    """Return a function's configuration summary from one read (no checks, no surroundings)."""
    ref = parse_function_ref(name)
    try:
        response = ctx.call("lambda", "get_function", FunctionName=ref.name)
    except ResourceNotFoundError as exc:
        raise not_found_error(ctx, ref.name) from exc
    config = response["Configuration"]
    register_environment_secrets(config)
    facts = FunctionFacts(config=config, today=date.today(), tags=dict(response.get("Tags") or {}))
    return _config(facts)


def _config(facts: FunctionFacts) -> FunctionConfig:
    c = facts.config
    log_group = facts.log_group or {}
    return FunctionConfig(
        name=facts.name,
        arn=c["FunctionArn"],
        runtime=facts.runtime,
        handler=c.get("Handler"),
        architecture=facts.architecture,
        memory_mb=c.get("MemorySize", 128),
        timeout_s=facts.timeout,
        ephemeral_storage_mb=(c.get("EphemeralStorage") or {}).get("Size", 512),
        package_type=c.get("PackageType", "Zip"),
        code_size_bytes=c.get("CodeSize", 0),
        last_modified=c.get("LastModified", ""),
        state=c.get("State", "Active"),
        last_update_status=c.get("LastUpdateStatus", "Successful"),
        tracing_mode=(c.get("TracingConfig") or {}).get("Mode", "PassThrough"),
        environment_variable_names=sorted(facts.environment),
        kms_key_arn=c.get("KMSKeyArn"),
        vpc_subnet_ids=list((c.get("VpcConfig") or {}).get("SubnetIds") or []),
        dead_letter_target=(c.get("DeadLetterConfig") or {}).get("TargetArn"),
        log_group=(c.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{facts.name}",
        log_retention_days=log_group.get("retentionInDays"),
        tags=facts.tags,
    )


def _event_sources(facts: FunctionFacts) -> list[EventSource]:
    sources = [_mapping_source(m) for m in facts.mappings]
    for trigger in facts.triggers:
        if trigger.service in {"*", "account"}:
            continue
        sources.append(
            EventSource(
                kind="trigger",
                service=trigger.service,
                source_arn=trigger.source_arn,
                details=_trigger_details(facts, trigger) | {"statement": trigger.statement_id},
            )
        )
    return sources


def _trigger_details(facts: FunctionFacts, trigger: TriggerFacts) -> Detail:
    """What the source service itself says about the trigger."""
    arn = trigger.source_arn or ""
    if trigger.service == "sns":
        sub = next((s for s in facts.subscriptions if s.topic_arn == arn), None)
        if sub is not None:
            return {
                "subscription": sub.subscription_arn,
                "redrive_policy": bool(sub.attributes.get("RedrivePolicy")),
                "filter_policy": bool(sub.attributes.get("FilterPolicy")),
            }
    if trigger.service == "s3":
        notes = [n for n in facts.s3_notifications if arn.endswith(f":::{n.bucket}")]
        if notes:
            return {
                "confirmed_by_bucket": True,
                "events": sorted({e for n in notes for e in n.events}),
                "prefixes": sorted({n.prefix for n in notes if n.prefix}),
            }
    if trigger.service == "events":
        rule = arn.rsplit("/", 1)[-1]
        targets = [t for t in facts.event_targets if t.rule == rule]
        if targets:
            return {
                "rule": rule,
                "dead_letter_queue": targets[0].dead_letter_arn,
                "retry_policy": bool(targets[0].retry_policy),
            }
    if trigger.service == "apigateway":
        stages = [f"{s.api_id}/{s.stage}" for s in facts.api_stages]
        return {"stages_found": stages} if stages else {}
    return {}


def _mapping_source(m: MappingFacts) -> EventSource:
    mapping = m.mapping
    details: Detail = {
        "uuid": mapping.get("UUID"),
        "batch_size": mapping.get("BatchSize"),
        "function_response_types": list(mapping.get("FunctionResponseTypes") or []),
    }
    if m.source_type in {"dynamodb", "kinesis"}:
        on_failure = (mapping.get("DestinationConfig") or {}).get("OnFailure") or {}
        details |= {
            "starting_position": mapping.get("StartingPosition"),
            "maximum_retry_attempts": mapping.get("MaximumRetryAttempts"),
            "maximum_record_age_s": mapping.get("MaximumRecordAgeInSeconds"),
            "bisect_batch_on_function_error": mapping.get("BisectBatchOnFunctionError"),
            "on_failure_destination": on_failure.get("Destination"),
        }
    if m.queue_attributes is not None:
        redrive = json.loads(m.queue_attributes.get("RedrivePolicy") or "{}")
        details |= {
            "visibility_timeout_s": int(m.queue_attributes.get("VisibilityTimeout", 30)),
            "dead_letter_queue": redrive.get("deadLetterTargetArn"),
        }
    return EventSource(
        kind="mapping",
        service=m.source_type,
        source_arn=m.source_arn,
        state=mapping.get("State"),
        details=details,
    )


def _url(facts: FunctionFacts) -> UrlConfig | None:
    url = facts.url_config
    if not url:
        return None
    return UrlConfig(
        url=url.get("FunctionUrl", ""),
        auth_type=url.get("AuthType", ""),
        cors_allow_origins=list((url.get("Cors") or {}).get("AllowOrigins") or []),
        invoke_mode=url.get("InvokeMode"),
    )


def _async(facts: FunctionFacts) -> AsyncConfig | None:
    cfg = facts.async_config
    if not cfg:
        return None
    dest = cfg.get("DestinationConfig") or {}
    return AsyncConfig(
        maximum_retry_attempts=cfg.get("MaximumRetryAttempts"),
        maximum_event_age_s=cfg.get("MaximumEventAgeInSeconds"),
        on_success=(dest.get("OnSuccess") or {}).get("Destination"),
        on_failure=(dest.get("OnFailure") or {}).get("Destination"),
    )


def _list(values: tuple[str, ...] | None) -> list[str] | None:
    return list(values) if values else None
