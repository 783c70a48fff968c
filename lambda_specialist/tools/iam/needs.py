"""What a function's configuration implies its execution role needs, as IAM statements.

Sources: the function configuration (logging, VPC, tracing, dead-letter queue, KMS key,
layers, Lambda Insights), its event source mappings and its asynchronous invoke configuration.
Needs that come from the function's own code (its boto3 calls) are not derived here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["NeedSpec", "derive_needs", "needs_document"]

JsonDict = dict[str, Any]

_VPC = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
_XRAY = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
_SOURCES = {
    "sqs": (("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), ()),
    "kinesis": (
        (
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
        ),
        ("kinesis:ListStreams",),
    ),
    "dynamodb": (
        ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
        ("dynamodb:ListStreams",),
    ),
    "kafka": (
        ("kafka:DescribeCluster", "kafka:DescribeClusterV2"),
        ("kafka:GetBootstrapBrokers", *_VPC[:3], "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups"),
    ),
    "mq": (("mq:DescribeBroker",), ()),
}
_TARGETS = {
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "lambda": "lambda:InvokeFunction",
    "events": "events:PutEvents",
    "s3": "s3:PutObject",
}


@dataclass(frozen=True)
class NeedSpec:
    """Actions on resources, why, and whose permission it is."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    reason: str
    applies_to: str = "execution_role"


def derive_needs(
    config: JsonDict, mappings: list[JsonDict], invoke_config: JsonDict | None
) -> list[NeedSpec]:
    """Return every need the configuration implies, in a stable order."""
    arn = str(config["FunctionArn"])
    _, partition, _, region, account = arn.split(":")[:5]
    base = f"arn:{partition}:logs:{region}:{account}"
    needs = [_logs(config, base)]
    if (config.get("VpcConfig") or {}).get("SubnetIds"):
        needs.append(
            NeedSpec(
                _VPC,
                ("*",),
                "VpcConfig: Lambda creates network interfaces in "
                "the function's subnets (the ec2 actions take no resource scope "
                "that Lambda can use).",
            )
        )
    if (config.get("TracingConfig") or {}).get("Mode") == "Active":
        needs.append(
            NeedSpec(
                _XRAY,
                ("*",),
                "TracingConfig Active: the function sends trace "
                "segments to X-Ray (X-Ray actions take no resource types).",
            )
        )
    needs.extend(_mapping_needs(mappings))
    dlq = (config.get("DeadLetterConfig") or {}).get("TargetArn")
    if dlq:
        needs.append(_target(str(dlq), "DeadLetterConfig: failed asynchronous events go here"))
    needs.extend(_destination_needs(invoke_config))
    kms = config.get("KMSKeyArn")
    if kms:
        needs.append(
            NeedSpec(
                ("kms:Decrypt",),
                (str(kms),),
                "KMSKeyArn: environment variables are encrypted with this customer managed key.",
            )
        )
    needs.extend(_layer_needs(config, base, account))
    return needs


def needs_document(needs: list[NeedSpec]) -> JsonDict:
    """Return the execution-role needs as one policy document (one statement per need)."""
    statements = [
        {
            "Sid": f"Need{i}",
            "Effect": "Allow",
            "Action": list(n.actions),
            "Resource": list(n.resources),
        }
        for i, n in enumerate(needs, start=1)
        if n.applies_to == "execution_role" and n.actions
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def _logs(config: JsonDict, base: str) -> NeedSpec:
    name = str(config["FunctionName"])
    group = (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{name}"
    return NeedSpec(
        ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
        (f"{base}:log-group:{group}", f"{base}:log-group:{group}:*"),
        f"Logging: the function writes to log group {group}.",
    )


def _mapping_needs(mappings: list[JsonDict]) -> Iterator[NeedSpec]:
    for mapping in mappings:
        source = str(mapping.get("EventSourceArn") or "")
        service = source.split(":")[2] if source.count(":") >= 5 else ""
        if service in _SOURCES:
            scoped, unscoped = _SOURCES[service]
            why = (
                f"Event source mapping {mapping.get('UUID')}: Lambda reads {source} with the role."
            )
            yield NeedSpec(scoped, (source,), why)
            if unscoped:
                yield NeedSpec(unscoped, ("*",), why + " These actions take no resource types.")
        failure = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
            "Destination"
        )
        if failure:
            yield _target(
                str(failure), f"Event source mapping {mapping.get('UUID')} on-failure destination"
            )


def _destination_needs(invoke_config: JsonDict | None) -> Iterator[NeedSpec]:
    destinations = (invoke_config or {}).get("DestinationConfig") or {}
    for outcome in ("OnSuccess", "OnFailure"):
        target = (destinations.get(outcome) or {}).get("Destination")
        if target:
            yield _target(str(target), f"Asynchronous invocation {outcome} destination")


def _target(arn: str, why: str) -> NeedSpec:
    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    action = _TARGETS.get(service)
    resource = f"{arn}/*" if service == "s3" else arn
    return NeedSpec((action,) if action else (), (resource,), f"{why}: {arn}.")


def _layer_needs(config: JsonDict, base: str, account: str) -> Iterator[NeedSpec]:
    for layer in config.get("Layers") or []:
        layer_arn = str(layer.get("Arn", ""))
        if "LambdaInsightsExtension" in layer_arn:
            yield NeedSpec(
                ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                (
                    f"{base}:log-group:/aws/lambda-insights",
                    f"{base}:log-group:/aws/lambda-insights:*",
                ),
                "Lambda Insights layer: the extension writes performance logs.",
            )
        owner = layer_arn.split(":")[4] if layer_arn.count(":") >= 5 else account
        if owner != account:
            yield NeedSpec(
                ("lambda:GetLayerVersion",),
                (layer_arn,),
                f"Layer {layer_arn} belongs "
                f"to account {owner}: whoever deploys the function needs this, and the "
                "layer's owner must grant it; the execution role does not.",
                "deployer",
            )
