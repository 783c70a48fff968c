"""Checks on how the function runs: errors and timeouts, lag, concurrency, cost levers, hygiene."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_ERROR_RATE = 0.01
_ITERATOR_AGE_MS = 60_000
_MAX_DDB_READERS = 2
_INTERPRETED = ("python", "nodejs", "ruby")


@check(
    "FN-15",
    family="operations",
    title="Errors or timeouts in the last 14 days",
    severity=Severity.MEDIUM,
    rationale="A steady error rate or invocations that hit the timeout mean lost work and "
    "retries that cost money; timeouts often point at a slow dependency or too little memory.",
    fix="Read the failing invocations in CloudWatch Logs (Status: error / timeout in REPORT "
    "lines); size memory with suggest_memory and set timeouts from observed durations.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    needs=("config", "metrics"),
)
def errors_and_timeouts(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when Errors/Invocations exceeds 1% or the maximum duration reached the timeout."""
    invocations = facts.metrics.get("invocations", 0.0)
    errors = facts.metrics.get("errors", 0.0)
    longest = facts.metrics.get("duration_max_ms", 0.0)
    rate = errors / invocations if invocations else 0.0
    timed_out = longest >= facts.timeout * 1000 * 0.99
    if invocations and (rate > _ERROR_RATE or timed_out):
        yield Hit(
            evidence={
                "invocations_14d": int(invocations),
                "errors_14d": int(errors),
                "error_rate_pct": round(rate * 100, 2),
                "max_duration_ms": round(longest, 1),
                "timeout_ms": facts.timeout * 1000,
                "reached_timeout": timed_out,
            }
        )


@check(
    "ES-04",
    family="operations",
    title="Stream consumer falls behind (IteratorAge) with one batch per shard",
    severity=Severity.MEDIUM,
    rationale="A growing IteratorAge means records wait longer and longer; with "
    "ParallelizationFactor 1 each shard is processed by one invocation at a time.",
    fix="Raise ParallelizationFactor (up to 10; order is kept per partition key) or speed up "
    "the handler.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html",
    needs=("config", "metrics"),
)
def stream_lag(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the maximum IteratorAge exceeds a minute and a stream mapping has factor 1."""
    age = facts.metrics.get("iterator_age_max_ms", 0.0)
    for m in facts.mappings:
        if (
            m.source_type in {"dynamodb", "kinesis"}
            and age > _ITERATOR_AGE_MS
            and int(m.mapping.get("ParallelizationFactor", 1) or 1) == 1
        ):
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "iterator_age_max_ms": age,
                    "parallelization_factor": 1,
                }
            )


@check(
    "ES-05",
    family="operations",
    title="More than two consumers read the same DynamoDB stream",
    severity=Severity.MEDIUM,
    rationale="DynamoDB Streams supports about two simultaneous readers per shard; more "
    "readers are throttled and fall behind.",
    fix="Fan out from one consumer (for example to EventBridge or SNS), or move to Kinesis "
    "Data Streams for DynamoDB with enhanced fan-out.",
    docs_url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html",
    needs=("config",),
)
def crowded_stream(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when a DynamoDB stream has more than two event source mappings."""
    for stream, count in sorted(facts.stream_consumers.items()):
        if count > _MAX_DDB_READERS:
            yield Hit(evidence={"stream": stream, "consumers": count})


@check(
    "SQ-04",
    family="operations",
    title="SQS maximum concurrency above the function's reserved concurrency",
    severity=Severity.MEDIUM,
    rationale="The poller scales up to MaximumConcurrency but the function is throttled at its "
    "reserved concurrency; throttled batches return to the queue and can end in the DLQ.",
    fix="Set ScalingConfig.MaximumConcurrency at or below the reserved concurrency.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html",
)
def sqs_concurrency_above_reserved(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when MaximumConcurrency exceeds ReservedConcurrentExecutions."""
    reserved = facts.reserved_concurrency
    for m in facts.mappings:
        maximum = (m.mapping.get("ScalingConfig") or {}).get("MaximumConcurrency")
        if m.source_type == "sqs" and reserved is not None and maximum and maximum > reserved:
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "maximum_concurrency": maximum,
                    "reserved_concurrency": reserved,
                }
            )


@check(
    "FN-10",
    family="operations",
    title="Provisioned concurrency on a version no alias routes to",
    severity=Severity.INFO,
    rationale="Provisioned concurrency bills by the hour whether or not traffic reaches that "
    "version; only invocations of that version or an alias pointing at it use it.",
    fix="Point the alias your callers use at the provisioned version, or remove the config.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html",
    needs=("config", "provisioned", "aliases"),
)
def provisioned_unrouted(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a provisioned version that is neither an alias nor an alias's target."""
    routed = {str(a.get("Name")) for a in facts.aliases} | {
        str(a.get("FunctionVersion")) for a in facts.aliases
    }
    for config in facts.provisioned:
        qualifier = str(config.get("FunctionArn", "")).rsplit(":", 1)[-1]
        if qualifier not in routed:
            yield Hit(
                evidence={
                    "qualifier": qualifier,
                    "allocated": config.get("AllocatedProvisionedConcurrentExecutions"),
                }
            )


@check(
    "FN-13",
    family="operations",
    title="x86_64 function that could run on arm64",
    severity=Severity.INFO,
    rationale="arm64 (Graviton) costs about 20% less per GB-second and often runs as fast; "
    "interpreted code without native dependencies moves without changes.",
    fix="Check the package and layers for native code (inspect_layer), then switch "
    "Architectures to arm64 and run the tests.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html",
    needs=("config", "layers"),
)
def arm64_candidate(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an interpreted x86_64 function whose layers all declare arm64 support (or none)."""
    if facts.architecture != "x86_64" or not (facts.runtime or "").startswith(_INTERPRETED):
        return
    if all(
        la.compatible_architectures is None or "arm64" in la.compatible_architectures
        for la in facts.layers
    ):
        yield Hit(
            evidence={
                "architecture": "x86_64",
                "runtime": facts.runtime,
                "layers": len(facts.layers),
            }
        )


@check(
    "FN-17",
    family="operations",
    title="Function has no tags",
    severity=Severity.LOW,
    rationale="Without tags, cost allocation and ownership cannot be traced to a team.",
    fix="aws lambda tag-resource --resource <arn> --tags team=<team>,service=<service>",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html",
    security_hub_control="Lambda.6",
)
def untagged(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the function carries no tags."""
    if not facts.tags:
        yield Hit(evidence={"tags": 0})


@check(
    "FN-19",
    family="operations",
    title="Newer Lambda features in use: review their settings",
    severity=Severity.INFO,
    rationale="Durable functions, Lambda Managed Instances and tenant isolation bring settings "
    "(execution timeouts, retention, capacity providers) that older reviews do not cover.",
    fix="Review the listed settings against the workload.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html",
)
def newer_features(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when DurableConfig, CapacityProviderConfig or TenancyConfig is present."""
    present = [
        k
        for k in ("DurableConfig", "CapacityProviderConfig", "TenancyConfig")
        if facts.config.get(k)
    ]
    if present:
        yield Hit(evidence={"features": present})


@check(
    "FN-20",
    family="operations",
    title="Log levels set while the log format is Text",
    severity=Severity.LOW,
    rationale="ApplicationLogLevel and SystemLogLevel only take effect with LogFormat JSON.",
    fix="Set LoggingConfig.LogFormat to JSON, or drop the log levels.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html",
)
def levels_with_text_logs(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when log levels are configured with the Text log format."""
    logging = facts.config.get("LoggingConfig") or {}
    levels = [k for k in ("ApplicationLogLevel", "SystemLogLevel") if logging.get(k)]
    if logging.get("LogFormat", "Text") == "Text" and levels:
        yield Hit(evidence={"log_format": "Text", "levels_set": levels})


@check(
    "FN-21",
    family="operations",
    title="Ephemeral storage raised above the free 512 MB",
    severity=Severity.INFO,
    rationale="Storage above 512 MB is billed per GB-second on every invocation.",
    fix="Keep it only if the function writes that much to /tmp; otherwise set 512 MB.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html",
)
def large_ephemeral_storage(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when EphemeralStorage.Size exceeds 512 MB."""
    size = int((facts.config.get("EphemeralStorage") or {}).get("Size", 512))
    if size > 512:
        yield Hit(evidence={"ephemeral_storage_mb": size})
