"""Asynchronous invocation checks: failure destinations, SNS redrive, confused deputy."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_ASYNC_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"


@check(
    "AS-01",
    family="async",
    title="Asynchronously invoked, with no on-failure destination or dead-letter queue",
    severity=Severity.HIGH,
    rationale="After two retries (or six hours) Lambda drops an async event that keeps "
    "failing; without a destination or DLQ the event is gone without a trace.",
    fix="Add an on-failure destination: aws lambda put-function-event-invoke-config "
    "--function-name <name> --destination-config "
    '\'{"OnFailure":{"Destination":"<queue-arn>"}}\'.',
    docs_url=_ASYNC_DOCS,
    needs=("config", "policy", "async_config"),
)
def async_without_failure_path(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when an async trigger exists and neither OnFailure nor a DLQ is configured."""
    if not facts.is_async_invoked:
        return
    on_failure = (
        ((facts.async_config or {}).get("DestinationConfig") or {}).get("OnFailure") or {}
    ).get("Destination")
    dlq = (facts.config.get("DeadLetterConfig") or {}).get("TargetArn")
    if on_failure or dlq:
        return
    yield Hit(
        evidence={
            "async_triggers": sorted(
                facts.trigger_services & {"s3", "sns", "events", "scheduler", "iot", "ses"}
            ),
            "on_failure_destination": None,
            "dead_letter_queue": None,
        },
        fix=f"aws lambda put-function-event-invoke-config --function-name {facts.name} "
        '--destination-config \'{"OnFailure":{"Destination":"<queue-arn>"}}\' '
        "(IaC: EventInvokeConfig.DestinationConfig.OnFailure); the role needs "
        "sqs:SendMessage on that queue.",
    )


@check(
    "AS-03",
    family="async",
    title="SNS subscription to the function has no redrive policy",
    severity=Severity.MEDIUM,
    rationale="If SNS cannot deliver to the function (throttling, a deleted permission) it "
    "retries for 23 days and then drops the message unless the subscription has a DLQ.",
    fix="Set the subscription's RedrivePolicy to an SQS dead-letter queue.",
    docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html",
    needs=("config", "policy", "subscriptions"),
)
def sns_without_redrive(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for each SNS subscription delivering to the function without RedrivePolicy."""
    for sub in facts.subscriptions:
        if not sub.attributes.get("RedrivePolicy"):
            yield Hit(
                evidence={
                    "topic": sub.topic_arn,
                    "subscription": sub.subscription_arn,
                    "redrive_policy": None,
                },
                fix=f"aws sns set-subscription-attributes --subscription-arn "
                f"{sub.subscription_arn} --attribute-name RedrivePolicy --attribute-value "
                '\'{"deadLetterTargetArn":"<queue-arn>"}\'',
            )


@check(
    "AS-06",
    family="async",
    title="Recursive loop detection is turned off",
    severity=Severity.HIGH,
    rationale="With RecursiveLoop=Allow, a function that triggers itself through SQS, SNS or "
    "S3 runs (and bills) until someone notices.",
    fix="aws lambda put-function-recursion-config --function-name <name> "
    "--recursive-loop Terminate",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
    needs=("config", "recursion"),
)
def recursion_allowed(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when RecursiveLoop is Allow."""
    if facts.recursion == "Allow":
        yield Hit(evidence={"recursive_loop": "Allow"})


@check(
    "AS-07",
    family="async",
    title="Service permission without a source restriction (confused deputy)",
    severity=Severity.HIGH,
    rationale="A service principal allowed without AWS:SourceArn or AWS:SourceAccount lets "
    "any account's resource of that service invoke the function.",
    fix="Re-add the permission with --source-arn (and --source-account for S3).",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    needs=("config", "policy"),
    security_hub_control="Lambda.1",
)
def unscoped_service_permission(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a service-principal statement without SourceArn and SourceAccount."""
    for trigger in facts.triggers:
        if trigger.service in {"*", "account"}:
            continue
        if not trigger.source_arn and not trigger.source_account:
            yield Hit(
                evidence={"statement": trigger.statement_id, "service": trigger.service},
                fix=f"aws lambda remove-permission --function-name {facts.name} "
                f"--statement-id {trigger.statement_id}, then add-permission again with "
                "--source-arn <the resource's ARN> --source-account <account>.",
            )
