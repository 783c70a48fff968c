"""Checks across the function and what invokes it: retries, loops, upstream tracing, keys."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.permissions import role_allows
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_ASYNC = {"s3", "sns", "events", "scheduler", "iot", "ses"}
_NO_XRAY_SOURCES = {"kafka", "mq", "docdb"}


@check(
    "AS-02",
    family="async",
    title="Async retries and event age left at their defaults",
    severity=Severity.LOW,
    rationale="By default Lambda retries a failed async event twice and keeps it up to six "
    "hours; a handler that is not idempotent may then act on the same event several times.",
    fix="Set MaximumRetryAttempts (0-2) and MaximumEventAgeInSeconds to what the handler can "
    "tolerate: aws lambda put-function-event-invoke-config.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html",
    needs=("config", "policy", "async_config"),
)
def default_async_retries(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an async-invoked function whose retry and age settings are both defaults."""
    if not facts.is_async_invoked:
        return
    cfg = facts.async_config or {}
    retries = cfg.get("MaximumRetryAttempts", 2)
    age = cfg.get("MaximumEventAgeInSeconds", 21600)
    if retries == 2 and age == 21600:
        yield Hit(evidence={"maximum_retry_attempts": retries, "maximum_event_age_s": age})


@check(
    "AS-04",
    family="async",
    title="EventBridge target without a dead-letter queue",
    severity=Severity.MEDIUM,
    rationale="When EventBridge cannot deliver to the function (throttling, a missing "
    "permission), it retries for up to 24 hours and then drops the event unless the target "
    "has a DLQ.",
    fix="Add DeadLetterConfig (an SQS queue) and a RetryPolicy to the rule's target.",
    docs_url="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
    needs=("config", "event_rules"),
)
def event_target_without_dlq(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for each EventBridge target of the function without DeadLetterConfig."""
    for target in facts.event_targets:
        if not target.dead_letter_arn:
            yield Hit(
                evidence={
                    "rule": target.rule,
                    "target": target.target_id,
                    "dead_letter_queue": None,
                    "retry_policy": bool(target.retry_policy),
                },
                fix=f"aws events put-targets --rule {target.rule} --targets "
                f"'Id={target.target_id},Arn=<function arn>,DeadLetterConfig={{Arn=<queue-arn>}}'",
            )


@check(
    "AS-05",
    family="async",
    title="Function may write to the bucket that triggers it (recursive loop risk)",
    severity=Severity.HIGH,
    rationale="An object the function writes under the trigger's prefix and suffix invokes "
    "the function again, and again: the bill grows until someone notices.",
    fix="Write to another bucket, or to a prefix the notification filter excludes; keep "
    "recursive loop detection on.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
    needs=("config", "role", "s3_notifications"),
)
def s3_recursion_risk(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the role may PutObject where the bucket notification listens."""
    if facts.role is None:
        return
    for note in facts.s3_notifications:
        key = f"{note.prefix}example{note.suffix}"
        if role_allows(facts.role, "s3:PutObject", f"arn:aws:s3:::{note.bucket}/{key}"):
            yield Hit(
                evidence={
                    "bucket": note.bucket,
                    "prefix": note.prefix or None,
                    "suffix": note.suffix or None,
                    "role_allows": "s3:PutObject",
                }
            )


@check(
    "FN-04",
    family="access",
    title="Function URL policy lacks lambda:InvokeFunction",
    severity=Severity.MEDIUM,
    rationale="Function URLs created since October 2025 need both lambda:InvokeFunctionUrl "
    "and lambda:InvokeFunction in the resource policy; with only the first, callers get 403.",
    fix="aws lambda add-permission --function-name <name> --statement-id url-invoke "
    "--action lambda:InvokeFunction --principal '*' --invoked-via-function-url",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    needs=("config", "policy", "url_config"),
)
def url_policy_incomplete(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when a URL exists and no statement allows lambda:InvokeFunction."""
    if not facts.url_config:
        return
    actions = {
        str(s.get("Action")).lower() for s in facts.policy_statements if s.get("Effect") == "Allow"
    }
    if "lambda:invokefunctionurl" in actions and not actions & {
        "lambda:invokefunction",
        "lambda:*",
    }:
        yield Hit(
            evidence={
                "auth_type": facts.url_config.get("AuthType"),
                "actions_allowed": sorted(actions),
            }
        )


@check(
    "TR-05",
    family="tracing",
    title="Upstream API Gateway stage does not trace",
    severity=Severity.LOW,
    rationale="Without tracing on the REST stage, the trace starts at the function and the "
    "time spent in API Gateway is invisible.",
    fix="Enable X-Ray on the stage: aws apigateway update-stage --rest-api-id <id> "
    "--stage-name <stage> --patch-operations op=replace,path=/tracingEnabled,value=true",
    docs_url="https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html",
    needs=("config", "api_stages"),
)
def upstream_stage_untraced(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for each REST stage in front of the function with tracing off."""
    for stage in facts.api_stages:
        if not stage.tracing_enabled:
            yield Hit(
                evidence={"rest_api": stage.api_id, "stage": stage.stage, "tracing_enabled": False}
            )


@check(
    "TR-06",
    family="tracing",
    title="Tracing expected on an event source X-Ray does not follow",
    severity=Severity.INFO,
    rationale="Traces do not propagate from Kafka, Amazon MQ or DocumentDB mappings: each "
    "invocation starts a new trace.",
    fix="Correlate with an ID carried in the messages instead.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
)
def untraceable_source(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when tracing is Active and a mapping reads Kafka, MQ or DocumentDB."""
    if (facts.config.get("TracingConfig") or {}).get("Mode") != "Active":
        return
    for m in facts.mappings:
        if m.source_type in _NO_XRAY_SOURCES:
            yield Hit(evidence={"mapping": m.mapping.get("UUID"), "source_type": m.source_type})


@check(
    "ES-07",
    family="event_sources",
    title="Filter criteria on an SQS mapping delete what they do not match",
    severity=Severity.MEDIUM,
    rationale="For SQS, Lambda deletes messages that do not match the filter: they are never "
    "processed and never reach a dead-letter queue.",
    fix="Filter before the queue (an SNS filter policy or EventBridge rule), or make sure "
    "dropping non-matching messages is intended.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html",
)
def sqs_filter_drops(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an SQS mapping with filter criteria."""
    for m in facts.mappings:
        filters = (m.mapping.get("FilterCriteria") or {}).get("Filters") or []
        if m.source_type == "sqs" and filters:
            yield Hit(evidence={"mapping": m.mapping.get("UUID"), "filters": len(filters)})


@check(
    "SQ-06",
    family="event_sources",
    title="Encrypted queue, but the role cannot decrypt",
    severity=Severity.HIGH,
    rationale="Lambda reads the queue with the function's role; without kms:Decrypt on the "
    "queue's key every poll fails and messages pile up.",
    fix="Allow kms:Decrypt on the queue's KMS key in the execution role.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    needs=("config", "queues", "role"),
)
def queue_key_not_allowed(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a queue with a KmsMasterKeyId the role may not decrypt with."""
    if facts.role is None:
        return
    for m in facts.mappings:
        key = (m.queue_attributes or {}).get("KmsMasterKeyId")
        if m.source_type != "sqs" or not key or key == "alias/aws/sqs":
            continue
        key_arn = _key_arn(str(key), m.source_arn)
        if key_arn is None:
            continue  # an alias: the key behind it needs kms:DescribeKey to resolve
        if not role_allows(facts.role, "kms:Decrypt", key_arn):
            yield Hit(evidence={"queue": m.source_arn, "kms_key": key_arn})


def _key_arn(key: str, queue_arn: str) -> str | None:
    """The key ARN for a KmsMasterKeyId (an ARN or a key ID); None for an alias."""
    if key.startswith("arn:"):
        return None if ":alias/" in key else key
    if key.startswith("alias/"):
        return None
    _, partition, _, region, account, _ = (queue_arn.split(":", 5) + [""] * 6)[:6]
    return f"arn:{partition or 'aws'}:kms:{region}:{account}:key/{key}"


@check(
    "LY-09",
    family="layers",
    title="Own layer version shared with everyone",
    severity=Severity.MEDIUM,
    rationale="A layer version shared with Principal '*' lets any AWS account download its "
    "code, including anything secret bundled in it.",
    fix="Remove the statement (aws lambda remove-layer-version-permission) or restrict it "
    "with an OrganizationId.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/api/API_AddLayerVersionPermission.html",
    needs=("config", "layer_policies"),
)
def public_layer(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an own layer version whose policy allows '*' without an organization."""
    for arn, statements in sorted(facts.layer_policies.items()):
        for statement in statements:
            if statement.get("Principal") in ("*", {"AWS": "*"}) and not statement.get("Condition"):
                yield Hit(evidence={"layer": arn, "statement": statement.get("Sid")})
