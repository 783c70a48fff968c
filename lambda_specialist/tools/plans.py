"""Change plans as data: the steps a write makes, how to build them and how to undo them.

A plan never touches AWS. Each step names one field of one resource, its value before and
after, the AWS call that changes it and why; ``tools/changes.py`` applies plans.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "PUBLISHED_VERSION",
    "AwsCall",
    "ChangePlan",
    "PlanStep",
    "alias_step",
    "attach_policy_step",
    "config_step",
    "detach_policy_step",
    "inline_policy_step",
    "inverse_step",
    "publish_version_step",
    "rollback_plan",
]

# Stands for the version a publish step creates, in the alias step that follows it.
PUBLISHED_VERSION = "<version published by the previous step>"
_NOT_UNDONE = (
    "Published versions are immutable and cannot be unpublished here; the version stays "
    "and does nothing until an alias or caller uses it."
)


class AwsCall(BaseModel):
    """The AWS call a step makes: service, operation (boto3 method name) and parameters."""

    service: str = Field(description="The boto3 service name, e.g. 'lambda'.")
    operation: str = Field(description="The boto3 method, e.g. 'update_function_configuration'.")
    parameters: dict[str, Any] = Field(description="The parameters sent (never secret values).")


class PlanStep(BaseModel):
    """One change to one field of one resource."""

    resource: str = Field(description="The ARN or name of the resource changed.")
    field: str = Field(description="The field changed, e.g. 'TracingConfig.Mode'.")
    before: Any = Field(description="The value read when the plan was made.")
    after: Any = Field(description="The value the step sets.")
    call: AwsCall
    why: str = Field(description="Why this step is needed.")


class ChangePlan(BaseModel):
    """An ordered list of steps, applied first to last; empty when nothing needs to change."""

    steps: list[PlanStep] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list, description="What applying the plan also does or cannot do."
    )

    @property
    def is_empty(self) -> bool:
        """Whether the plan changes nothing."""
        return not self.steps


def config_step(
    function_name: str, function_arn: str, field: str, *, before: Any, after: Any, why: str
) -> PlanStep:
    """Return a step that sets one (dotted) configuration field with UpdateFunctionConfiguration."""
    parameters: dict[str, Any] = {"FunctionName": function_name}
    _set_path(parameters, field, after)
    return PlanStep(
        resource=function_arn,
        field=field,
        before=before,
        after=after,
        call=AwsCall(
            service="lambda", operation="update_function_configuration", parameters=parameters
        ),
        why=why,
    )


def attach_policy_step(role_name: str, role_arn: str, policy_arn: str, *, why: str) -> PlanStep:
    """Return a step that attaches a managed policy to a role."""
    return PlanStep(
        resource=role_arn,
        field=f"AttachedPolicies[{policy_arn}]",
        before=False,
        after=True,
        call=AwsCall(
            service="iam",
            operation="attach_role_policy",
            parameters={"RoleName": role_name, "PolicyArn": policy_arn},
        ),
        why=why,
    )


def detach_policy_step(role_name: str, role_arn: str, policy_arn: str, *, why: str) -> PlanStep:
    """Return a step that detaches a managed policy from a role."""
    return PlanStep(
        resource=role_arn,
        field=f"AttachedPolicies[{policy_arn}]",
        before=True,
        after=False,
        call=AwsCall(
            service="iam",
            operation="detach_role_policy",
            parameters={"RoleName": role_name, "PolicyArn": policy_arn},
        ),
        why=why,
    )


def inline_policy_step(
    role_name: str,
    role_arn: str,
    policy_name: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    why: str,
) -> PlanStep:
    """Return a step that puts (``after`` set) or deletes (``after`` None) an inline policy."""
    parameters: dict[str, Any] = {"RoleName": role_name, "PolicyName": policy_name}
    if after is not None:
        parameters["PolicyDocument"] = json.dumps(after, sort_keys=True)
    return PlanStep(
        resource=role_arn,
        field=f"RolePolicy[{policy_name}]",
        before=before,
        after=after,
        call=AwsCall(
            service="iam",
            operation="put_role_policy" if after is not None else "delete_role_policy",
            parameters=parameters,
        ),
        why=why,
    )


def publish_version_step(function_name: str, function_arn: str, *, why: str) -> PlanStep:
    """Return a step that publishes $LATEST as a new version."""
    return PlanStep(
        resource=function_arn,
        field="Version",
        before="$LATEST only",
        after=PUBLISHED_VERSION,
        call=AwsCall(
            service="lambda",
            operation="publish_version",
            parameters={"FunctionName": function_name},
        ),
        why=why,
    )


def alias_step(
    function_name: str, function_arn: str, alias: str, *, before: str, after: str, why: str
) -> PlanStep:
    """Return a step that points an alias at a version (PUBLISHED_VERSION: the one just made)."""
    return PlanStep(
        resource=f"{function_arn}:{alias}",
        field="FunctionVersion",
        before=before,
        after=after,
        call=AwsCall(
            service="lambda",
            operation="update_alias",
            parameters={"FunctionName": function_name, "Name": alias, "FunctionVersion": after},
        ),
        why=why,
    )


def inverse_step(step: PlanStep, *, before: Any) -> PlanStep | None:
    """Return the step that restores ``before``, the value seen just before ``step`` ran.

    None when the change cannot be undone by a call (a published version).
    """
    call = step.call
    name = call.parameters.get("FunctionName", "")
    why = f"Restore {step.field} of {step.resource} to its value before the change."
    match call.operation:
        case "update_function_configuration":
            return config_step(
                name, step.resource, step.field, before=step.after, after=before, why=why
            )
        case "attach_role_policy" | "detach_role_policy":
            role = str(call.parameters["RoleName"])
            policy = str(call.parameters["PolicyArn"])
            build = attach_policy_step if before else detach_policy_step
            return build(role, step.resource, policy, why=why)
        case "put_role_policy" | "delete_role_policy":
            return inline_policy_step(
                str(call.parameters["RoleName"]),
                step.resource,
                str(call.parameters["PolicyName"]),
                before=step.after,
                after=before,
                why=why,
            )
        case "update_function_code":
            parameters = {**call.parameters, "Architectures": before}
            return step.model_copy(
                update={
                    "before": step.after,
                    "after": before,
                    "call": call.model_copy(update={"parameters": parameters}),
                    "why": why,
                }
            )
        case "update_alias":
            alias = str(call.parameters["Name"])
            arn = step.resource.removesuffix(f":{alias}")
            return alias_step(name, arn, alias, before=step.after, after=str(before), why=why)
        case _:
            return None


def rollback_plan(applied: list[tuple[PlanStep, Any]]) -> ChangePlan:
    """Return the plan that undoes ``applied`` (step, value before) pairs, last first."""
    steps: list[PlanStep] = []
    notes: list[str] = []
    for step, before in reversed(applied):
        inverse = inverse_step(step, before=before)
        if inverse is None:
            notes.append(f"{step.call.operation} on {step.resource} is not undone. {_NOT_UNDONE}")
        else:
            steps.append(inverse)
    return ChangePlan(steps=steps, notes=notes)


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value
