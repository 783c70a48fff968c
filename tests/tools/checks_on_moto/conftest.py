"""An in-process moto account per test, with helpers that build the resources checks read.

Each test gets its own account ID: moto keeps its state per process and other test modules
share one seeded moto server, so the fixture neither resets moto on entry nor wipes it on
exit (as ``mock_aws`` would by default); it pins ``MOTO_ACCOUNT_ID`` to a new account, and on
teardown drops that account from every moto backend.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BackendDict
from moto.s3.models import s3_backends

from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.demo.shims import install_shims, remove_shims
from lambda_specialist.tools.inspection import FunctionInspection, inspect_function

REGION = "us-east-1"
MOTO_CONFIG: dict[str, Any] = {
    "lambda": {"use_docker": False},
    "iam": {"load_aws_managed_policies": False},
}
TRUST_LAMBDA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
WRITE_TRACES = {
    "Effect": "Allow",
    "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    "Resource": "*",
}
WRITE_LOGS = {
    "Effect": "Allow",
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*",
}
# A function none of the checks should complain about: every later test changes one thing.
HEALTHY_FUNCTION: dict[str, Any] = {
    "Runtime": "python3.13",
    "Handler": "app.handler",
    "Timeout": 10,
    "MemorySize": 256,
    "Architectures": ["arm64"],
    "TracingConfig": {"Mode": "Active"},
    "Tags": {"team": "checkout"},
}
_ACCOUNTS = itertools.count(210_000_000_001)


def handler_zip() -> bytes:
    """Return a deployment package holding a one-line handler."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


_ZIP = handler_zip()


class MotoAccount:
    """The account of one test: builds resources in moto and inspects functions."""

    def __init__(self, factory: ClientFactory, account_id: str) -> None:
        self.factory = factory
        self.ctx = factory.context()
        self.account_id = account_id
        self.region = REGION
        self._statements = itertools.count(1)

    def client(self, service: str) -> Any:
        """Return the product's own cached client, so handlers added to it reach inspect."""
        return self.factory.client(self.ctx.target, service)

    def arn(self, service: str, resource: str) -> str:
        """Return an ARN of this account and region."""
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    # -- reading ---------------------------------------------------------------------------

    def inspect(self, name: str = "app") -> FunctionInspection:
        """Run inspect_function on ``name``."""
        return inspect_function(self.ctx, function_name=name)

    def finding_ids(self, name: str = "app") -> set[str]:
        """Return the IDs of the findings on ``name``."""
        return {f.id for f in self.inspect(name).findings}

    # -- IAM and Lambda --------------------------------------------------------------------

    def role(
        self,
        name: str,
        statements: tuple[dict[str, Any], ...] = (WRITE_TRACES, WRITE_LOGS),
        *,
        managed: tuple[dict[str, Any], ...] = (),
    ) -> str:
        """Create an execution role with one inline policy and customer-managed policies."""
        iam = self.client("iam")
        arn = str(
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_LAMBDA))[
                "Role"
            ]["Arn"]
        )
        if statements:
            iam.put_role_policy(
                RoleName=name, PolicyName="inline", PolicyDocument=_document(statements)
            )
        for index, statement in enumerate(managed):
            policy = iam.create_policy(
                PolicyName=f"{name}-managed-{index}", PolicyDocument=_document((statement,))
            )
            iam.attach_role_policy(RoleName=name, PolicyArn=policy["Policy"]["Arn"])
        return arn

    def function(
        self,
        name: str = "app",
        *,
        role_statements: tuple[dict[str, Any], ...] = (WRITE_TRACES, WRITE_LOGS),
        **config: Any,
    ) -> str:
        """Create a function from HEALTHY_FUNCTION with ``config`` applied; return its ARN."""
        spec = {k: v for k, v in (HEALTHY_FUNCTION | config).items() if v is not None}
        role = spec.pop("Role", None) or self.role(f"{name}-role", role_statements)
        response = self.client("lambda").create_function(
            FunctionName=name, Role=role, Code={"ZipFile": _ZIP}, **spec
        )
        return str(response["FunctionArn"])

    def allow(
        self,
        principal: str,
        *,
        name: str = "app",
        action: str = "lambda:InvokeFunction",
        sid: str | None = None,
        **conditions: str,
    ) -> None:
        """Add a resource-policy statement (SourceArn, SourceAccount, ... as keywords)."""
        self.client("lambda").add_permission(
            FunctionName=name,
            StatementId=sid or f"statement-{next(self._statements)}",
            Action=action,
            Principal=principal,
            **conditions,
        )

    def layer(self, name: str, **spec: Any) -> str:
        """Publish a layer version; return its version ARN."""
        response = self.client("lambda").publish_layer_version(
            LayerName=name, Content={"ZipFile": _ZIP}, **spec
        )
        return str(response["LayerVersionArn"])

    # -- event sources ---------------------------------------------------------------------

    def queue(self, name: str, **attributes: str) -> str:
        """Create an SQS queue; return its ARN."""
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        return str(
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
        )

    def stream(self, table: str = "orders") -> str:
        """Create a DynamoDB table with a stream; return the stream ARN."""
        response = self.client("dynamodb").create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        return str(response["TableDescription"]["LatestStreamArn"])

    def mapping(self, source_arn: str, *, name: str = "app", **spec: Any) -> str:
        """Create an event source mapping; return its UUID."""
        if ":sqs:" not in source_arn:
            spec.setdefault("StartingPosition", "LATEST")
        response = self.client("lambda").create_event_source_mapping(
            FunctionName=name, EventSourceArn=source_arn, **spec
        )
        return str(response["UUID"])

    def sns_trigger(self, name: str = "app", topic: str = "orders-events") -> str:
        """Subscribe the function to a new topic, with the permission SNS needs."""
        sns = self.client("sns")
        topic_arn = str(sns.create_topic(Name=topic)["TopicArn"])
        function_arn = self.arn("lambda", f"function:{name}")
        sns.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=function_arn)
        self.allow("sns.amazonaws.com", name=name, SourceArn=topic_arn)
        return topic_arn

    def s3_trigger(self, bucket: str, *, name: str = "app", prefix: str = "uploads/") -> None:
        """Send the bucket's object-created events under ``prefix`` to the function."""
        s3 = self.client("s3")
        s3.create_bucket(Bucket=bucket)
        self.allow(
            "s3.amazonaws.com",
            name=name,
            SourceArn=f"arn:aws:s3:::{bucket}",
            SourceAccount=self.account_id,
        )
        s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration={
                "LambdaFunctionConfigurations": [
                    {
                        "LambdaFunctionArn": self.arn("lambda", f"function:{name}"),
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
                    }
                ]
            },
        )

    def schedule(self, rule: str = "nightly", *, name: str = "app", **target: Any) -> None:
        """Invoke the function from an EventBridge schedule rule (target keys as keywords)."""
        events = self.client("events")
        rule_arn = events.put_rule(Name=rule, ScheduleExpression="rate(1 day)")["RuleArn"]
        events.put_targets(
            Rule=rule,
            Targets=[{"Id": "fn", "Arn": self.arn("lambda", f"function:{name}"), **target}],
        )
        self.allow("events.amazonaws.com", name=name, SourceArn=rule_arn)

    def rest_api(self, *, name: str = "app", tracing: bool = False) -> str:
        """Put a REST API stage 'prod' in front of the function; return the API ID."""
        apigw = self.client("apigateway")
        api_id = str(apigw.create_rest_api(name=f"{name}-api")["id"])
        root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
        apigw.put_method(
            restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE"
        )
        apigw.put_integration(
            restApiId=api_id,
            resourceId=root,
            httpMethod="GET",
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:{self.region}:lambda:path/2015-03-31/functions/"
            f"{self.arn('lambda', f'function:{name}')}/invocations",
        )
        deployment = apigw.create_deployment(restApiId=api_id)["id"]
        apigw.create_stage(
            restApiId=api_id, stageName="prod", deploymentId=deployment, tracingEnabled=tracing
        )
        self.allow(
            "apigateway.amazonaws.com",
            name=name,
            SourceArn=self.arn("execute-api", f"{api_id}/prod/GET/"),
        )
        return api_id

    # -- telemetry -------------------------------------------------------------------------

    def metrics(self, name: str = "app", **values: float) -> None:
        """Record AWS/Lambda datapoints for the function a day ago (MetricName=value)."""
        when = datetime.now(UTC) - timedelta(days=1)
        self.client("cloudwatch").put_metric_data(
            Namespace="AWS/Lambda",
            MetricData=[
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": "FunctionName", "Value": name}],
                    "Timestamp": when,
                    "Value": value,
                }
                for metric, value in values.items()
            ],
        )

    def log_group(self, name: str = "app", *, retention_days: int | None = None) -> None:
        """Create the function's log group, with a retention policy when given."""
        logs = self.client("logs")
        group = f"/aws/lambda/{name}"
        logs.create_log_group(logGroupName=group)
        if retention_days:
            logs.put_retention_policy(logGroupName=group, retentionInDays=retention_days)

    # -- answers moto cannot give ----------------------------------------------------------

    def answer(self, service: str, operation: str, response: dict[str, Any]) -> None:
        """Answer ``operation`` on the product's client with ``response`` instead of moto.

        Only for operations moto does not implement; each caller names the gap.
        """

        def canned(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
            return AWSResponse("", 200, {}, None), json.loads(json.dumps(response))

        self.client(service).meta.events.register(f"before-call.{service}.{operation}", canned)

    def amend_configuration(self, name: str = "app", **fields: Any) -> None:
        """Add ``fields`` to GetFunction's answer for ``name`` where moto drops them.

        Each caller names the field moto does not keep. ``Concurrency`` goes to the top level
        of the answer, every other field into ``Configuration``.
        """

        def amend(parsed: dict[str, Any], **_: Any) -> None:
            config = parsed.get("Configuration") or {}
            if config.get("FunctionName") != name:
                return
            for key, value in fields.items():
                (parsed if key == "Concurrency" else config)[key] = value

        self.client("lambda").meta.events.register("after-call.lambda.GetFunction", amend)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoAccount]:
    """A fresh moto account for one test, with the product's moto shims installed."""
    account_id = str(next(_ACCOUNTS))
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account_id)
    # The seeded server, when running, loads AWS managed policies into every new IAM backend
    # (over a second each); these tests attach customer-managed policies only.
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    # Loading botocore's endpoint and service data takes most of a second per new session;
    # every test's sessions share one botocore data loader, which caches what it read.
    monkeypatch.setattr(boto3, "Session", _session_with_shared_loader)
    default_held = _holding(DEFAULT_ACCOUNT_ID)
    mock = mock_aws(config=MOTO_CONFIG)
    mock.start(reset=False)
    shims = install_shims()
    factory = ClientFactory(Settings(mock=True, region=REGION))
    try:
        yield MotoAccount(factory, account_id)
    finally:
        factory.close()
        remove_shims(shims)
        mock.stop(remove_data=False)
        _forget(account_id)
        # moto's in-process dispatch builds the default account's backends to find a
        # service's URL map; built here they lack what the seeded server configures (AWS
        # managed policies), so drop the ones this test brought into being.
        _forget(DEFAULT_ACCOUNT_ID, keep=default_held)


def fires(check_id: str, inspection: FunctionInspection) -> bool:
    """Whether ``check_id`` reported at least one finding."""
    return any(f.id == check_id for f in inspection.findings)


def stays_quiet(check_id: str, inspection: FunctionInspection) -> bool:
    """Whether ``check_id`` ran (it is not in not_evaluated) and reported nothing."""
    skipped = {n.check_id for n in inspection.not_evaluated}
    return check_id not in skipped and not fires(check_id, inspection)


Scenario = Callable[[MotoAccount], None]


def _session_with_shared_loader(*args: Any, **kwargs: Any) -> boto3.session.Session:
    core = botocore.session.get_session()
    core.register_component("data_loader", _loader())
    return boto3.session.Session(*args, botocore_session=core, **kwargs)


@functools.cache
def _loader() -> Any:
    return botocore.session.get_session().get_component("data_loader")


def _document(statements: tuple[dict[str, Any], ...]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _holding(account_id: str) -> set[str]:
    """Return the IDs of the moto backends that hold ``account_id`` now."""
    return {b._id for b in BackendDict._instances if account_id in b}


def _forget(account_id: str, *, keep: set[str] | None = None) -> None:
    """Drop one account's state from moto's backends (but those in ``keep``)."""
    # moto offers no public way to drop a single account. Bucket names are global: release
    # the account's names too, or the next account's bucket of that name is looked up here.
    buckets = s3_backends.bucket_accounts
    if s3_backends._id not in (keep or set()):
        for bucket in [b for b, (_, owner) in buckets.items() if owner == account_id]:
            del buckets[bucket]
    for backends in list(BackendDict._instances):
        if account_id in backends and backends._id not in (keep or set()):
            del backends[account_id]
