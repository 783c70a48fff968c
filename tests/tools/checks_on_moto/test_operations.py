"""Operations checks (FN-10, FN-13, FN-15, FN-17, FN-19..FN-21, ES-04, ES-05, SQ-04) on moto."""

from __future__ import annotations

import json

from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario, stays_quiet


def one_invocation_in_ten_failing(aws: MotoAccount) -> None:
    aws.function()
    aws.metrics(Invocations=1000, Errors=100, Duration=800)


def invocations_without_errors(aws: MotoAccount) -> None:
    aws.function()
    aws.metrics(Invocations=1000, Errors=0, Duration=800)


def a_stream_consumer_falling_behind(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.stream(), MaximumRetryAttempts=3, BisectBatchOnFunctionError=True)
    aws.metrics(IteratorAge=180_000)


def a_lagging_stream_consumer_with_parallel_batches(aws: MotoAccount) -> None:
    aws.function()
    aws.mapping(aws.stream(), ParallelizationFactor=4, BisectBatchOnFunctionError=True)
    aws.metrics(IteratorAge=180_000)


def three_readers_of_one_stream(aws: MotoAccount) -> None:
    stream = aws.stream()
    for name in ("app", "audit", "search"):
        aws.function(name)
        aws.mapping(stream, name=name)


def two_readers_of_one_stream(aws: MotoAccount) -> None:
    stream = aws.stream()
    for name in ("app", "audit"):
        aws.function(name)
        aws.mapping(stream, name=name)


def queue_concurrency_above_reserved(aws: MotoAccount) -> None:
    queue_consumer(aws, reserved=2, maximum=10)


def queue_concurrency_within_reserved(aws: MotoAccount) -> None:
    queue_consumer(aws, reserved=10, maximum=5)


def provisioned_version_no_alias_routes_to(aws: MotoAccount) -> None:
    provisioned_version(aws)


def provisioned_version_behind_the_live_alias(aws: MotoAccount) -> None:
    version = provisioned_version(aws)
    aws.client("lambda").create_alias(FunctionName="app", Name="live", FunctionVersion=version)


def an_interpreted_function_on_x86(aws: MotoAccount) -> None:
    aws.function(Architectures=["x86_64"])


def an_interpreted_function_on_arm64(aws: MotoAccount) -> None:
    aws.function(Architectures=["arm64"])


def an_untagged_function(aws: MotoAccount) -> None:
    aws.function(Tags=None)


def a_tagged_function(aws: MotoAccount) -> None:
    aws.function(Tags={"team": "checkout", "service": "orders"})


def a_durable_function(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 does not know durable functions and drops DurableConfig; answer as AWS does.
    aws.amend_configuration(DurableConfig={"ExecutionTimeout": 86400, "RetentionPeriodInDays": 7})


def a_function_without_newer_features(aws: MotoAccount) -> None:
    aws.function()


def log_levels_with_text_logs(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 ignores LoggingConfig on create and update and never returns it; answer the
    # configuration AWS returns for it.
    aws.amend_configuration(
        LoggingConfig={
            "LogFormat": "Text",
            "ApplicationLogLevel": "DEBUG",
            "LogGroup": "/aws/lambda/app",
        }
    )


def log_levels_with_json_logs(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 ignores LoggingConfig (see log_levels_with_text_logs).
    aws.amend_configuration(
        LoggingConfig={
            "LogFormat": "JSON",
            "ApplicationLogLevel": "DEBUG",
            "SystemLogLevel": "WARN",
            "LogGroup": "/aws/lambda/app",
        }
    )


def two_gigabytes_of_tmp(aws: MotoAccount) -> None:
    aws.function(EphemeralStorage={"Size": 2048})


def the_free_tmp(aws: MotoAccount) -> None:
    aws.function(EphemeralStorage={"Size": 512})


def queue_consumer(aws: MotoAccount, *, reserved: int, maximum: int) -> None:
    aws.function()
    aws.client("lambda").put_function_concurrency(
        FunctionName="app", ReservedConcurrentExecutions=reserved
    )
    dlq = aws.queue("jobs-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": 5})
    queue = aws.queue("jobs", VisibilityTimeout="60", RedrivePolicy=redrive)
    aws.mapping(
        queue,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        ScalingConfig={"MaximumConcurrency": maximum},
    )


def provisioned_version(aws: MotoAccount) -> str:
    """Publish version 1 with provisioned concurrency (the product's moto shim adds the API)."""
    aws.function()
    lam = aws.client("lambda")
    version = str(lam.publish_version(FunctionName="app")["Version"])
    lam.put_provisioned_concurrency_config(
        FunctionName="app", Qualifier=version, ProvisionedConcurrentExecutions=2
    )
    return version


FIRING: dict[str, Scenario] = {
    "FN-10": provisioned_version_no_alias_routes_to,
    "FN-13": an_interpreted_function_on_x86,
    "FN-15": one_invocation_in_ten_failing,
    "FN-17": an_untagged_function,
    "FN-19": a_durable_function,
    "FN-20": log_levels_with_text_logs,
    "FN-21": two_gigabytes_of_tmp,
    "ES-04": a_stream_consumer_falling_behind,
    "ES-05": three_readers_of_one_stream,
    "SQ-04": queue_concurrency_above_reserved,
}
QUIET: dict[str, Scenario] = {
    "FN-10": provisioned_version_behind_the_live_alias,
    "FN-13": an_interpreted_function_on_arm64,
    "FN-15": invocations_without_errors,
    "FN-17": a_tagged_function,
    "FN-19": a_function_without_newer_features,
    "FN-20": log_levels_with_json_logs,
    "FN-21": the_free_tmp,
    "ES-04": a_lagging_stream_consumer_with_parallel_batches,
    "ES-05": two_readers_of_one_stream,
    "SQ-04": queue_concurrency_within_reserved,
}


def test_invocations_that_reach_the_timeout_count_as_failing(aws: MotoAccount) -> None:
    aws.function(Timeout=10)
    aws.metrics(Invocations=1000, Errors=0, Duration=10_000)

    (finding,) = [f for f in aws.inspect().findings if f.id == "FN-15"]

    assert (finding.evidence["reached_timeout"], finding.evidence["errors_14d"]) == (True, 0)


def test_a_function_with_no_traffic_is_not_called_failing(aws: MotoAccount) -> None:
    aws.function()

    assert stays_quiet("FN-15", aws.inspect())


def test_the_crowded_stream_is_reported_with_its_reader_count(aws: MotoAccount) -> None:
    three_readers_of_one_stream(aws)

    (finding,) = [f for f in aws.inspect("audit").findings if f.id == "ES-05"]

    assert finding.evidence["consumers"] == 3
