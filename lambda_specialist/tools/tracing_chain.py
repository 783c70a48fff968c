"""What surrounds a traced function: the upstream chain, versions and how to instrument code."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from lambda_specialist.errors import AccessDeniedError, AwsError, ResourceNotFoundError
from lambda_specialist.knowledge import adot

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict
    from lambda_specialist.tools.checks.facts import FunctionFacts

__all__ = [
    "InstrumentationGuide",
    "UpstreamLink",
    "VersionsNote",
    "instrumentation_guide",
    "upstream_links",
    "versions_note",
]

LinkStatus = Literal["traced", "gap", "linked", "not_supported", "not_evaluated"]
_UNTRACEABLE_SOURCES = {"kafka": "Kafka", "mq": "Amazon MQ", "docdb": "DocumentDB"}
_APIGW_XRAY_DOCS = "https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html"


class UpstreamLink(BaseModel):
    """One service in front of the function, and whether traces continue through it."""

    source: str = Field(description="The upstream service and resource.")
    status: LinkStatus = Field(
        description="traced, gap (tracing off upstream), linked (SQS: separate linked "
        "traces), not_supported (the service cannot pass traces), not_evaluated (could not read)."
    )
    detail: str
    fix: str | None = Field(default=None, description="How to close a gap (read-only here).")


class VersionsNote(BaseModel):
    """What $LATEST, published versions and aliases mean for a tracing change."""

    aliases: dict[str, str] = Field(description="Alias name -> the version it points at.")
    note: str


class InstrumentationGuide(BaseModel):
    """How to get spans from inside the code, beyond Lambda's own segment."""

    runtime: str | None
    recommendation: str
    adot_layer_name: str | None = None
    adot_layer_arn_prefix: str | None = Field(
        default=None, description="The layer ARN for this region, without the version."
    )
    version_lookup: str | None = Field(
        default=None, description="The command that lists the layer's versions."
    )
    environment: dict[str, str] = Field(
        default_factory=dict, description="Variables to set with the layer."
    )
    xray_sdk_end_of_support: date = adot.XRAY_SDK_END_OF_SUPPORT
    notes: list[str] = Field(default_factory=list)
    docs_url: str | None = None
    checked_on: date = adot.CHECKED_ON


def upstream_links(ctx: AwsContext, facts: FunctionFacts) -> list[UpstreamLink]:
    """Check the services in front of the function for tracing gaps (reads only)."""
    links: list[UpstreamLink] = []
    for trigger in facts.triggers:
        if trigger.service == "apigateway" and trigger.source_arn:
            links.extend(_api_gateway_links(ctx, trigger.source_arn))
    for mapping in facts.mappings:
        kind = mapping.source_type
        if kind in _UNTRACEABLE_SOURCES:
            links.append(
                UpstreamLink(
                    source=f"{_UNTRACEABLE_SOURCES[kind]} {mapping.source_arn}",
                    status="not_supported",
                    detail="Lambda does not trace invocations from this event source mapping.",
                )
            )
        elif kind == "sqs":
            links.append(
                UpstreamLink(
                    source=f"SQS {mapping.source_arn}",
                    status="linked",
                    detail="Producer traces are linked to the consumer's trace, not continued.",
                )
            )
    return links


def versions_note(aliases: list[JsonDict], *, target: str) -> VersionsNote:
    """Explain which versions the change reaches, given the function's aliases."""
    pointing = {str(a["Name"]): str(a["FunctionVersion"]) for a in aliases}
    if not pointing:
        note = (
            "TracingConfig is a version-specific setting: this changes $LATEST, which is what "
            "unqualified invocations run. The function has no aliases."
        )
    else:
        listed = ", ".join(f"{name} -> {version}" for name, version in sorted(pointing.items()))
        note = (
            f"TracingConfig is a version-specific setting: this changes $LATEST only. Published "
            f"versions are immutable, so callers using an alias ({listed}) keep the old mode "
            f"until $LATEST is published and the alias moved; pass publish_alias=<name> to "
            f"do both in this plan (it publishes everything now in $LATEST). Target: {target}."
        )
    return VersionsNote(aliases=pointing, note=note)


def instrumentation_guide(facts: FunctionFacts, *, region: str) -> InstrumentationGuide:
    """Return the instrumentation advice for the function's runtime, region and architecture."""
    runtime = facts.runtime
    family = adot.runtime_family(runtime)
    eos = (
        f"The AWS X-Ray SDKs are in maintenance mode and reach end of support on "
        f"{adot.XRAY_SDK_END_OF_SUPPORT.isoformat()} ({adot.XRAY_SDK_EOS_SOURCE}); new "
        "instrumentation should use OpenTelemetry (ADOT)."
    )
    notes = [eos]
    if any(
        "opentelemetry" in layer.arn.lower() or "otel" in layer.arn.lower()
        for layer in facts.layers
    ):
        notes.append("The function already has an OpenTelemetry layer attached.")
    if family == "python":
        notes.append(
            "Powertools for AWS Lambda's Tracer wraps the X-Ray SDK, so it shares the end of "
            "support; plan the move to OpenTelemetry for code that uses it."
        )
    layer = (
        adot.adot_layer(family, region=region, architecture=facts.architecture) if family else None
    )
    if layer is None:
        return InstrumentationGuide(
            runtime=runtime,
            recommendation=(
                "No AWS-managed ADOT layer serves this runtime: instrument with the "
                "OpenTelemetry SDK for the language and export to the X-Ray endpoint, or rely "
                "on Lambda's own segment from Active tracing."
            ),
            notes=notes,
            docs_url=adot.SOURCE,
        )
    notes.append(
        "The ADOT layer adds cold-start time (often 100-300 ms) and takes one of the five "
        "layer slots; measure init duration after adding it."
    )
    environment = {"AWS_LAMBDA_EXEC_WRAPPER": adot.WRAPPER} if layer.is_auto_instrumenting else {}
    how = (
        "add the layer and set AWS_LAMBDA_EXEC_WRAPPER; it instruments the handler and AWS "
        "SDK calls without code changes"
        if layer.is_auto_instrumenting
        else "instrument in code with the OpenTelemetry SDK and add the collector layer"
    )
    return InstrumentationGuide(
        runtime=runtime,
        recommendation=f"Use the ADOT layer {layer.layer_name} for {facts.architecture}: {how}.",
        adot_layer_name=layer.layer_name,
        adot_layer_arn_prefix=layer.arn_prefix,
        version_lookup=layer.lookup_command,
        environment=environment,
        notes=notes,
        docs_url=layer.docs_url,
    )


def _api_gateway_links(ctx: AwsContext, source_arn: str) -> list[UpstreamLink]:
    api_id, stage = _api_and_stage(source_arn)
    if not api_id:
        return []
    try:
        stages = ctx.call("apigateway", "get_stages", restApiId=api_id).get("item", [])
    except ResourceNotFoundError:
        return [_http_api_or_missing(ctx, api_id)]
    except AwsError as exc:
        return [_not_evaluated(f"API Gateway REST API {api_id}", exc)]
    chosen = [s for s in stages if stage in ("*", s.get("stageName"))]
    if not chosen:
        return [
            UpstreamLink(
                source=f"API Gateway REST API {api_id}",
                status="not_evaluated",
                detail=f"No stage matching '{stage}' was found on the API.",
            )
        ]
    return [_stage_link(api_id, s) for s in chosen]


def _stage_link(api_id: str, stage: JsonDict) -> UpstreamLink:
    name = str(stage.get("stageName"))
    source = f"API Gateway REST API {api_id} stage {name}"
    if stage.get("tracingEnabled"):
        return UpstreamLink(source=source, status="traced", detail="Stage tracing is on.")
    return UpstreamLink(
        source=source,
        status="gap",
        detail="Stage tracing is off: API Gateway neither samples nor records its segment, "
        "so traces start at Lambda unless the caller is traced.",
        fix=f"aws apigateway update-stage --rest-api-id {api_id} --stage-name {name} "
        "--patch-operations op=replace,path=/tracingEnabled,value=true "
        f"({_APIGW_XRAY_DOCS})",
    )


def _http_api_or_missing(ctx: AwsContext, api_id: str) -> UpstreamLink:
    try:
        api = ctx.call("apigatewayv2", "get_api", ApiId=api_id)
    except ResourceNotFoundError:
        return UpstreamLink(
            source=f"API Gateway API {api_id}",
            status="not_evaluated",
            detail=f"The function's resource policy names API {api_id}, but no REST or HTTP "
            "API with that ID exists in this account and region.",
        )
    except AwsError as exc:
        return _not_evaluated(f"API Gateway API {api_id}", exc)
    return UpstreamLink(
        source=f"API Gateway {api.get('ProtocolType', 'HTTP')} API {api_id}",
        status="not_supported",
        detail="HTTP and WebSocket APIs do not support X-Ray; traces start at Lambda.",
    )


def _not_evaluated(source: str, exc: AwsError) -> UpstreamLink:
    reason = f"access denied to {exc.action}" if isinstance(exc, AccessDeniedError) else str(exc)
    return UpstreamLink(source=source, status="not_evaluated", detail=reason)


def _api_and_stage(source_arn: str) -> tuple[str, str]:
    # arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path>
    resource = source_arn.split(":", 5)[-1]
    parts = resource.split("/")
    return parts[0], parts[1] if len(parts) > 1 else "*"
