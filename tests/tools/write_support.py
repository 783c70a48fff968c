"""Helpers for tests that change the mock account: full state dumps and a flaky AWS context."""

from __future__ import annotations

from typing import Any

from lambda_specialist.aws.context import AwsContext, JsonDict
from lambda_specialist.errors import AwsError

# Fields Lambda changes on every update, whatever was updated.
VOLATILE = ("RevisionId", "LastModified", "LastUpdateStatus", "LastUpdateStatusReason")
PROPAGATION_MESSAGE = (
    "lambda:UpdateFunctionConfiguration failed in us-east-1 with "
    "InvalidParameterValueException: The provided execution role does not have permissions "
    "to call PutTraceSegments on XRAY."
)


def account_state(ctx: AwsContext, function_name: str) -> JsonDict:
    """The function's whole configuration and its role's policies, for exact comparisons."""
    config = ctx.call("lambda", "get_function_configuration", FunctionName=function_name)
    role = str(config["Role"]).rsplit("/", 1)[-1]
    inline = ctx.paginate("iam", "list_role_policies", "PolicyNames", RoleName=role)
    return {
        "config": config,
        "attached": ctx.paginate(
            "iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role
        ),
        "inline": {
            name: ctx.call("iam", "get_role_policy", RoleName=role, PolicyName=name)[
                "PolicyDocument"
            ]
            for name in inline
        },
    }


def stable(state: JsonDict) -> JsonDict:
    """``state`` without the fields every update changes."""
    config = {k: v for k, v in state["config"].items() if k not in VOLATILE}
    return {**state, "config": config}


class FlakyContext(AwsContext):
    """An AWS context whose chosen call fails ``times`` times (None: always) before working."""

    def __init__(
        self, base: AwsContext, operation: str, error: AwsError, *, times: int | None = 1
    ) -> None:
        super().__init__(base.factory, base.target)
        self.operation = operation
        self.error = error
        self.remaining = times
        self.failures = 0

    def call(self, service: str, operation: str, **kwargs: Any) -> JsonDict:
        if operation == self.operation and (self.remaining is None or self.remaining > 0):
            if self.remaining is not None:
                self.remaining -= 1
            self.failures += 1
            raise self.error
        return super().call(service, operation, **kwargs)


def propagation_error() -> AwsError:
    """The error Lambda answers right after the role was granted X-Ray access."""
    return AwsError(
        PROPAGATION_MESSAGE,
        code="InvalidParameterValueException",
        operation="UpdateFunctionConfiguration",
    )
