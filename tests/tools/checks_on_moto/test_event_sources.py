"""Event source mapping checks (ES-01..ES-07, SQ-01..SQ-06) on moto's streams and queues."""

from __future__ import annotations

import json

from lambda_specialist.tools.models import Severity
from tests.tools.checks_on_moto.conftest import (
    WRITE_LOGS,
    WRITE_TRACES,
    MotoAccount,
    Scenario,
    stays_quiet,
)

WELL_HANDLED_STREAM = {
    "MaximumRetryAttempts": 3,
    "MaximumRecordAgeInSeconds": 3600,
    "BisectBatchOnFunctionError": True,
    "FunctionResponseTypes": ["ReportBatchItemFailures"],
}


def a_stream_mapping_left_at_its_defaults(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.stream())


def a_stream_mapping_with_bounded_retries(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(
        aws.stream(),
        **WELL_HANDLED_STREAM,
        DestinationConfig={"OnFailure": {"Destination": aws.queue("orders-stream-failures")}},
    )


def a_stream_mapping_that_only_bisects(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.stream(), BisectBatchOnFunctionError=True)


def a_disabled_queue_mapping(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws), Enabled=False, **PARTIAL)


def an_enabled_queue_mapping(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws), **PARTIAL)


def a_filtered_queue_mapping(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(
        healthy_queue(aws),
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]},
        **PARTIAL,
    )


def a_queue_that_hides_messages_too_briefly(aws: MotoAccount) -> None:
    aws.function(Timeout=10)
    aws.mapping(healthy_queue(aws, VisibilityTimeout="30"), **PARTIAL)


def a_queue_without_a_dead_letter_queue(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.queue("payments", VisibilityTimeout="60"), **PARTIAL)


def a_queue_mapping_without_partial_batch_responses(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws), BatchSize=10)


def a_large_batch_without_a_window(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws), BatchSize=100, **PARTIAL)


def a_large_batch_with_a_window(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws), BatchSize=100, MaximumBatchingWindowInSeconds=5, **PARTIAL)


def an_encrypted_queue_the_role_cannot_decrypt(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws, KmsMasterKeyId=customer_key(aws)), **PARTIAL)


def an_encrypted_queue_the_role_can_decrypt(aws: MotoAccount) -> None:
    key = customer_key(aws)
    decrypt = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, decrypt))
    aws.mapping(healthy_queue(aws, KmsMasterKeyId=key), **PARTIAL)


PARTIAL = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}


def healthy_queue(aws: MotoAccount, **attributes: str) -> str:
    """A source queue with a dead-letter queue and a visibility timeout of 6 x 10 s."""
    dlq = aws.queue("payments-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": 5})
    return aws.queue(
        "payments", **({"VisibilityTimeout": "60", "RedrivePolicy": redrive} | attributes)
    )


def customer_key(aws: MotoAccount) -> str:
    return str(aws.client("kms").create_key(Description="payments")["KeyMetadata"]["Arn"])


FIRING: dict[str, Scenario] = {
    "ES-01": a_stream_mapping_left_at_its_defaults,
    "ES-02": a_stream_mapping_left_at_its_defaults,
    "ES-03": a_stream_mapping_left_at_its_defaults,
    "ES-06": a_disabled_queue_mapping,
    "ES-07": a_filtered_queue_mapping,
    "SQ-01": a_queue_that_hides_messages_too_briefly,
    "SQ-02": a_queue_without_a_dead_letter_queue,
    "SQ-03": a_queue_mapping_without_partial_batch_responses,
    "SQ-05": a_large_batch_without_a_window,
    "SQ-06": an_encrypted_queue_the_role_cannot_decrypt,
}
QUIET: dict[str, Scenario] = {
    "ES-01": a_stream_mapping_with_bounded_retries,
    "ES-02": a_stream_mapping_with_bounded_retries,
    "ES-03": a_stream_mapping_that_only_bisects,
    "ES-06": an_enabled_queue_mapping,
    "ES-07": an_enabled_queue_mapping,
    "SQ-01": an_enabled_queue_mapping,
    "SQ-02": an_enabled_queue_mapping,
    "SQ-03": an_enabled_queue_mapping,
    "SQ-05": a_large_batch_with_a_window,
    "SQ-06": an_encrypted_queue_the_role_can_decrypt,
}


def test_a_well_configured_queue_consumer_has_no_findings(aws: MotoAccount) -> None:
    an_enabled_queue_mapping(aws)

    assert aws.finding_ids() == set()


def test_a_well_configured_stream_consumer_has_no_findings(aws: MotoAccount) -> None:
    a_stream_mapping_with_bounded_retries(aws)

    assert aws.finding_ids() == set()


def test_a_visibility_timeout_below_the_function_timeout_is_critical(aws: MotoAccount) -> None:
    aws.function(Timeout=60)
    aws.mapping(healthy_queue(aws, VisibilityTimeout="30"), **PARTIAL)

    (finding,) = [f for f in aws.inspect().findings if f.id == "SQ-01"]

    assert (finding.severity, finding.evidence["recommended_min_s"]) == (Severity.CRITICAL, 360)


def test_a_redrive_policy_with_few_receives_still_counts_as_missing(aws: MotoAccount) -> None:
    aws.function()
    redrive = json.dumps({"deadLetterTargetArn": aws.queue("dlq"), "maxReceiveCount": 2})
    aws.mapping(aws.queue("jobs", VisibilityTimeout="60", RedrivePolicy=redrive), **PARTIAL)

    assert aws.finding_ids() == {"SQ-02"}


def test_the_sqs_managed_key_needs_no_decrypt_permission(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(healthy_queue(aws, KmsMasterKeyId="alias/aws/sqs"), **PARTIAL)

    assert stays_quiet("SQ-06", aws.inspect())


def test_a_queue_naming_its_key_by_id_is_decryptable_by_a_role_granted_the_key_arn(
    aws: MotoAccount,
) -> None:
    key = aws.client("kms").create_key(Description="payments")["KeyMetadata"]
    decrypt = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key["Arn"]}
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, decrypt))
    aws.mapping(healthy_queue(aws, KmsMasterKeyId=key["KeyId"]), **PARTIAL)

    assert stays_quiet("SQ-06", aws.inspect())
