"""Event source mapping checks: stream error handling and SQS queue settings."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lambda_specialist.knowledge.limits import SQS_VISIBILITY_FACTOR
from lambda_specialist.tools.checks.facts import FunctionFacts, MappingFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_STREAM_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errorhandling.html"
_SQS_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"
_STREAMS = {"dynamodb", "kinesis"}


@check(
    "ES-01",
    family="event_sources",
    title="Stream mapping retries forever (poison record blocks the shard)",
    severity=Severity.HIGH,
    rationale="With MaximumRetryAttempts and MaximumRecordAgeInSeconds both -1, one record the "
    "handler cannot process is retried until it expires from the stream, and the shard makes "
    "no progress meanwhile.",
    fix="Bound the retries and the record age and bisect batches on error.",
    docs_url=_STREAM_DOCS,
)
def infinite_stream_retries(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a stream mapping with infinite retries and infinite record age."""
    for m in _of_type(facts, _STREAMS):
        retries = m.mapping.get("MaximumRetryAttempts", -1)
        age = m.mapping.get("MaximumRecordAgeInSeconds", -1)
        if retries == -1 and age == -1:
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "source": m.source_arn,
                    "maximum_retry_attempts": retries,
                    "maximum_record_age_s": age,
                },
                fix=f"aws lambda update-event-source-mapping --uuid {m.mapping.get('UUID')} "
                "--maximum-retry-attempts 3 --maximum-record-age-in-seconds 3600 "
                "--bisect-batch-on-function-error (IaC: MaximumRetryAttempts, "
                "MaximumRecordAgeInSeconds, BisectBatchOnFunctionError).",
            )


@check(
    "ES-02",
    family="event_sources",
    title="Stream mapping has no on-failure destination",
    severity=Severity.HIGH,
    rationale="When retries run out, the failed batch is discarded; without an on-failure "
    "destination there is no record of which items were lost.",
    fix="Add DestinationConfig.OnFailure pointing at an SQS queue, SNS topic or S3 bucket.",
    docs_url=_STREAM_DOCS,
)
def stream_without_destination(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a stream or Kafka mapping without DestinationConfig.OnFailure."""
    for m in _of_type(facts, _STREAMS | {"kafka"}):
        dest = (m.mapping.get("DestinationConfig") or {}).get("OnFailure") or {}
        if not dest.get("Destination"):
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "source": m.source_arn,
                    "on_failure_destination": None,
                },
                fix=f"aws lambda update-event-source-mapping --uuid {m.mapping.get('UUID')} "
                '--destination-config \'{"OnFailure":{"Destination":"<queue-arn>"}}\' '
                "(IaC: DestinationConfig.OnFailure.Destination); the role then needs "
                "sqs:SendMessage on that queue.",
            )


@check(
    "ES-03",
    family="event_sources",
    title="Stream mapping neither bisects batches nor reports item failures",
    severity=Severity.MEDIUM,
    rationale="Without BisectBatchOnFunctionError or ReportBatchItemFailures, one failing "
    "record makes the whole batch retry, reprocessing records that already succeeded.",
    fix="Return batchItemFailures from the handler and set FunctionResponseTypes to "
    "ReportBatchItemFailures, or enable BisectBatchOnFunctionError.",
    docs_url=_STREAM_DOCS,
)
def stream_without_partial_failure(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a stream mapping without bisect and without partial batch responses."""
    for m in _of_type(facts, _STREAMS):
        types = m.mapping.get("FunctionResponseTypes") or []
        if (
            not m.mapping.get("BisectBatchOnFunctionError")
            and "ReportBatchItemFailures" not in types
        ):
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "source": m.source_arn,
                    "bisect_batch_on_function_error": False,
                    "function_response_types": list(types),
                }
            )


@check(
    "ES-06",
    family="event_sources",
    title="Event source mapping is disabled or failing",
    severity=Severity.HIGH,
    rationale="A disabled or failing mapping silently stops processing; records pile up in "
    "the stream or queue.",
    fix="Read StateTransitionReason and LastProcessingResult, fix the cause (often the role's "
    "permissions), then enable the mapping.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html",
)
def mapping_not_enabled(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a mapping whose state is not Enabled or whose last result is an error."""
    for m in facts.mappings:
        state = m.mapping.get("State", "Enabled")
        result = str(m.mapping.get("LastProcessingResult") or "")
        if state not in {"Enabled", "Enabling", "Creating", "Updating"} or "PROBLEM" in result:
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "state": state,
                    "last_processing_result": result or None,
                    "reason": m.mapping.get("StateTransitionReason"),
                }
            )


@check(
    "SQ-01",
    family="event_sources",
    title="Queue visibility timeout is under 6 times the function timeout",
    severity=Severity.HIGH,
    rationale="Lambda may retry a throttled batch several times; if the visibility timeout "
    "ends first, the message reappears and is processed twice.",
    fix="Set the queue's VisibilityTimeout to at least 6 x the function timeout.",
    docs_url=_SQS_DOCS,
    needs=("config", "queues"),
)
def short_visibility_timeout(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when VisibilityTimeout < 6 x Timeout (critical when below 1 x)."""
    for m in _of_type(facts, {"sqs"}):
        visibility = int((m.queue_attributes or {}).get("VisibilityTimeout", 30))
        wanted = SQS_VISIBILITY_FACTOR * facts.timeout
        if visibility < wanted:
            yield Hit(
                evidence={
                    "queue": m.source_arn,
                    "visibility_timeout_s": visibility,
                    "function_timeout_s": facts.timeout,
                    "recommended_min_s": wanted,
                },
                severity=Severity.CRITICAL if visibility < facts.timeout else None,
                fix=f"aws sqs set-queue-attributes --queue-url <url of {_name(m.source_arn)}> "
                f"--attributes VisibilityTimeout={wanted} (IaC: VisibilityTimeout).",
            )


@check(
    "SQ-02",
    family="event_sources",
    title="Source queue has no dead-letter queue (or maxReceiveCount under 5)",
    severity=Severity.HIGH,
    rationale="SQS mappings have no on-failure destination: the queue's redrive policy is the "
    "only way out for a message that always fails, otherwise it is retried until it expires.",
    fix="Add a RedrivePolicy with a dead-letter queue and maxReceiveCount of at least 5.",
    docs_url=_SQS_DOCS,
    needs=("config", "queues"),
)
def queue_without_redrive(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a source queue without a redrive policy or with maxReceiveCount < 5."""
    for m in _of_type(facts, {"sqs"}):
        raw = (m.queue_attributes or {}).get("RedrivePolicy")
        policy = json.loads(raw) if isinstance(raw, str) and raw else {}
        count = int(policy.get("maxReceiveCount", 0) or 0)
        if not policy.get("deadLetterTargetArn") or count < 5:
            yield Hit(
                evidence={
                    "queue": m.source_arn,
                    "redrive_policy": bool(policy),
                    "max_receive_count": count or None,
                },
                fix=f"aws sqs set-queue-attributes --queue-url <url of {_name(m.source_arn)}> "
                '--attributes \'{"RedrivePolicy":"{\\"deadLetterTargetArn\\":\\"<dlq-arn>'
                '\\",\\"maxReceiveCount\\":\\"5\\"}"}\' (IaC: RedrivePolicy).',
            )


@check(
    "SQ-03",
    family="event_sources",
    title="SQS batches without partial batch responses",
    severity=Severity.MEDIUM,
    rationale="With BatchSize above 1, one failing message returns the whole batch to the "
    "queue, and the messages that succeeded are processed again.",
    fix="Return batchItemFailures from the handler and set FunctionResponseTypes to "
    "ReportBatchItemFailures.",
    docs_url=_SQS_DOCS,
)
def sqs_without_partial_failure(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an SQS mapping with BatchSize > 1 and no ReportBatchItemFailures."""
    for m in _of_type(facts, {"sqs"}):
        batch = int(m.mapping.get("BatchSize", 10))
        types = m.mapping.get("FunctionResponseTypes") or []
        if batch > 1 and "ReportBatchItemFailures" not in types:
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "batch_size": batch,
                    "function_response_types": list(types),
                }
            )


@check(
    "SQ-05",
    family="event_sources",
    title="SQS batch size above 10 without a batching window",
    severity=Severity.LOW,
    rationale="Batch sizes above 10 need MaximumBatchingWindowInSeconds of at least 1; FIFO "
    "queues accept at most 10.",
    fix="Set MaximumBatchingWindowInSeconds to 1 or more, or lower BatchSize to 10.",
    docs_url=_SQS_DOCS,
)
def sqs_batch_window(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for BatchSize > 10 with no batching window."""
    for m in _of_type(facts, {"sqs"}):
        batch = int(m.mapping.get("BatchSize", 10))
        window = int(m.mapping.get("MaximumBatchingWindowInSeconds", 0) or 0)
        if batch > 10 and window < 1:
            yield Hit(
                evidence={
                    "mapping": m.mapping.get("UUID"),
                    "batch_size": batch,
                    "maximum_batching_window_s": window,
                }
            )


def _of_type(facts: FunctionFacts, kinds: set[str]) -> Iterator[MappingFacts]:
    return (m for m in facts.mappings if m.source_type in kinds)


def _name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]
