"""Reads about what surrounds a function: metrics, rules, buckets, stages, versions, layers.

These complement ``gathering``'s core waves: wave-one calls need only the function's name and
ARN, wave-two calls need the first wave's triggers and mappings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from lambda_specialist.aws.context import AwsContext, JsonDict
from lambda_specialist.errors import AwsError, ResourceNotFoundError
from lambda_specialist.tools.checks.facts import (
    ApiStageFacts,
    EventTargetFacts,
    S3NotificationFacts,
    TriggerFacts,
    Unavailable,
)

__all__ = ["extra_wave_one", "extra_wave_two", "shape_surroundings"]

Calls = dict[str, Callable[[], Any]]
MetricSpec = tuple[str, str, str]
METRICS: tuple[MetricSpec, ...] = (
    ("invocations", "Invocations", "Sum"),
    ("errors", "Errors", "Sum"),
    ("throttles", "Throttles", "Sum"),
    ("duration_max_ms", "Duration", "Maximum"),
    ("iterator_age_max_ms", "IteratorAge", "Maximum"),
    ("concurrency_max", "ConcurrentExecutions", "Maximum"),
)
WINDOW = timedelta(days=14)


def extra_wave_one(ctx: AwsContext, name: str, function_arn: str) -> Calls:
    """Reads that need only the function's name and ARN."""
    return {
        "metrics": partial(_read_metrics, ctx, name),
        "provisioned": partial(
            ctx.paginate,
            "lambda",
            "list_provisioned_concurrency_configs",
            "ProvisionedConcurrencyConfigs",
            FunctionName=name,
        ),
        "aliases": partial(ctx.paginate, "lambda", "list_aliases", "Aliases", FunctionName=name),
    }


def extra_wave_two(
    ctx: AwsContext,
    first: Mapping[str, Any],
    config: JsonDict,
    triggers: tuple[TriggerFacts, ...],
    mappings: list[JsonDict],
) -> Calls:
    """Reads that follow the first wave's triggers, mappings and layers."""
    calls: Calls = {}
    rules = first.get("event_rules")
    for rule in rules.get("RuleNames", []) if isinstance(rules, dict) else []:
        calls[f"rule:{rule}"] = partial(
            ctx.paginate, "events", "list_targets_by_rule", "Targets", Rule=rule
        )
    for trigger in triggers:
        arn = trigger.source_arn or ""
        if trigger.service == "s3" and arn.startswith("arn:aws:s3:::"):
            bucket = arn.split(":::", 1)[1].split("/", 1)[0]
            calls[f"bucket:{bucket}"] = partial(
                ctx.call, "s3", "get_bucket_notification_configuration", Bucket=bucket
            )
        if trigger.service == "apigateway" and ":execute-api:" in arn:
            api_id = arn.split(":", 5)[5].partition("/")[0]
            calls[f"api:{api_id}"] = partial(_stages, ctx, api_id)
    for mapping in mappings:
        source = str(mapping.get("EventSourceArn", ""))
        if ":dynamodb:" in source:
            calls[f"consumers:{source}"] = partial(
                ctx.paginate,
                "lambda",
                "list_event_source_mappings",
                "EventSourceMappings",
                EventSourceArn=source,
            )
    own_account = str(config.get("FunctionArn", "")).split(":")[4:5]
    for layer in config.get("Layers") or []:
        parts = str(layer["Arn"]).split(":")
        if parts[4:5] == own_account:
            calls[f"layer_policy:{layer['Arn']}"] = partial(
                ctx.call,
                "lambda",
                "get_layer_version_policy",
                LayerName=parts[6],
                VersionNumber=int(parts[7]),
            )
    return calls


def shape_surroundings(
    first: Mapping[str, Any],
    second: Mapping[str, Any],
    config: JsonDict,
    triggers: tuple[TriggerFacts, ...],
    unavailable: dict[str, Unavailable],
) -> dict[str, Any]:
    """Turn the raw reads into FunctionFacts fields; failed reads go to ``unavailable``."""
    function_arn = str(config.get("FunctionArn", ""))
    return {
        "metrics": _value(first, "metrics", unavailable, {}),
        "provisioned": tuple(_value(first, "provisioned", unavailable, [])),
        "aliases": tuple(_value(first, "aliases", unavailable, [])),
        "event_targets": _event_targets(first, second, function_arn, unavailable),
        "s3_notifications": _s3_notifications(second, function_arn, unavailable),
        "stream_consumers": {
            key.split(":", 1)[1]: len(value)
            for key, value in second.items()
            if key.startswith("consumers:") and isinstance(value, list)
        },
        "layer_policies": _layer_policies(second, unavailable),
        "api_stages": _api_stages(second, triggers, unavailable),
    }


def _stages(ctx: AwsContext, api_id: str) -> list[JsonDict]:
    """GetStages is not pageable: one call returns every stage of the REST API."""
    return list(ctx.call("apigateway", "get_stages", restApiId=api_id).get("item", []))


def _read_metrics(ctx: AwsContext, name: str) -> dict[str, float]:
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    queries = [
        {
            "Id": key,
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/Lambda",
                    "MetricName": metric,
                    "Dimensions": [{"Name": "FunctionName", "Value": name}],
                },
                "Period": 86400,
                "Stat": stat,
            },
            "ReturnData": True,
        }
        for key, metric, stat in METRICS
    ]
    response = ctx.call(
        "cloudwatch",
        "get_metric_data",
        MetricDataQueries=queries,
        StartTime=end - WINDOW,
        EndTime=end,
    )
    stats = {key: stat for key, _, stat in METRICS}
    values: dict[str, float] = {}
    for series in response.get("MetricDataResults", []):
        points = [float(v) for v in series.get("Values", [])]
        if points:
            key = str(series["Id"])
            values[key] = sum(points) if stats[key] == "Sum" else max(points)
    return values


def _value(
    results: Mapping[str, Any], name: str, unavailable: dict[str, Unavailable], default: Any
) -> Any:
    from lambda_specialist.tools.gathering import describe_failure

    value = results.get(name)
    if value is None or isinstance(value, ResourceNotFoundError):
        return default
    if isinstance(value, AwsError):
        unavailable[name] = describe_failure(value)
        return default
    return value


def _event_targets(
    first: Mapping[str, Any],
    second: Mapping[str, Any],
    function_arn: str,
    unavailable: dict[str, Unavailable],
) -> tuple[EventTargetFacts, ...]:
    _value(first, "event_rules", unavailable, None)
    targets = []
    for key in [k for k in second if k.startswith("rule:")]:
        found = _value(second, key, unavailable, [])
        if key in unavailable:
            unavailable["event_rules"] = unavailable.pop(key)
        for target in found:
            if str(target.get("Arn", "")).split(":")[:7] == function_arn.split(":")[:7]:
                targets.append(
                    EventTargetFacts(
                        rule=key[5:],
                        target_id=str(target.get("Id", "")),
                        dead_letter_arn=(target.get("DeadLetterConfig") or {}).get("Arn"),
                        retry_policy=target.get("RetryPolicy"),
                    )
                )
    return tuple(targets)


def _s3_notifications(
    second: Mapping[str, Any], function_arn: str, unavailable: dict[str, Unavailable]
) -> tuple[S3NotificationFacts, ...]:
    notes = []
    for key in [k for k in second if k.startswith("bucket:")]:
        config = _value(second, key, unavailable, {})
        if key in unavailable:
            unavailable["s3_notifications"] = unavailable.pop(key)
        for entry in config.get("LambdaFunctionConfigurations", []):
            if (
                str(entry.get("LambdaFunctionArn", "")).split(":")[:7]
                != function_arn.split(":")[:7]
            ):
                continue
            rules = {
                str(r.get("Name", "")).lower(): str(r.get("Value", ""))
                for r in ((entry.get("Filter") or {}).get("Key") or {}).get("FilterRules", [])
            }
            notes.append(
                S3NotificationFacts(
                    bucket=key[7:],
                    events=tuple(entry.get("Events", [])),
                    prefix=rules.get("prefix", ""),
                    suffix=rules.get("suffix", ""),
                )
            )
    return tuple(notes)


def _layer_policies(
    second: Mapping[str, Any], unavailable: dict[str, Unavailable]
) -> dict[str, tuple[JsonDict, ...]]:
    policies: dict[str, tuple[JsonDict, ...]] = {}
    for key in [k for k in second if k.startswith("layer_policy:")]:
        response = _value(second, key, unavailable, {})
        if key in unavailable:
            unavailable["layer_policies"] = unavailable.pop(key)
        document = json.loads(response.get("Policy") or "{}")
        raw = document.get("Statement", [])
        policies[key.split(":", 1)[1]] = tuple(raw if isinstance(raw, list) else [raw])
    return policies


def _api_stages(
    second: Mapping[str, Any],
    triggers: tuple[TriggerFacts, ...],
    unavailable: dict[str, Unavailable],
) -> tuple[ApiStageFacts, ...]:
    wanted: dict[str, set[str]] = {}
    for trigger in triggers:
        arn = trigger.source_arn or ""
        if trigger.service == "apigateway" and ":execute-api:" in arn:
            api_id, _, rest = arn.split(":", 5)[5].partition("/")
            wanted.setdefault(api_id, set()).add(rest.split("/", 1)[0] or "*")
    stages = []
    for api_id, names in sorted(wanted.items()):
        found = _value(second, f"api:{api_id}", unavailable, [])
        if f"api:{api_id}" in unavailable:
            unavailable["api_stages"] = unavailable.pop(f"api:{api_id}")
        for stage in found:
            stage_name = str(stage.get("stageName", ""))
            if "*" in names or stage_name in names:
                stages.append(
                    ApiStageFacts(
                        api_id=api_id,
                        stage=stage_name,
                        tracing_enabled=bool(stage.get("tracingEnabled")),
                    )
                )
    return tuple(stages)
