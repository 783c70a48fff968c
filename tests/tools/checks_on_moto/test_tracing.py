"""Tracing checks (TR-01, TR-02, TR-05, TR-06) on moto's Lambda, IAM and API Gateway."""

from __future__ import annotations

from lambda_specialist.tools.models import Severity
from tests.tools.checks_on_moto.conftest import (
    WRITE_LOGS,
    MotoAccount,
    Scenario,
)


def tracing_left_off(aws: MotoAccount) -> None:
    aws.function(TracingConfig={"Mode": "PassThrough"})


def active_tracing_with_permission(aws: MotoAccount) -> None:
    aws.function()


def active_tracing_without_permission(aws: MotoAccount) -> None:
    aws.function(role_statements=(WRITE_LOGS,))


def an_untraced_api_stage(aws: MotoAccount) -> None:
    aws.function()
    aws.rest_api(tracing=False)


def a_traced_api_stage(aws: MotoAccount) -> None:
    aws.function()
    aws.rest_api(tracing=True)


def active_tracing_on_a_kafka_consumer(aws: MotoAccount) -> None:
    aws.function()
    kafka = aws.arn("kafka", "cluster/orders/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1")
    # moto 5.2 rejects every event source but DynamoDB, Kinesis and SQS ("Unsupported event
    # source type"); answer the mapping list AWS returns for an Amazon MSK consumer.
    aws.answer(
        "lambda",
        "ListEventSourceMappings",
        {
            "EventSourceMappings": [
                {
                    "UUID": "6d9bce8e-836b-461a-b1a3-7f5c0f1e2a3b",
                    "EventSourceArn": kafka,
                    "FunctionArn": aws.arn("lambda", "function:app"),
                    "State": "Enabled",
                    "BatchSize": 100,
                    "Topics": ["orders"],
                    "StartingPosition": "LATEST",
                    "DestinationConfig": {
                        "OnFailure": {"Destination": aws.arn("sqs", "orders-failures")}
                    },
                }
            ]
        },
    )


def active_tracing_on_a_queue_consumer(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.queue("jobs"), BatchSize=1)


FIRING: dict[str, Scenario] = {
    "TR-01": tracing_left_off,
    "TR-02": active_tracing_without_permission,
    "TR-05": an_untraced_api_stage,
    "TR-06": active_tracing_on_a_kafka_consumer,
}
QUIET: dict[str, Scenario] = {
    "TR-01": active_tracing_with_permission,
    "TR-02": active_tracing_with_permission,
    "TR-05": a_traced_api_stage,
    "TR-06": active_tracing_on_a_queue_consumer,
}


def test_untraced_api_facing_function_is_a_medium_finding(aws: MotoAccount) -> None:
    aws.function(TracingConfig={"Mode": "PassThrough"})
    aws.rest_api(tracing=True)

    (finding,) = [f for f in aws.inspect().findings if f.id == "TR-01"]

    assert (finding.severity, finding.evidence["api_facing"]) == (Severity.MEDIUM, True)


def test_the_untraced_stage_is_named_in_the_finding(aws: MotoAccount) -> None:
    aws.function()
    api_id = aws.rest_api(tracing=False)

    (finding,) = [f for f in aws.inspect().findings if f.id == "TR-05"]

    assert finding.evidence == {"rest_api": api_id, "stage": "prod", "tracing_enabled": False}


def test_a_role_missing_one_trace_action_is_reported_with_it(aws: MotoAccount) -> None:
    segments_only = {"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": "*"}
    aws.function(role_statements=(WRITE_LOGS, segments_only))

    (finding,) = [f for f in aws.inspect().findings if f.id == "TR-02"]

    assert finding.evidence["missing_actions"] == ["xray:PutTelemetryRecords"]
