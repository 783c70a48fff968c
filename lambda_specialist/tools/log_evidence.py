"""Read what the memory and cold-start tools reason from: configuration, logs and metrics."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.functions import not_found_error, parse_function_ref
from lambda_specialist.tools.logparse import LogParser, ParsedLogs

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict

__all__ = [
    "ComputeOptimizerView",
    "FunctionSettings",
    "LogRead",
    "MetricTotals",
    "optional_read",
    "read_compute_optimizer",
    "read_function_settings",
    "read_metrics",
    "read_platform_logs",
    "window_bounds",
]

logger = logging.getLogger(__name__)

MAX_DAYS = 90
TEXT_PATTERNS = ("REPORT", "INIT_START", "INIT_REPORT", '"Task timed out"')
JSON_PATTERNS = ("platform.report", "platform.initReport", "platform.initStart")
METRICS = (
    ("Invocations", "Sum"),
    ("Errors", "Sum"),
    ("Throttles", "Sum"),
    ("ConcurrentExecutions", "Maximum"),
)


@dataclass(frozen=True)
class FunctionSettings:
    """The configuration the tools need, for the version or alias asked about."""

    name: str
    arn: str
    qualifier: str | None
    memory_mb: int
    architecture: str
    runtime: str | None
    package_type: str
    timeout_s: int
    ephemeral_mb: int
    code_size_bytes: int
    layers: list[tuple[str, int]]
    log_group: str
    log_format: str
    snap_start: str
    has_efs: bool


@dataclass(frozen=True)
class LogRead:
    """Platform records read from one log group, and whether the read stopped at its bound."""

    parsed: ParsedLogs
    events: int
    truncated: bool
    log_group_exists: bool


class MetricTotals(BaseModel):
    """AWS/Lambda metrics over the window: hourly series and totals."""

    invocations: float = Field(description="Sum of Invocations over the window.")
    errors: float = Field(description="Sum of Errors over the window.")
    throttles: float = Field(description="Sum of Throttles over the window.")
    peak_concurrency: float = Field(description="Highest hourly Maximum of ConcurrentExecutions.")
    hours_with_data: int = Field(description="Hours with at least one Invocations datapoint.")


class ComputeOptimizerView(BaseModel):
    """Compute Optimizer's recommendation for the function, when it has one."""

    finding: str = Field(description="Optimized, NotOptimized or Unavailable.")
    reasons: list[str] = Field(description="Finding reason codes, e.g. MemoryOverprovisioned.")
    recommended_mb: int | None = Field(description="Its rank-1 memory size.")
    projected_duration_ms: float | None = Field(description="Its expected duration there.")
    monthly_savings_usd: float | None = Field(description="Its estimated monthly savings.")


def window_bounds(days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Return ``(start, end)`` of the last ``days`` days; raise for a window out of range."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError(
            f"days={days} is out of range: use 1 to {MAX_DAYS} days (14 matches Compute Optimizer)."
        )
    end = now or datetime.now(UTC)
    return end - timedelta(days=days), end


def read_function_settings(ctx: AwsContext, function_name: str) -> FunctionSettings:
    """Read the configuration of a function, version or alias; a clear error if missing."""
    ref = parse_function_ref(function_name)
    if ref.region and ref.region != ctx.region:
        raise InvalidInputError(
            f"The ARN '{function_name}' is in {ref.region}, not {ctx.region}. "
            f"Pass region='{ref.region}'."
        )
    kwargs: dict[str, Any] = {"FunctionName": ref.name}
    if ref.qualifier:
        kwargs["Qualifier"] = ref.qualifier
    try:
        config = ctx.call("lambda", "get_function_configuration", **kwargs)
    except ResourceNotFoundError as exc:
        if ref.qualifier:
            raise ResourceNotFoundError(
                f"Function '{ref.name}' has no version or alias '{ref.qualifier}' in "
                f"{ctx.region}. List them with `aws lambda list-aliases --function-name "
                f"{ref.name}`, or pass the unqualified name.",
                code=exc.code,
                operation=exc.operation,
            ) from exc
        raise not_found_error(ctx, ref.name) from exc
    return _settings(config, ref.qualifier)


def read_platform_logs(
    ctx: AwsContext,
    settings: FunctionSettings,
    *,
    start: datetime,
    end: datetime,
    max_events: int,
    patterns: tuple[str, ...] | None = None,
) -> LogRead:
    """Read platform lines from the function's log group, at most ``max_events`` per pattern.

    One FilterLogEvents read per pattern (all pages, up to the bound). A missing log group is
    an answer (the function never logged), not an error.
    """
    chosen = patterns or (JSON_PATTERNS if settings.log_format == "JSON" else TEXT_PATTERNS)
    parser = LogParser()
    seen: set[str] = set()
    events = 0
    truncated = False
    for pattern in chosen:
        try:
            items = ctx.paginate(
                "logs",
                "filter_log_events",
                "events",
                limit=max_events,
                logGroupName=settings.log_group,
                filterPattern=pattern,
                startTime=int(start.timestamp() * 1000),
                endTime=int(end.timestamp() * 1000),
            )
        except ResourceNotFoundError:
            return LogRead(parser.result, 0, False, log_group_exists=False)
        truncated = truncated or len(items) >= max_events
        for item in items:
            event_id = str(item.get("eventId", ""))
            if event_id and event_id in seen:
                continue
            seen.add(event_id)
            events += 1
            parser.feed(str(item.get("message", "")), item.get("timestamp"))
    logger.debug("platform logs: %d events from %s", events, settings.log_group)
    return LogRead(parser.result, events, truncated, log_group_exists=True)


def read_metrics(
    ctx: AwsContext, settings: FunctionSettings, *, start: datetime, end: datetime
) -> tuple[MetricTotals, dict[str, list[tuple[datetime, float]]]]:
    """Read hourly AWS/Lambda metrics; return totals and each metric's series, oldest first.

    CloudWatch percentiles are not used (the embedded account cannot serve them); durations
    come from the REPORT lines instead.
    """
    dimensions = [{"Name": "FunctionName", "Value": settings.name}]
    if settings.qualifier:
        dimensions.append({"Name": "Resource", "Value": f"{settings.name}:{settings.qualifier}"})
    series: dict[str, list[tuple[datetime, float]]] = {}
    for metric, statistic in METRICS:
        points = ctx.call(
            "cloudwatch",
            "get_metric_statistics",
            Namespace="AWS/Lambda",
            MetricName=metric,
            Dimensions=dimensions[:1],
            StartTime=start,
            EndTime=end,
            Period=3600,
            Statistics=[statistic],
        )["Datapoints"]
        ordered = sorted(points, key=lambda point: point["Timestamp"])
        series[metric] = [(point["Timestamp"], float(point[statistic])) for point in ordered]
    totals = MetricTotals(
        invocations=sum(value for _, value in series["Invocations"]),
        errors=sum(value for _, value in series["Errors"]),
        throttles=sum(value for _, value in series["Throttles"]),
        peak_concurrency=max((value for _, value in series["ConcurrentExecutions"]), default=0),
        hours_with_data=len(series["Invocations"]),
    )
    return totals, series


def read_compute_optimizer(ctx: AwsContext, arn: str) -> ComputeOptimizerView | None:
    """Return Compute Optimizer's recommendation, or None when it has none for the function."""
    response = ctx.call(
        "compute-optimizer", "get_lambda_function_recommendations", functionArns=[arn]
    )
    items = response.get("lambdaFunctionRecommendations") or []
    if not items:
        return None
    item: JsonDict = items[0]
    options = sorted(item.get("memorySizeRecommendationOptions") or [], key=lambda o: o["rank"])
    top: JsonDict = options[0] if options else {}
    expected = [
        metric["value"]
        for metric in top.get("projectedUtilizationMetrics", [])
        if metric.get("name") == "Duration" and metric.get("statistic") == "Expected"
    ]
    savings = (top.get("savingsOpportunity") or {}).get("estimatedMonthlySavings") or {}
    return ComputeOptimizerView(
        finding=str(item.get("finding", "Unavailable")),
        reasons=[str(code) for code in item.get("findingReasonCodes", [])],
        recommended_mb=top.get("memorySize"),
        projected_duration_ms=float(expected[0]) if expected else None,
        monthly_savings_usd=float(savings["value"]) if "value" in savings else None,
    )


def optional_read(read: Any) -> tuple[Any, str | None]:
    """Run ``read``; on an AwsError return ``(None, reason)`` instead of failing."""
    try:
        return read(), None
    except AwsError as exc:
        return None, str(exc)


def _settings(config: JsonDict, qualifier: str | None) -> FunctionSettings:
    name = str(config["FunctionName"])
    logging_config = config.get("LoggingConfig") or {}
    layers = config.get("Layers") or []
    return FunctionSettings(
        name=name,
        arn=str(config["FunctionArn"]),
        qualifier=qualifier,
        memory_mb=int(config.get("MemorySize", 128)),
        architecture=(config.get("Architectures") or ["x86_64"])[0],
        runtime=config.get("Runtime"),
        package_type=str(config.get("PackageType", "Zip")),
        timeout_s=int(config.get("Timeout", 3)),
        ephemeral_mb=int((config.get("EphemeralStorage") or {}).get("Size", 512)),
        code_size_bytes=int(config.get("CodeSize", 0)),
        layers=[(str(layer["Arn"]), int(layer.get("CodeSize", 0))) for layer in layers],
        log_group=str(logging_config.get("LogGroup") or f"/aws/lambda/{name}"),
        log_format=str(logging_config.get("LogFormat") or "Text"),
        snap_start=str((config.get("SnapStart") or {}).get("ApplyOn", "None")),
        has_efs=bool(config.get("FileSystemConfigs")),
    )
