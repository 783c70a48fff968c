"""The seeded Tidewater Goods account has every resource the scenario describes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo import FUNCTION_NAMES, HEALTHY_FUNCTIONS
from lambda_specialist.demo.server import MockAccount

ACCOUNT = "123456789012"
BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
XRAY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
LAYER_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:shared-deps:1"
BROKEN_LAYER_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:vision-deps:1"

# name: (runtime, architecture, memory, timeout, tracing, layers)
CONFIGURATIONS: dict[str, tuple[str, str, int, int, str, list[str]]] = {
    "orders-api": ("python3.12", "x86_64", 128, 3, "PassThrough", []),
    "legacy-invoice-export": ("python3.9", "x86_64", 512, 300, "PassThrough", []),
    "inventory-stream-processor": ("python3.12", "x86_64", 128, 3, "PassThrough", []),
    "payment-queue-worker": ("python3.12", "x86_64", 128, 60, "PassThrough", []),
    "thumbnail-generator": ("python3.12", "x86_64", 1024, 30, "PassThrough", []),
    "notify-email": ("python3.12", "x86_64", 128, 3, "PassThrough", []),
    "notify-sms": ("python3.12", "x86_64", 128, 3, "PassThrough", []),
    "notify-analytics": ("nodejs22.x", "x86_64", 128, 3, "PassThrough", []),
    "promo-webhook": ("nodejs22.x", "x86_64", 128, 3, "PassThrough", []),
    "customer-sync": ("python3.11", "x86_64", 128, 3, "PassThrough", []),
    "pdf-renderer": ("python3.12", "x86_64", 1024, 30, "Active", [LAYER_ARN]),
    "recommendations": ("python3.13", "arm64", 1769, 15, "Active", []),
    "health-check": ("python3.13", "arm64", 256, 10, "Active", []),
    "image-labeler": ("python3.11", "arm64", 512, 30, "PassThrough", [BROKEN_LAYER_ARN]),
}
RETENTION = {"pdf-renderer": 30, "recommendations": 30, "health-check": 14}


def configuration(ctx: AwsContext, name: str) -> dict[str, Any]:
    return ctx.call("lambda", "get_function_configuration", FunctionName=name)


def policy_statements(ctx: AwsContext, name: str) -> list[dict[str, Any]]:
    policy = json.loads(ctx.call("lambda", "get_policy", FunctionName=name)["Policy"])
    return list(policy["Statement"])


def role_name(ctx: AwsContext, function: str) -> str:
    return str(configuration(ctx, function)["Role"].rsplit("/", 1)[-1])


def attached_policies(ctx: AwsContext, role: str) -> set[str]:
    attached = ctx.call("iam", "list_attached_role_policies", RoleName=role)
    return {policy["PolicyArn"] for policy in attached["AttachedPolicies"]}


def inline_statements(ctx: AwsContext, role: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for name in ctx.call("iam", "list_role_policies", RoleName=role)["PolicyNames"]:
        document = ctx.call("iam", "get_role_policy", RoleName=role, PolicyName=name)
        statements.extend(document["PolicyDocument"]["Statement"])
    return statements


def queue_attributes(ctx: AwsContext, name: str) -> dict[str, str]:
    url = ctx.call("sqs", "get_queue_url", QueueName=name)["QueueUrl"]
    return dict(
        ctx.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["All"])["Attributes"]
    )


def test_the_seed_creates_every_function_of_the_scenario(ctx: AwsContext) -> None:
    names = {f["FunctionName"] for f in ctx.paginate("lambda", "list_functions", "Functions")}

    assert names == set(FUNCTION_NAMES) == set(CONFIGURATIONS)


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_each_function_has_the_stated_configuration(ctx: AwsContext, name: str) -> None:
    config = configuration(ctx, name)
    seen = (
        config["Runtime"],
        config["Architectures"][0],
        config["MemorySize"],
        config["Timeout"],
        config["TracingConfig"]["Mode"],
        [layer["Arn"] for layer in config.get("Layers", [])],
    )

    assert seen == CONFIGURATIONS[name]


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_each_function_has_its_own_role_that_lambda_may_assume(ctx: AwsContext, name: str) -> None:
    role = ctx.call("iam", "get_role", RoleName=role_name(ctx, name))["Role"]
    trust = role["AssumeRolePolicyDocument"]["Statement"]

    assert (role["RoleName"], trust) == (
        f"{name}-role",
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    )


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_each_function_is_tagged_with_its_team_and_service(ctx: AwsContext, name: str) -> None:
    arn = configuration(ctx, name)["FunctionArn"]

    assert set(ctx.call("lambda", "list_tags", Resource=arn)["Tags"]) == {"team", "service"}


def test_every_function_has_a_log_group_with_the_stated_retention(ctx: AwsContext) -> None:
    groups = ctx.paginate(
        "logs", "describe_log_groups", "logGroups", logGroupNamePrefix="/aws/lambda/"
    )
    retention = {g["logGroupName"]: g.get("retentionInDays") for g in groups}

    assert retention == {f"/aws/lambda/{name}": RETENTION.get(name) for name in FUNCTION_NAMES}


def test_orders_api_may_be_invoked_by_api_gateway_for_post_orders(ctx: AwsContext) -> None:
    [statement] = policy_statements(ctx, "orders-api")

    assert (statement["Principal"], statement["Condition"]) == (
        {"Service": "apigateway.amazonaws.com"},
        {
            "ArnLike": {
                "AWS:SourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:a1b2c3d4e5/*/POST/orders"
            }
        },
    )


def test_orders_api_role_reads_and_writes_only_the_orders_table(ctx: AwsContext) -> None:
    role = "orders-api-role"

    assert (attached_policies(ctx, role), inline_statements(ctx, role)) == (
        {BASIC},
        [
            {
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders",
            }
        ],
    )


def test_the_nightly_rule_runs_legacy_invoice_export_at_two(ctx: AwsContext) -> None:
    rule = ctx.call("events", "describe_rule", Name="nightly-invoice-export")
    targets = ctx.call("events", "list_targets_by_rule", Rule="nightly-invoice-export")
    [statement] = policy_statements(ctx, "legacy-invoice-export")

    assert (
        rule["ScheduleExpression"],
        [t["Arn"] for t in targets["Targets"]],
        statement["Principal"],
        statement["Condition"]["ArnLike"]["AWS:SourceArn"],
    ) == (
        "cron(0 2 * * ? *)",
        [configuration(ctx, "legacy-invoice-export")["FunctionArn"]],
        {"Service": "events.amazonaws.com"},
        rule["Arn"],
    )


def test_the_inventory_stream_mapping_retries_forever_without_a_destination(
    ctx: AwsContext,
) -> None:
    [mapping] = ctx.call(
        "lambda", "list_event_source_mappings", FunctionName="inventory-stream-processor"
    )["EventSourceMappings"]
    table = ctx.call("dynamodb", "describe_table", TableName="inventory")["Table"]
    seen = {
        key: mapping.get(key)
        for key in (
            "EventSourceArn",
            "BatchSize",
            "StartingPosition",
            "MaximumRetryAttempts",
            "MaximumRecordAgeInSeconds",
            "BisectBatchOnFunctionError",
            "FunctionResponseTypes",
        )
    }
    on_failure = mapping.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")

    assert (seen, on_failure, table["StreamSpecification"]["StreamViewType"]) == (
        {
            "EventSourceArn": table["LatestStreamArn"],
            "BatchSize": 100,
            "StartingPosition": "LATEST",
            "MaximumRetryAttempts": -1,
            "MaximumRecordAgeInSeconds": -1,
            "BisectBatchOnFunctionError": False,
            "FunctionResponseTypes": None,
        },
        None,
        "NEW_AND_OLD_IMAGES",
    )


def test_the_payments_queue_hides_messages_for_less_than_six_timeouts(ctx: AwsContext) -> None:
    attributes = queue_attributes(ctx, "payments")
    [mapping] = ctx.call(
        "lambda", "list_event_source_mappings", FunctionName="payment-queue-worker"
    )["EventSourceMappings"]

    assert (
        attributes["VisibilityTimeout"],
        "RedrivePolicy" in attributes,
        mapping["BatchSize"],
        mapping.get("FunctionResponseTypes"),
        mapping["EventSourceArn"],
    ) == ("120", False, 10, None, attributes["QueueArn"])


def test_thumbnail_generator_handles_uploads_without_a_failure_destination(
    ctx: AwsContext,
) -> None:
    notification = ctx.call(
        "s3", "get_bucket_notification_configuration", Bucket="tidewater-product-images"
    )
    [target] = notification["LambdaFunctionConfigurations"]
    # AWS answers "Prefix" where the request said "prefix"; moto echoes the request.
    rules = [
        (rule["Name"].lower(), rule["Value"]) for rule in target["Filter"]["Key"]["FilterRules"]
    ]
    [statement] = policy_statements(ctx, "thumbnail-generator")
    configs = ctx.call(
        "lambda", "list_function_event_invoke_configs", FunctionName="thumbnail-generator"
    )["FunctionEventInvokeConfigs"]

    assert (
        target["Events"],
        rules,
        statement["Principal"],
        statement["Condition"],
        configs,
        "DeadLetterConfig" in configuration(ctx, "thumbnail-generator"),
    ) == (
        ["s3:ObjectCreated:*"],
        [("prefix", "uploads/")],
        {"Service": "s3.amazonaws.com"},
        {
            "StringEquals": {"AWS:SourceAccount": ACCOUNT},
            "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::tidewater-product-images"},
        },
        [],
        False,
    )


def test_only_notify_email_has_a_dead_letter_queue_and_a_failure_destination(
    ctx: AwsContext,
) -> None:
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:order-events"
    subscriptions = ctx.call("sns", "list_subscriptions_by_topic", TopicArn=topic)
    protection: dict[str, tuple[bool, str | None]] = {}
    for subscription in subscriptions["Subscriptions"]:
        attributes = ctx.call(
            "sns", "get_subscription_attributes", SubscriptionArn=subscription["SubscriptionArn"]
        )["Attributes"]
        name = subscription["Endpoint"].rsplit(":", 1)[-1]
        configs = ctx.call("lambda", "list_function_event_invoke_configs", FunctionName=name)[
            "FunctionEventInvokeConfigs"
        ]
        destination = (
            configs[0]["DestinationConfig"]["OnFailure"]["Destination"] if configs else None
        )
        protection[name] = ("RedrivePolicy" in attributes, destination)

    assert protection == {
        "notify-email": (True, f"arn:aws:sqs:us-east-1:{ACCOUNT}:notify-email-failures"),
        "notify-sms": (False, None),
        "notify-analytics": (False, None),
    }


def test_notify_sms_only_receives_sms_events(ctx: AwsContext) -> None:
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:order-events"
    subscriptions = ctx.call("sns", "list_subscriptions_by_topic", TopicArn=topic)
    [sms] = [s for s in subscriptions["Subscriptions"] if s["Endpoint"].endswith(":notify-sms")]
    attributes = ctx.call(
        "sns", "get_subscription_attributes", SubscriptionArn=sms["SubscriptionArn"]
    )["Attributes"]

    assert json.loads(attributes["FilterPolicy"]) == {"channel": ["sms"]}


@pytest.mark.parametrize("name", ["notify-email", "notify-sms", "notify-analytics"])
def test_each_subscriber_may_be_invoked_by_the_order_events_topic(
    ctx: AwsContext, name: str
) -> None:
    [statement] = policy_statements(ctx, name)

    assert (statement["Principal"], statement["Condition"]) == (
        {"Service": "sns.amazonaws.com"},
        {"ArnLike": {"AWS:SourceArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:order-events"}},
    )


def test_promo_webhook_is_public_through_its_function_url(ctx: AwsContext) -> None:
    url = ctx.call("lambda", "get_function_url_config", FunctionName="promo-webhook")
    [statement] = policy_statements(ctx, "promo-webhook")

    assert (
        url["AuthType"],
        url["Cors"]["AllowOrigins"],
        statement["Principal"],
        statement["Action"],
        statement["Condition"],
    ) == (
        "NONE",
        ["*"],
        "*",
        "lambda:InvokeFunctionUrl",
        {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
    )


def test_customer_sync_role_may_do_anything_in_s3_and_pass_any_role(ctx: AwsContext) -> None:
    statements = inline_statements(ctx, "customer-sync-role")

    assert statements == [
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*"},
    ]


def test_customer_sync_has_secret_looking_environment_variables(ctx: AwsContext) -> None:
    variables = configuration(ctx, "customer-sync")["Environment"]["Variables"]

    assert sorted(variables) == [
        "DATABASE_URL",
        "DB_PASSWORD",
        "LOG_LEVEL",
        "STRIPE_API_KEY",
        "TABLE_NAME",
    ]


@pytest.mark.parametrize("name", HEALTHY_FUNCTIONS)
def test_healthy_functions_have_roles_that_write_logs_and_traces(
    ctx: AwsContext, name: str
) -> None:
    assert attached_policies(ctx, f"{name}-role") == {BASIC, XRAY}


def test_health_check_reserves_five_concurrent_executions(ctx: AwsContext) -> None:
    concurrency = ctx.call("lambda", "get_function_concurrency", FunctionName="health-check")

    assert concurrency["ReservedConcurrentExecutions"] == 5


def test_the_shared_deps_layer_targets_python_312_and_313_on_x86(ctx: AwsContext) -> None:
    layer = ctx.call("lambda", "get_layer_version", LayerName="shared-deps", VersionNumber=1)

    assert (
        layer["LayerVersionArn"],
        layer["CompatibleRuntimes"],
        layer["CompatibleArchitectures"],
    ) == (
        LAYER_ARN,
        ["python3.12", "python3.13"],
        ["x86_64"],
    )


def test_the_seed_report_lists_every_function_and_what_was_written(
    mock_account: MockAccount,
) -> None:
    report = mock_account.seed_report

    assert report is not None
    assert (
        report.functions,
        report.account_id,
        report.region,
        report.log_events > 0,
        report.metric_datums > 0,
        report.seconds > 0,
    ) == (
        FUNCTION_NAMES,
        ACCOUNT,
        "us-east-1",
        True,
        True,
        True,
    )
