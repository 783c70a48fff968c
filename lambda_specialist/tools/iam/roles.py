"""Read an IAM role's identity policies (inline and attached) from the account."""

from __future__ import annotations

import json
from functools import partial
from typing import Any
from urllib.parse import unquote

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.iam.policy import Policy, merge_policies, parse_policy

__all__ = ["read_role_policy", "role_name"]


def role_name(reference: str) -> str:
    """Return the role name from a name or a role ARN (paths dropped)."""
    text = reference.strip()
    if text.startswith("arn:"):
        if ":role/" not in text:
            raise InvalidInputError(
                f"{text!r} is not a role ARN; pass a role name or arn:aws:iam::ACCOUNT:role/NAME."
            )
        return text.rsplit("/", 1)[-1]
    return text


def read_role_policy(ctx: AwsContext, reference: str) -> Policy:
    """Merge every inline and attached policy of the role into one Policy."""
    name = role_name(reference)
    try:
        attached = ctx.paginate(
            "iam", "list_attached_role_policies", "AttachedPolicies", RoleName=name
        )
        inline = ctx.paginate("iam", "list_role_policies", "PolicyNames", RoleName=name)
    except ResourceNotFoundError as exc:
        raise ResourceNotFoundError(
            f"Role '{name}' was not found in this account; check the name (list roles with "
            "'aws iam list-roles').",
            code=exc.code,
            operation=exc.operation,
        ) from exc
    calls = {
        f"inline:{p}": partial(ctx.call, "iam", "get_role_policy", RoleName=name, PolicyName=p)
        for p in inline
    }
    calls |= {
        f"managed:{p['PolicyArn']}": partial(_managed, ctx, str(p["PolicyArn"])) for p in attached
    }
    results = ctx.gather(calls)
    policies = []
    for key, result in sorted(results.items()):
        if isinstance(result, AwsError):
            raise result
        document = result["PolicyDocument"] if key.startswith("inline:") else result
        policies.append(
            parse_policy(
                _document(document), name=f"{name}/{key.split(':', 1)[1].rsplit('/', 1)[-1]}"
            )
        )
    return merge_policies(f"role {name}", policies)


def _managed(ctx: AwsContext, arn: str) -> Any:
    version = ctx.call("iam", "get_policy", PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return ctx.call("iam", "get_policy_version", PolicyArn=arn, VersionId=version)["PolicyVersion"][
        "Document"
    ]


def _document(document: Any) -> dict[str, Any] | str:
    if isinstance(document, str):
        text = unquote(document)
        return text if text.lstrip().startswith("{") else json.loads(text)
    return dict(document)
