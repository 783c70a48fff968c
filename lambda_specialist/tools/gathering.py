"""Read everything a review needs about one function, in as few round trips as possible.

Reads run in four concurrent waves, each needing only what the waves before it returned:
the function and its direct settings; the role's policy lists, queues, topics and layers;
the policies and subscriptions themselves; the managed policies' default versions.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from lambda_specialist.aws.context import AwsContext, JsonDict
from lambda_specialist.errors import (
    AccessDeniedError,
    AwsError,
    ResourceNotFoundError,
    UnsupportedOperationError,
)
from lambda_specialist.tools.checks.facts import (
    FunctionFacts,
    LayerFacts,
    MappingFacts,
    PolicyDocument,
    RoleFacts,
    SubscriptionFacts,
    TriggerFacts,
    Unavailable,
)
from lambda_specialist.tools.checks.secrets import register_environment_secrets
from lambda_specialist.tools.functions import FunctionRef, not_found_error
from lambda_specialist.tools.surroundings import (
    extra_wave_one,
    extra_wave_two,
    shape_surroundings,
)

__all__ = ["describe_failure", "gather_function_facts"]

logger = logging.getLogger(__name__)

_SERVICE_SUFFIX = ".amazonaws.com"


def gather_function_facts(ctx: AwsContext, ref: FunctionRef) -> FunctionFacts:
    """Read the function and everything around it; failed optional reads go to ``unavailable``."""
    unavailable: dict[str, Unavailable] = {}
    # Reads nothing else depends on start first and are collected at the end, off the path.
    side = ctx.launch(_side_reads(ctx, ref))
    first = _wave_one(ctx, ref)
    function = first["function"]
    if isinstance(function, ResourceNotFoundError):
        if ref.qualifier:
            raise ResourceNotFoundError(
                f"Function '{ref.name}' has no version or alias '{ref.qualifier}' in "
                f"{ctx.region}. List them with: aws lambda list-aliases --function-name "
                f"{ref.name} (or list-versions-by-function).",
                code=function.code,
                operation="GetFunction",
            ) from function
        raise not_found_error(ctx, ref.name) from function
    if isinstance(function, AwsError):
        raise function
    config: JsonDict = function["Configuration"]
    register_environment_secrets(config)

    statements = _optional(first, "policy", unavailable, _policy_statements, default=[])
    mappings = _optional(first, "mappings", unavailable, list, default=[])
    triggers = tuple(_trigger(s) for s in statements)
    role_name = str(config.get("Role", "")).rsplit("/", 1)[-1]

    second = ctx.gather(
        _wave_two_calls(ctx, config, mappings, triggers, role_name)
        | extra_wave_two(ctx, first, config, triggers, mappings)
    )
    third_calls, role_lists = _wave_three_calls(ctx, second, role_name, unavailable)
    third = ctx.gather(third_calls)
    fourth = ctx.gather(_wave_four_calls(ctx, third, role_lists))
    first = {**first, **side()}

    return FunctionFacts(
        config=config,
        today=datetime.now(UTC).date(),
        tags=dict(function.get("Tags") or {}),
        reserved_concurrency=(function.get("Concurrency") or {}).get(
            "ReservedConcurrentExecutions"
        ),
        policy_statements=tuple(statements),
        triggers=triggers,
        mappings=_mapping_facts(mappings, second, unavailable),
        url_config=_optional(first, "url_config", unavailable, dict, default=None),
        async_config=_optional(first, "async_config", unavailable, dict, default=None),
        role=_role_facts(config, role_name, role_lists, third, fourth, unavailable),
        subscriptions=_subscriptions(config, third, unavailable),
        layers=_layers(config, second, unavailable),
        log_group=_log_group(first, config, unavailable),
        recursion=_optional(
            first, "recursion", unavailable, lambda r: r.get("RecursiveLoop"), default=None
        ),
        runtime_update_mode=_optional(
            first,
            "runtime_management",
            unavailable,
            lambda r: r.get("UpdateRuntimeOn"),
            default=None,
        ),
        unavailable=unavailable,
        **shape_surroundings(first, second, config, triggers, unavailable),
    )


def describe_failure(error: AwsError) -> Unavailable:
    """Say why a read failed, and which permission would allow it."""
    return _unavailable(error)


def _side_reads(ctx: AwsContext, ref: FunctionRef) -> dict[str, Callable[[], Any]]:
    name = ref.name
    qualified = {"Qualifier": ref.qualifier} if ref.qualifier else {}
    account = ctx.describe()
    function_arn = f"arn:aws:lambda:{ctx.region}:{account.account_id}:function:{name}"
    calls: dict[str, Callable[[], Any]] = {
        "url_config": partial(ctx.call, "lambda", "get_function_url_config", FunctionName=name),
        "async_config": partial(
            ctx.call,
            "lambda",
            "get_function_event_invoke_config",
            FunctionName=name,
            **qualified,
        ),
        "recursion": partial(
            ctx.call, "lambda", "get_function_recursion_config", FunctionName=name
        ),
        "runtime_management": partial(
            ctx.call, "lambda", "get_runtime_management_config", FunctionName=name
        ),
        "log_group": partial(
            ctx.paginate,
            "logs",
            "describe_log_groups",
            "logGroups",
            logGroupNamePrefix=f"/aws/lambda/{name}",
        ),
    }
    return calls | extra_wave_one(ctx, name, function_arn)


def _wave_one(ctx: AwsContext, ref: FunctionRef) -> dict[str, Any]:
    name = ref.name
    account = ctx.describe()
    function_arn = f"arn:aws:lambda:{ctx.region}:{account.account_id}:function:{name}"
    qualified = {"Qualifier": ref.qualifier} if ref.qualifier else {}
    calls: dict[str, Callable[[], Any]] = {
        "function": partial(ctx.call, "lambda", "get_function", FunctionName=name, **qualified),
        "policy": partial(ctx.call, "lambda", "get_policy", FunctionName=name, **qualified),
        "mappings": partial(
            ctx.paginate,
            "lambda",
            "list_event_source_mappings",
            "EventSourceMappings",
            FunctionName=name,
        ),
        "event_rules": partial(
            ctx.call, "events", "list_rule_names_by_target", TargetArn=function_arn
        ),
    }
    return ctx.gather(calls)


def _wave_two_calls(
    ctx: AwsContext,
    config: JsonDict,
    mappings: list[JsonDict],
    triggers: tuple[TriggerFacts, ...],
    role_name: str,
) -> dict[str, Callable[[], Any]]:
    calls: dict[str, Callable[[], Any]] = {}
    if role_name:
        calls["role:attached"] = lambda: ctx.paginate(
            "iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role_name
        )
        calls["role:inline"] = lambda: ctx.paginate(
            "iam", "list_role_policies", "PolicyNames", RoleName=role_name
        )
    for mapping in mappings:
        arn = str(mapping.get("EventSourceArn", ""))
        if ":sqs:" in arn:
            url = _queue_url(arn)
            calls[f"queue:{arn}"] = partial(
                ctx.call, "sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["All"]
            )
    for trigger in triggers:
        if trigger.service == "sns" and trigger.source_arn:
            topic = trigger.source_arn
            calls[f"topic:{topic}"] = partial(
                ctx.paginate,
                "sns",
                "list_subscriptions_by_topic",
                "Subscriptions",
                TopicArn=topic,
            )
    for layer in config.get("Layers") or []:
        arn = str(layer["Arn"])
        name, version = arn.split(":")[6], int(arn.split(":")[7])
        calls[f"layer:{arn}"] = partial(
            ctx.call, "lambda", "get_layer_version", LayerName=name, VersionNumber=version
        )
    return calls


def _wave_three_calls(
    ctx: AwsContext,
    second: Mapping[str, Any],
    role_name: str,
    unavailable: dict[str, Unavailable],
) -> tuple[dict[str, Callable[[], Any]], tuple[list[JsonDict], list[str]]]:
    attached = _optional(second, "role:attached", unavailable, list, default=[], key="role")
    inline = _optional(second, "role:inline", unavailable, list, default=[], key="role")
    calls: dict[str, Callable[[], Any]] = {}
    for policy_name in inline:
        calls[f"inline:{policy_name}"] = partial(
            ctx.call, "iam", "get_role_policy", RoleName=role_name, PolicyName=policy_name
        )
    for policy in attached:
        arn = str(policy["PolicyArn"])
        calls[f"managed:{arn}"] = partial(ctx.call, "iam", "get_policy", PolicyArn=arn)
    for key, value in second.items():
        if key.startswith("topic:") and isinstance(value, list):
            for sub in value:
                sub_arn = str(sub.get("SubscriptionArn", ""))
                if sub.get("Protocol") == "lambda" and sub_arn.startswith("arn:"):
                    calls[f"sub:{sub_arn}|{sub.get('Endpoint')}|{sub.get('TopicArn')}"] = partial(
                        ctx.call, "sns", "get_subscription_attributes", SubscriptionArn=sub_arn
                    )
    return calls, (attached, inline)


def _wave_four_calls(
    ctx: AwsContext,
    third: Mapping[str, Any],
    role_lists: tuple[list[JsonDict], list[str]],
) -> dict[str, Callable[[], Any]]:
    calls: dict[str, Callable[[], Any]] = {}
    for policy in role_lists[0]:
        arn = str(policy["PolicyArn"])
        meta = third.get(f"managed:{arn}")
        if isinstance(meta, dict):
            version = meta["Policy"]["DefaultVersionId"]
            calls[f"version:{arn}"] = partial(
                ctx.call, "iam", "get_policy_version", PolicyArn=arn, VersionId=version
            )
    return calls


def _optional(
    results: Mapping[str, Any],
    name: str,
    unavailable: dict[str, Unavailable],
    shape: Callable[[Any], Any],
    *,
    default: Any,
    key: str | None = None,
) -> Any:
    """Shape a read's result; absent resources give ``default``, failures are recorded."""
    value = results.get(name)
    if value is None:
        return default
    if isinstance(value, ResourceNotFoundError):
        return default
    if isinstance(value, AwsError):
        unavailable[key or name] = _unavailable(value)
        return default
    return shape(value)


def _unavailable(error: AwsError) -> Unavailable:
    if isinstance(error, AccessDeniedError):
        return Unavailable(reason=f"access denied to {error.action}", permission=error.action)
    if isinstance(error, UnsupportedOperationError):
        return Unavailable(reason=f"the endpoint does not implement {error.operation}")
    return Unavailable(reason=str(error))


def _policy_statements(response: JsonDict) -> list[JsonDict]:
    document = json.loads(response.get("Policy") or "{}")
    raw = document.get("Statement", [])
    return list(raw if isinstance(raw, list) else [raw])


def _trigger(statement: JsonDict) -> TriggerFacts:
    principal = statement.get("Principal")
    if isinstance(principal, dict) and "Service" in principal:
        service = str(principal["Service"]).removesuffix(_SERVICE_SUFFIX)
    elif principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*"):
        service = "*"
    else:
        service = "account"
    conditions = {
        k.lower(): v
        for block in (statement.get("Condition") or {}).values()
        for k, v in block.items()
    }
    return TriggerFacts(
        service=service,
        source_arn=_first(conditions.get("aws:sourcearn")),
        source_account=_first(conditions.get("aws:sourceaccount")),
        statement_id=str(statement.get("Sid", "")),
    )


def _first(value: object) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if value else None


def _queue_url(arn: str) -> str:
    _, partition, _, region, account, name = arn.split(":", 5)
    suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
    return f"https://sqs.{region}.{suffix}/{account}/{name}"


def _mapping_facts(
    mappings: list[JsonDict], second: Mapping[str, Any], unavailable: dict[str, Unavailable]
) -> tuple[MappingFacts, ...]:
    facts = []
    for mapping in mappings:
        arn = str(mapping.get("EventSourceArn", ""))
        attributes = _optional(
            second,
            f"queue:{arn}",
            unavailable,
            lambda r: r.get("Attributes", {}),
            default=None,
            key="queues",
        )
        facts.append(MappingFacts(mapping=mapping, queue_attributes=attributes))
    return tuple(facts)


def _role_facts(
    config: JsonDict,
    role_name: str,
    role_lists: tuple[list[JsonDict], list[str]],
    third: Mapping[str, Any],
    fourth: Mapping[str, Any],
    unavailable: dict[str, Unavailable],
) -> RoleFacts | None:
    if not role_name or "role" in unavailable:
        return None
    inline = tuple(
        PolicyDocument(name=name, arn=None, document=_document(doc["PolicyDocument"]))
        for name in role_lists[1]
        if isinstance(doc := third.get(f"inline:{name}"), dict)
    )
    attached = tuple(
        PolicyDocument(
            name=str(p["PolicyName"]),
            arn=str(p["PolicyArn"]),
            document=_document(v["PolicyVersion"]["Document"]),
        )
        for p in role_lists[0]
        if isinstance(v := fourth.get(f"version:{p['PolicyArn']}"), dict)
    )
    failed = [r for r in (*third.values(), *fourth.values()) if isinstance(r, AccessDeniedError)]
    if failed:
        unavailable["role"] = _unavailable(failed[0])
        return None
    return RoleFacts(name=role_name, arn=str(config.get("Role")), attached=attached, inline=inline)


def _document(raw: object) -> JsonDict:
    if isinstance(raw, str):
        from urllib.parse import unquote

        return dict(json.loads(unquote(raw)))
    return dict(raw) if isinstance(raw, dict) else {}


def _subscriptions(
    config: JsonDict, third: Mapping[str, Any], unavailable: dict[str, Unavailable]
) -> tuple[SubscriptionFacts, ...]:
    function_arn = str(config.get("FunctionArn"))
    subs = []
    for key, value in third.items():
        if not key.startswith("sub:"):
            continue
        sub_arn, endpoint, topic = key[4:].split("|")
        if endpoint.split(":")[:7] != function_arn.split(":")[:7]:
            continue
        if isinstance(value, AwsError):
            unavailable["subscriptions"] = _unavailable(value)
            continue
        subs.append(
            SubscriptionFacts(
                topic_arn=topic,
                subscription_arn=sub_arn,
                attributes=dict(value.get("Attributes") or {}),
            )
        )
    return tuple(subs)


def _layers(
    config: JsonDict, second: Mapping[str, Any], unavailable: dict[str, Unavailable]
) -> tuple[LayerFacts, ...]:
    layers = []
    for entry in config.get("Layers") or []:
        arn = str(entry["Arn"])
        info = _optional(second, f"layer:{arn}", unavailable, dict, default={}, key="layers")
        runtimes = info.get("CompatibleRuntimes")
        archs = info.get("CompatibleArchitectures")
        layers.append(
            LayerFacts(
                arn=arn,
                code_size=int(entry.get("CodeSize", 0)),
                compatible_runtimes=tuple(runtimes) if runtimes else None,
                compatible_architectures=tuple(archs) if archs else None,
            )
        )
    return tuple(layers)


def _log_group(
    first: Mapping[str, Any], config: JsonDict, unavailable: dict[str, Unavailable]
) -> JsonDict | None:
    groups = _optional(first, "log_group", unavailable, list, default=[])
    wanted = (config.get("LoggingConfig") or {}).get("LogGroup") or (
        f"/aws/lambda/{config['FunctionName']}"
    )
    return next((g for g in groups if g.get("logGroupName") == wanted), None)
