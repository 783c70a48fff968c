"""Read the state a change step touches, and the function a write may target."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.functions import FunctionRef, parse_function_ref

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict
    from lambda_specialist.tools.plans import PlanStep

__all__ = ["UNREADABLE", "field_value", "read_field", "with_current_lists", "writable_function"]

# What read_field returns for a step whose after-state cannot be read (a publish).
UNREADABLE = object()


def writable_function(ctx: AwsContext, function_name: str) -> FunctionRef:
    """Parse a function reference for a write: $LATEST of a function in this account and region.

    Raises:
        InvalidInputError: The reference is malformed, names another region or account, or
            names a version or alias (configuration changes apply to $LATEST).
    """
    ref = parse_function_ref(function_name)
    if ref.region and ref.region != ctx.region:
        raise InvalidInputError(
            f"Function '{ref.name}' is in {ref.region} but this call works in {ctx.region}. "
            f"Pass region='{ref.region}' (or --region {ref.region})."
        )
    if ref.account and ref.account != ctx.describe().account_id:
        raise InvalidInputError(
            f"The ARN names account {ref.account}, not the account of the credentials in use. "
            f"Use a profile or role_arn for account {ref.account}."
        )
    if ref.qualifier not in (None, "$LATEST"):
        raise InvalidInputError(
            f"'{function_name}' names version or alias '{ref.qualifier}', but configuration "
            "changes apply to $LATEST. Pass the function name alone (enable_tracing also takes "
            "publish_alias to publish $LATEST and move an alias)."
        )
    return ref


def read_field(ctx: AwsContext, step: PlanStep) -> Any:
    """Read the current value of the field ``step`` changes (unreadable: a unique sentinel)."""
    parameters = step.call.parameters
    match step.call.operation:
        case "update_function_configuration" | "update_function_code":
            config = ctx.call(
                "lambda", "get_function_configuration", FunctionName=parameters["FunctionName"]
            )
            return field_value(config, step.field)
        case "attach_role_policy" | "detach_role_policy":
            attached = ctx.paginate(
                "iam",
                "list_attached_role_policies",
                "AttachedPolicies",
                RoleName=parameters["RoleName"],
            )
            return any(p.get("PolicyArn") == parameters["PolicyArn"] for p in attached)
        case "put_role_policy" | "delete_role_policy":
            return _inline_policy(ctx, str(parameters["RoleName"]), str(parameters["PolicyName"]))
        case "update_alias":
            alias = ctx.call(
                "lambda",
                "get_alias",
                FunctionName=parameters["FunctionName"],
                Name=parameters["Name"],
            )
            return alias.get("FunctionVersion")
        case _:
            return UNREADABLE


def field_value(config: JsonDict, field: str) -> Any:
    """Return a dotted field of a function configuration, with Lambda's defaults filled in."""
    if field == "TracingConfig.Mode":
        return (config.get("TracingConfig") or {}).get("Mode", "PassThrough")
    value: Any = config
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _inline_policy(ctx: AwsContext, role: str, name: str) -> dict[str, Any] | None:
    try:
        document = ctx.call("iam", "get_role_policy", RoleName=role, PolicyName=name)
    except ResourceNotFoundError:
        return None
    raw = document.get("PolicyDocument")
    return dict(json.loads(unquote(raw))) if isinstance(raw, str) else dict(raw or {})


def with_current_lists(ctx: AwsContext, parameters: dict[str, Any]) -> dict[str, Any]:
    """Add the current Layers, Environment and VpcConfig, and RevisionId, to an update."""
    config = ctx.call(
        "lambda", "get_function_configuration", FunctionName=parameters["FunctionName"]
    )
    merged = dict(parameters)
    if "Layers" not in merged and config.get("Layers"):
        merged["Layers"] = [layer["Arn"] for layer in config["Layers"]]
    variables = (config.get("Environment") or {}).get("Variables")
    if "Environment" not in merged and variables is not None:
        merged["Environment"] = {"Variables": dict(variables)}
    vpc = config.get("VpcConfig") or {}
    if "VpcConfig" not in merged and vpc.get("SubnetIds"):
        merged["VpcConfig"] = {
            key: vpc[key]
            for key in ("SubnetIds", "SecurityGroupIds", "Ipv6AllowedForDualStack")
            if key in vpc
        }
    if config.get("RevisionId"):
        merged["RevisionId"] = config["RevisionId"]
    return merged
