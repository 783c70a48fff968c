"""Each check fires on the configuration it exists to catch and stays quiet on a healthy one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from lambda_specialist.tools.checks import CATALOGUE, run_checks
from lambda_specialist.tools.checks.facts import (
    ApiStageFacts,
    EventTargetFacts,
    FunctionFacts,
    LayerFacts,
    MappingFacts,
    PolicyDocument,
    RoleFacts,
    S3NotificationFacts,
    SubscriptionFacts,
    TriggerFacts,
    Unavailable,
)

TODAY = date(2026, 12, 3)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:jobs"
STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000"
TOPIC = "arn:aws:sns:us-east-1:123456789012:events"
LOGS = PolicyDocument(
    name="logs",
    arn=None,
    document={
        "Statement": [{"Effect": "Allow", "Action": ["logs:*"], "Resource": "arn:aws:logs:*"}]
    },
)
XRAY = PolicyDocument(
    name="AWSXRayDaemonWriteAccess",
    arn="arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    document={
        "Statement": [
            {
                "Effect": "Allow",
                "Resource": "*",
                "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            }
        ]
    },
)


def healthy(**changes: Any) -> FunctionFacts:
    """A function no check should fire on."""
    config = {
        "FunctionName": "f",
        "FunctionArn": ARN,
        "Runtime": "python3.13",
        "Architectures": ["arm64"],
        "MemorySize": 512,
        "Timeout": 10,
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "TracingConfig": {"Mode": "Active"},
        "PackageType": "Zip",
        "CodeSize": 1000,
        "Environment": {"Variables": {"LOG_LEVEL": "INFO", "TABLE_NAME": "orders"}},
    }
    config.update(changes.pop("config", {}))
    base = FunctionFacts(
        config=config,
        today=TODAY,
        role=RoleFacts(
            name="r", arn="arn:aws:iam::123456789012:role/r", attached=(XRAY,), inline=(LOGS,)
        ),
        log_group={"logGroupName": "/aws/lambda/f", "retentionInDays": 30},
        tags={"team": "core"},
        metrics={"invocations": 1000.0, "errors": 1.0, "duration_max_ms": 900.0},
    )
    return replace(base, **changes)


def ids(facts: FunctionFacts) -> set[str]:
    findings, _ = run_checks(facts)
    return {f.id for f in findings}


def stream_mapping(**fields: Any) -> MappingFacts:
    mapping = {
        "UUID": "u1",
        "EventSourceArn": STREAM,
        "State": "Enabled",
        "MaximumRetryAttempts": 3,
        "MaximumRecordAgeInSeconds": 3600,
        "BisectBatchOnFunctionError": True,
        "DestinationConfig": {"OnFailure": {"Destination": QUEUE}},
    }
    mapping.update(fields)
    return MappingFacts(mapping=mapping)


def sqs_mapping(attributes: dict[str, str] | None = None, **fields: Any) -> MappingFacts:
    mapping = {
        "UUID": "u2",
        "EventSourceArn": QUEUE,
        "State": "Enabled",
        "BatchSize": 10,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    mapping.update(fields)
    redrive = json.dumps({"deadLetterTargetArn": QUEUE + "-dlq", "maxReceiveCount": 5})
    attrs = {"VisibilityTimeout": "60", "RedrivePolicy": redrive}
    attrs.update(attributes or {})
    return MappingFacts(mapping=mapping, queue_attributes=attrs)


def sns_trigger(**fields: Any) -> TriggerFacts:
    values = {"service": "sns", "source_arn": TOPIC, "source_account": None, "statement_id": "sns"}
    values.update(fields)
    return TriggerFacts(**values)


def wide_role(*actions: str) -> RoleFacts:
    wide = PolicyDocument(
        name="wide",
        arn=None,
        document={"Statement": {"Effect": "Allow", "Action": list(actions), "Resource": "*"}},
    )
    return RoleFacts(
        name="r", arn="arn:aws:iam::123456789012:role/r", attached=(XRAY,), inline=(LOGS, wide)
    )


def s3_trigger() -> TriggerFacts:
    return TriggerFacts(
        service="s3",
        source_arn="arn:aws:s3:::uploads",
        source_account="123456789012",
        statement_id="s3",
    )


FIRING: dict[str, FunctionFacts] = {
    "FN-15": healthy(metrics={"invocations": 100.0, "errors": 5.0, "duration_max_ms": 10.0}),
    "ES-04": healthy(
        mappings=(stream_mapping(),), metrics={"invocations": 1.0, "iterator_age_max_ms": 600_000.0}
    ),
    "ES-05": healthy(stream_consumers={STREAM: 3}),
    "SQ-04": healthy(
        reserved_concurrency=5, mappings=(sqs_mapping(ScalingConfig={"MaximumConcurrency": 50}),)
    ),
    "FN-10": healthy(
        provisioned=({"FunctionArn": ARN + ":7", "AllocatedProvisionedConcurrentExecutions": 5},),
        aliases=({"Name": "live", "FunctionVersion": "8"},),
    ),
    "FN-13": healthy(config={"Architectures": ["x86_64"]}),
    "FN-17": healthy(tags={}),
    "FN-19": healthy(config={"DurableConfig": {"ExecutionTimeout": 3600}}),
    "FN-20": healthy(
        config={"LoggingConfig": {"LogFormat": "Text", "ApplicationLogLevel": "DEBUG"}}
    ),
    "FN-21": healthy(config={"EphemeralStorage": {"Size": 2048}}),
    "AS-02": healthy(triggers=(s3_trigger(),), config={"DeadLetterConfig": {"TargetArn": QUEUE}}),
    "AS-04": healthy(
        event_targets=(
            EventTargetFacts(
                rule="nightly", target_id="1", dead_letter_arn=None, retry_policy=None
            ),
        )
    ),
    "AS-05": healthy(
        s3_notifications=(
            S3NotificationFacts(
                bucket="uploads", events=("s3:ObjectCreated:*",), prefix="in/", suffix=""
            ),
        ),
        role=wide_role("s3:PutObject"),
    ),
    "FN-04": healthy(
        url_config={"AuthType": "AWS_IAM"},
        policy_statements=(
            {
                "Sid": "u",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::1:root"},
                "Action": "lambda:InvokeFunctionUrl",
            },
        ),
    ),
    "TR-05": healthy(api_stages=(ApiStageFacts(api_id="a1", stage="prod", tracing_enabled=False),)),
    "TR-06": healthy(
        mappings=(
            MappingFacts(
                mapping={
                    "UUID": "k",
                    "EventSourceArn": "arn:aws:kafka:us-east-1:123456789012:cluster/c/1",
                    "State": "Enabled",
                    "DestinationConfig": {"OnFailure": {"Destination": QUEUE}},
                }
            ),
        )
    ),
    "ES-07": healthy(mappings=(sqs_mapping(FilterCriteria={"Filters": [{"Pattern": "{}"}]}),)),
    "SQ-06": healthy(mappings=(sqs_mapping({"KmsMasterKeyId": "arn:aws:kms:us-east-1:1:key/k"}),)),
    "LY-09": healthy(
        layer_policies={
            "arn:l:1": (
                {
                    "Sid": "pub",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "lambda:GetLayerVersion",
                },
            )
        }
    ),
    "RT-01": healthy(config={"Runtime": "python3.9"}),
    "RT-02": healthy(config={"Runtime": "nodejs22.x"}, today=date(2027, 1, 1)),
    "RT-03": healthy(config={"Runtime": "python3.11"}),
    "RT-04": healthy(runtime_update_mode="Manual"),
    "TR-01": healthy(config={"TracingConfig": {"Mode": "PassThrough"}}),
    "TR-02": healthy(
        role=RoleFacts(name="r", arn="arn:aws:iam::123456789012:role/r", inline=(LOGS,))
    ),
    "ES-01": healthy(
        mappings=(stream_mapping(MaximumRetryAttempts=-1, MaximumRecordAgeInSeconds=-1),)
    ),
    "ES-02": healthy(mappings=(stream_mapping(DestinationConfig={}),)),
    "ES-03": healthy(mappings=(stream_mapping(BisectBatchOnFunctionError=False),)),
    "ES-06": healthy(mappings=(stream_mapping(State="Disabled"),)),
    "SQ-01": healthy(mappings=(sqs_mapping({"VisibilityTimeout": "30"}),)),
    "SQ-02": healthy(mappings=(sqs_mapping({"RedrivePolicy": ""}),)),
    "SQ-03": healthy(mappings=(sqs_mapping(FunctionResponseTypes=[]),)),
    "SQ-05": healthy(mappings=(sqs_mapping(BatchSize=100),)),
    "AS-01": healthy(triggers=(sns_trigger(),)),
    "AS-03": healthy(
        triggers=(sns_trigger(),),
        async_config={"DestinationConfig": {"OnFailure": {"Destination": QUEUE}}},
        subscriptions=(
            SubscriptionFacts(topic_arn=TOPIC, subscription_arn=TOPIC + ":s1", attributes={}),
        ),
    ),
    "AS-06": healthy(recursion="Allow"),
    "AS-07": healthy(
        triggers=(
            TriggerFacts(service="s3", source_arn=None, source_account=None, statement_id="s3"),
        ),
        config={"DeadLetterConfig": {"TargetArn": QUEUE}},
    ),
    "FN-01": healthy(
        policy_statements=(
            {"Sid": "open", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
        )
    ),
    "FN-02": healthy(
        url_config={"FunctionUrl": "https://x.lambda-url.on.aws/", "AuthType": "NONE"}
    ),
    "FN-03": healthy(url_config={"AuthType": "AWS_IAM", "Cors": {"AllowOrigins": ["*"]}}),
    "FN-05": healthy(
        config={"Timeout": 60},
        triggers=(
            TriggerFacts(
                service="apigateway", source_arn="arn:x", source_account=None, statement_id="api"
            ),
        ),
    ),
    "FN-06": healthy(config={"Timeout": 3}),
    "FN-07": healthy(config={"Environment": {"Variables": {"DB_URL": "postgres://a:fakepw@h/db"}}}),
    "FN-08": healthy(config={"Environment": {"Variables": {"API_TOKEN": "fake-token-value"}}}),
    "FN-09": healthy(reserved_concurrency=0),
    "FN-11": healthy(config={"VpcConfig": {"SubnetIds": ["subnet-1"]}}),
    "FN-14": healthy(log_group={"logGroupName": "/aws/lambda/f"}),
    "FN-18": healthy(config={"LastUpdateStatus": "Failed"}),
    "LY-01": healthy(
        layers=tuple(
            LayerFacts(
                arn=f"{ARN}:layer:l{i}:1",
                code_size=1,
                compatible_runtimes=None,
                compatible_architectures=None,
            )
            for i in range(6)
        )
    ),
    "LY-02": healthy(
        layers=(
            LayerFacts(
                arn="l", code_size=1, compatible_runtimes=None, compatible_architectures=("x86_64",)
            ),
        )
    ),
    "LY-03": healthy(
        layers=(
            LayerFacts(
                arn="l",
                code_size=1,
                compatible_runtimes=("python3.9",),
                compatible_architectures=None,
            ),
        )
    ),
    "LY-08": healthy(
        config={"Layers": [{"Arn": "arn:aws:lambda:us-east-1:999999999999:layer:x:1"}]}
    ),
    "IA-01": healthy(role=wide_role("s3:*")),
    "IA-02": healthy(role=wide_role("iam:PassRole")),
}


def test_every_check_in_the_catalogue_has_a_firing_case() -> None:
    assert set(FIRING) == set(CATALOGUE)


def test_a_healthy_function_gets_no_finding() -> None:
    assert ids(healthy()) == set()


@pytest.mark.parametrize("check_id", sorted(FIRING))
def test_check_fires_on_the_problem_it_exists_to_catch(check_id: str) -> None:
    assert check_id in ids(FIRING[check_id])


def test_a_wildcard_on_every_action_is_critical() -> None:
    findings, _ = run_checks(healthy(role=wide_role("*")))

    assert [f.severity.value for f in findings if f.id == "IA-01"] == ["critical"]


def test_missing_tracing_is_medium_for_an_api_facing_function() -> None:
    facts = healthy(
        config={"TracingConfig": {"Mode": "PassThrough"}},
        triggers=(
            TriggerFacts(
                service="apigateway", source_arn="arn:x", source_account=None, statement_id="api"
            ),
        ),
    )
    findings, _ = run_checks(facts)

    assert [f.severity.value for f in findings if f.id == "TR-01"] == ["medium"]


def test_visibility_below_the_function_timeout_is_critical() -> None:
    findings, _ = run_checks(healthy(mappings=(sqs_mapping({"VisibilityTimeout": "5"}),)))

    assert [f.severity.value for f in findings if f.id == "SQ-01"] == ["critical"]


def test_a_check_whose_read_was_denied_is_listed_as_not_evaluated() -> None:
    facts = healthy(
        unavailable={
            "queues": Unavailable(
                reason="access denied to sqs:GetQueueAttributes",
                permission="sqs:GetQueueAttributes",
            )
        },
        mappings=(sqs_mapping({"VisibilityTimeout": "1"}),),
    )

    findings, skipped = run_checks(facts)

    assert {s.check_id: s.missing_permission for s in skipped} == {
        "SQ-01": "sqs:GetQueueAttributes",
        "SQ-02": "sqs:GetQueueAttributes",
        "SQ-06": "sqs:GetQueueAttributes",
    }
    assert "SQ-01" not in {f.id for f in findings}


def test_secret_evidence_names_variables_but_never_their_values() -> None:
    value = "sk_live_fakefakefakefake1234"
    findings, _ = run_checks(healthy(config={"Environment": {"Variables": {"PAY_KEY": value}}}))

    fn07 = next(f for f in findings if f.id == "FN-07")
    assert fn07.evidence["variables"] == ["PAY_KEY"]
    assert value not in fn07.model_dump_json()


def test_secret_manager_references_are_not_secrets() -> None:
    env = {"DB_PASSWORD_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}

    assert "FN-07" not in ids(healthy(config={"Environment": {"Variables": env}}))


def test_a_deny_statement_removes_the_trace_permission() -> None:
    deny = PolicyDocument(
        name="deny",
        arn=None,
        document={"Statement": [{"Effect": "Deny", "Action": "xray:*", "Resource": "*"}]},
    )
    role = RoleFacts(
        name="r", arn="arn:aws:iam::123456789012:role/r", attached=(XRAY,), inline=(LOGS, deny)
    )

    assert "TR-02" in ids(healthy(role=role))
