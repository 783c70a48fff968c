"""The event sources, triggers and permissions that connect the scenario's functions."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from lambda_specialist.demo.resources import policy_document

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = ["API_ID", "IMAGES_BUCKET", "ORDER_EVENTS_TOPIC", "wire_event_sources"]

logger = logging.getLogger(__name__)

API_ID = "a1b2c3d4e5"
NIGHTLY_RULE = "nightly-invoice-export"
NIGHTLY_SCHEDULE = "cron(0 2 * * ? *)"
IMAGES_BUCKET = "tidewater-product-images"
ORDER_EVENTS_TOPIC = "order-events"
NOTIFY_FUNCTIONS = ("notify-email", "notify-sms", "notify-analytics")


def wire_event_sources(ctx: AwsContext, functions: Mapping[str, str], *, account_id: str) -> None:
    """Create every trigger, event source mapping and resource-policy statement.

    Args:
        ctx: The account to write to.
        functions: Function ARNs by function name.
        account_id: The account's ID, for ARNs that must name it.
    """
    region = ctx.region
    _allow_api_gateway(ctx, region=region, account_id=account_id)
    _schedule_nightly_export(ctx, functions["legacy-invoice-export"])
    _create_tables(ctx)
    _map_inventory_stream(ctx)
    _map_payments_queue(ctx)
    _notify_on_uploads(ctx, functions["thumbnail-generator"], account_id=account_id)
    _fan_out_order_events(ctx, functions)
    _expose_promo_webhook(ctx)
    logger.debug("demo seed: event sources wired")


def _allow_api_gateway(ctx: AwsContext, *, region: str, account_id: str) -> None:
    ctx.call(
        "lambda",
        "add_permission",
        FunctionName="orders-api",
        StatementId="apigateway-post-orders",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:{region}:{account_id}:{API_ID}/*/POST/orders",
    )


def _schedule_nightly_export(ctx: AwsContext, function_arn: str) -> None:
    rule = ctx.call(
        "events",
        "put_rule",
        Name=NIGHTLY_RULE,
        ScheduleExpression=NIGHTLY_SCHEDULE,
        State="ENABLED",
        Description="Export the day's invoices to the finance system.",
    )
    ctx.call(
        "events",
        "put_targets",
        Rule=NIGHTLY_RULE,
        Targets=[{"Id": "legacy-invoice-export", "Arn": function_arn}],
    )
    ctx.call(
        "lambda",
        "add_permission",
        FunctionName="legacy-invoice-export",
        StatementId="eventbridge-nightly",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule["RuleArn"],
    )


def _create_tables(ctx: AwsContext) -> None:
    for table, key in (("orders", "order_id"), ("inventory", "sku")):
        extra = {}
        if table == "inventory":
            extra = {
                "StreamSpecification": {
                    "StreamEnabled": True,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                }
            }
        ctx.call(
            "dynamodb",
            "create_table",
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            **extra,
        )


def _map_inventory_stream(ctx: AwsContext) -> None:
    table = ctx.call("dynamodb", "describe_table", TableName="inventory")["Table"]
    # Retry forever on a poison record and no failure destination: the stream can stall.
    ctx.call(
        "lambda",
        "create_event_source_mapping",
        FunctionName="inventory-stream-processor",
        EventSourceArn=table["LatestStreamArn"],
        BatchSize=100,
        StartingPosition="LATEST",
        MaximumRetryAttempts=-1,
        MaximumRecordAgeInSeconds=-1,
        BisectBatchOnFunctionError=False,
    )


def _map_payments_queue(ctx: AwsContext) -> None:
    # Visibility timeout 120 s is under six times the function's 60 s timeout, and there is
    # no redrive policy.
    ctx.call("sqs", "create_queue", QueueName="payments", Attributes={"VisibilityTimeout": "120"})
    ctx.call(
        "lambda",
        "create_event_source_mapping",
        FunctionName="payment-queue-worker",
        EventSourceArn=_queue_arn(ctx, "payments"),
        BatchSize=10,
    )


def _notify_on_uploads(ctx: AwsContext, function_arn: str, *, account_id: str) -> None:
    bucket_args = {}
    if ctx.region != "us-east-1":
        bucket_args = {"CreateBucketConfiguration": {"LocationConstraint": ctx.region}}
    ctx.call("s3", "create_bucket", Bucket=IMAGES_BUCKET, **bucket_args)
    ctx.call(
        "lambda",
        "add_permission",
        FunctionName="thumbnail-generator",
        StatementId="s3-product-uploads",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{IMAGES_BUCKET}",
        SourceAccount=account_id,
    )
    ctx.call(
        "s3",
        "put_bucket_notification_configuration",
        Bucket=IMAGES_BUCKET,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "Id": "thumbnails-for-uploads",
                    "LambdaFunctionArn": function_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                }
            ]
        },
    )


def _fan_out_order_events(ctx: AwsContext, functions: Mapping[str, str]) -> None:
    topic_arn = ctx.call("sns", "create_topic", Name=ORDER_EVENTS_TOPIC)["TopicArn"]
    dlq_arn = _create_queue_for_sns(ctx, "notify-email-dlq", topic_arn)
    ctx.call("sqs", "create_queue", QueueName="notify-email-failures")
    failures_arn = _queue_arn(ctx, "notify-email-failures")
    attributes = {
        "notify-email": {"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})},
        "notify-sms": {"FilterPolicy": json.dumps({"channel": ["sms"]})},
        "notify-analytics": {},
    }

    for name in NOTIFY_FUNCTIONS:
        ctx.call(
            "lambda",
            "add_permission",
            FunctionName=name,
            StatementId="sns-order-events",
            Action="lambda:InvokeFunction",
            Principal="sns.amazonaws.com",
            SourceArn=topic_arn,
        )
        ctx.call(
            "sns",
            "subscribe",
            TopicArn=topic_arn,
            Protocol="lambda",
            Endpoint=functions[name],
            Attributes=attributes[name],
            ReturnSubscriptionArn=True,
        )

    ctx.call(
        "lambda",
        "put_function_event_invoke_config",
        FunctionName="notify-email",
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": failures_arn}},
    )


def _create_queue_for_sns(ctx: AwsContext, name: str, topic_arn: str) -> str:
    url = ctx.call("sqs", "create_queue", QueueName=name)["QueueUrl"]
    arn = _queue_arn(ctx, name)
    policy = policy_document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
        }
    )
    ctx.call("sqs", "set_queue_attributes", QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return arn


def _expose_promo_webhook(ctx: AwsContext) -> None:
    ctx.call(
        "lambda",
        "create_function_url_config",
        FunctionName="promo-webhook",
        AuthType="NONE",
        Cors={"AllowOrigins": ["*"]},
    )
    ctx.call(
        "lambda",
        "add_permission",
        FunctionName="promo-webhook",
        StatementId="FunctionURLAllowPublicAccess",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )


def _queue_arn(ctx: AwsContext, name: str) -> str:
    url = ctx.call("sqs", "get_queue_url", QueueName=name)["QueueUrl"]
    answer = ctx.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["QueueArn"])
    return str(answer["Attributes"]["QueueArn"])
