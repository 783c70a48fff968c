"""Asynchronous invocation checks (AS-01..AS-07) on moto's SNS, S3, EventBridge and Lambda."""

from __future__ import annotations

import json

from tests.tools.checks_on_moto.conftest import (
    WRITE_LOGS,
    WRITE_TRACES,
    MotoAccount,
    Scenario,
    fires,
    stays_quiet,
)


def an_sns_subscriber_with_no_failure_path(aws: MotoAccount) -> None:
    aws.function()
    aws.sns_trigger()


def an_sns_subscriber_with_an_on_failure_queue(aws: MotoAccount) -> None:
    an_sns_subscriber_with_no_failure_path(aws)
    aws.client("lambda").put_function_event_invoke_config(
        FunctionName="app",
        DestinationConfig={"OnFailure": {"Destination": aws.queue("app-failures")}},
    )


def an_sns_subscriber_with_tuned_retries(aws: MotoAccount) -> None:
    an_sns_subscriber_with_no_failure_path(aws)
    aws.client("lambda").put_function_event_invoke_config(
        FunctionName="app", MaximumRetryAttempts=0, MaximumEventAgeInSeconds=600
    )


def a_subscription_with_a_redrive_policy(aws: MotoAccount) -> None:
    an_sns_subscriber_with_no_failure_path(aws)
    sns = aws.client("sns")
    (sub,) = sns.list_subscriptions()["Subscriptions"]
    sns.set_subscription_attributes(
        SubscriptionArn=sub["SubscriptionArn"],
        AttributeName="RedrivePolicy",
        AttributeValue=json.dumps({"deadLetterTargetArn": aws.queue("orders-events-dlq")}),
    )


def a_schedule_target_without_a_dead_letter_queue(aws: MotoAccount) -> None:
    aws.function()
    aws.schedule()


def a_schedule_target_with_a_dead_letter_queue(aws: MotoAccount) -> None:
    aws.function()
    aws.schedule(DeadLetterConfig={"Arn": aws.queue("nightly-dlq")})


def a_role_that_writes_where_its_bucket_notifies(aws: MotoAccount) -> None:
    writes = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::media-in/*"}
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, writes))
    aws.s3_trigger("media-in", prefix="uploads/")


def a_role_that_writes_outside_the_notified_prefix(aws: MotoAccount) -> None:
    writes = {
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::media-in/thumbnails/*",
    }
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, writes))
    aws.s3_trigger("media-in", prefix="uploads/")


def recursion_loop_detection_turned_off(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 does not implement GetFunctionRecursionConfig: answer as AWS does.
    aws.answer(
        "lambda",
        "GetFunctionRecursionConfig",
        {"RecursiveLoop": "Allow"},
    )


def recursion_loop_detection_on(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 does not implement GetFunctionRecursionConfig: answer as AWS does.
    aws.answer("lambda", "GetFunctionRecursionConfig", {"RecursiveLoop": "Terminate"})


def an_s3_permission_without_a_source(aws: MotoAccount) -> None:
    aws.function()
    aws.allow("s3.amazonaws.com")


def an_s3_permission_scoped_to_its_bucket(aws: MotoAccount) -> None:
    aws.function()
    aws.allow("s3.amazonaws.com", SourceArn="arn:aws:s3:::media-in", SourceAccount=aws.account_id)


FIRING: dict[str, Scenario] = {
    "AS-01": an_sns_subscriber_with_no_failure_path,
    "AS-02": an_sns_subscriber_with_no_failure_path,
    "AS-03": an_sns_subscriber_with_no_failure_path,
    "AS-04": a_schedule_target_without_a_dead_letter_queue,
    "AS-05": a_role_that_writes_where_its_bucket_notifies,
    "AS-06": recursion_loop_detection_turned_off,
    "AS-07": an_s3_permission_without_a_source,
}
QUIET: dict[str, Scenario] = {
    "AS-01": an_sns_subscriber_with_an_on_failure_queue,
    "AS-02": an_sns_subscriber_with_tuned_retries,
    "AS-03": a_subscription_with_a_redrive_policy,
    "AS-04": a_schedule_target_with_a_dead_letter_queue,
    "AS-05": a_role_that_writes_outside_the_notified_prefix,
    "AS-06": recursion_loop_detection_on,
    "AS-07": an_s3_permission_scoped_to_its_bucket,
}


def test_a_dead_letter_queue_on_the_function_also_counts_as_a_failure_path(
    aws: MotoAccount,
) -> None:
    dead_letters = {"TargetArn": aws.queue("app-dlq")}
    aws.function(DeadLetterConfig=dead_letters)
    aws.sns_trigger()
    # moto 5.2 accepts DeadLetterConfig on CreateFunction but never returns it; AWS does.
    aws.amend_configuration(DeadLetterConfig=dead_letters)

    assert stays_quiet("AS-01", aws.inspect())


def test_an_unimplemented_recursion_read_leaves_as_06_not_evaluated(aws: MotoAccount) -> None:
    aws.function()

    result = aws.inspect()

    assert [
        (n.check_id, n.missing_permission) for n in result.not_evaluated if n.check_id == "AS-06"
    ] == [("AS-06", None)]
    assert not fires("AS-06", result)


def test_the_sns_trigger_shows_its_subscription(aws: MotoAccount) -> None:
    a_subscription_with_a_redrive_policy(aws)

    (source,) = aws.inspect().event_sources

    assert (source.service, source.details["redrive_policy"]) == ("sns", True)
