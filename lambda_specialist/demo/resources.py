"""Builders that create the scenario's roles, packages, functions, log groups and telemetry."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext
    from lambda_specialist.demo.workload import FunctionLogs

__all__ = [
    "BASIC_EXECUTION",
    "XRAY_WRITE",
    "code_package",
    "create_log_group",
    "create_role",
    "layer_package",
    "policy_document",
    "put_function_logs",
    "put_metric_data",
]

logger = logging.getLogger(__name__)

BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
XRAY_WRITE = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
DYNAMODB_STREAM_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
SQS_QUEUE_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
# PutLogEvents limits: 10,000 events and 1,048,576 bytes, each event counting 26 bytes extra.
MAX_EVENTS_PER_PUT = 10_000
MAX_BYTES_PER_PUT = 1_048_576
EVENT_OVERHEAD_BYTES = 26
# PutMetricData accepts up to 1,000 datums per call.
MAX_DATUMS_PER_PUT = 1_000
# A fixed timestamp inside every zip, so the same code always has the same CodeSha256.
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_PYTHON_HANDLER = "def {name}(event, context):\n    return {{'ok': True}}\n"
_NODE_HANDLER = "export const {name} = async (event) => ({{ ok: true }});\n"
_LAYER_MODULE = '"""Shared helpers for Tidewater Goods services."""\n\nVERSION = "1.0.0"\n'


def policy_document(*statements: Mapping[str, Any]) -> dict[str, Any]:
    """Return an IAM policy document holding ``statements``."""
    return {"Version": "2012-10-17", "Statement": [dict(s) for s in statements]}


def create_role(
    ctx: AwsContext,
    name: str,
    *,
    managed: Sequence[str],
    inline: Mapping[str, Mapping[str, Any]],
    tags: Mapping[str, str],
) -> str:
    """Create a role that Lambda may assume, attach its policies and return its ARN."""
    trust = policy_document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    role = ctx.call(
        "iam",
        "create_role",
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
    )

    for policy_arn in managed:
        ctx.call("iam", "attach_role_policy", RoleName=name, PolicyArn=policy_arn)
    for policy_name, document in inline.items():
        ctx.call(
            "iam",
            "put_role_policy",
            RoleName=name,
            PolicyName=policy_name,
            PolicyDocument=json.dumps(document),
        )
    return str(role["Role"]["Arn"])


def code_package(handler: str, runtime: str) -> bytes:
    """Return a small valid deployment package whose file matches ``handler``."""
    module, _, function = handler.rpartition(".")
    if runtime.startswith("nodejs"):
        return _zip({f"{module}.mjs": _NODE_HANDLER.format(name=function)})
    return _zip({f"{module}.py": _PYTHON_HANDLER.format(name=function)})


def layer_package() -> bytes:
    """Return a small Python layer archive with the ``python/`` layout Lambda expects."""
    return _zip({"python/tidewater_shared/__init__.py": _LAYER_MODULE})


def create_log_group(ctx: AwsContext, name: str, *, retention_days: int | None) -> None:
    """Create a log group, with a retention policy when ``retention_days`` is set."""
    ctx.call("logs", "create_log_group", logGroupName=name)
    if retention_days is not None:
        ctx.call("logs", "put_retention_policy", logGroupName=name, retentionInDays=retention_days)


def put_function_logs(ctx: AwsContext, group: str, logs: FunctionLogs) -> int:
    """Write a function's events to its stream in PutLogEvents-sized batches, in time order.

    Batches respect the count and size limits. They may span more than the 24 hours AWS allows
    in one batch, which moto accepts; the seed writes only to the embedded account.

    Returns:
        The number of events written.
    """
    if not logs.events:
        return 0
    ctx.call("logs", "create_log_stream", logGroupName=group, logStreamName=logs.stream_name)
    for batch in _log_batches(logs.events):
        ctx.call(
            "logs",
            "put_log_events",
            logGroupName=group,
            logStreamName=logs.stream_name,
            logEvents=batch,
        )
    return len(logs.events)


def put_metric_data(ctx: AwsContext, namespace: str, data: Sequence[Mapping[str, Any]]) -> int:
    """Write ``data`` in batches of at most 1,000 datums and return how many were written."""
    for start in range(0, len(data), MAX_DATUMS_PER_PUT):
        batch = [dict(datum) for datum in data[start : start + MAX_DATUMS_PER_PUT]]
        ctx.call("cloudwatch", "put_metric_data", Namespace=namespace, MetricData=batch)
    return len(data)


def _zip(files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, text)
    return buffer.getvalue()


def _log_batches(events: Sequence[tuple[int, str]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for timestamp, message in events:
        event_size = len(message.encode()) + EVENT_OVERHEAD_BYTES
        if batch and (len(batch) >= MAX_EVENTS_PER_PUT or size + event_size > MAX_BYTES_PER_PUT):
            yield batch
            batch, size = [], 0
        batch.append({"timestamp": timestamp, "message": message})
        size += event_size
    if batch:
        yield batch
