"""Execution-role checks: wildcard access, PassRole on everything.

The evaluation here is deliberately small: Allow and Deny statements without conditions,
``*`` and ``?`` wildcards, case-insensitive actions. Conditional statements count as granting
(the conservative reading for over-privilege findings).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from lambda_specialist.tools.checks.facts import FunctionFacts, RoleFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

__all__ = ["role_allows", "statements"]

_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
_ADMIN_LIKE = {"*", "iam:*", "sts:*", "lambda:*", "s3:*", "dynamodb:*", "kms:*", "ec2:*"}


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the statements of a policy document as a list."""
    raw = document.get("Statement", [])
    return [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, dict)]


def role_allows(role: RoleFacts, action: str, resource: str) -> bool:
    """Whether any of the role's policies allows ``action`` on ``resource`` and none denies it."""
    allowed = False
    for policy in role.documents:
        for statement in statements(policy.document):
            if not _matches(statement, action, resource):
                continue
            if statement.get("Effect") == "Deny" and "Condition" not in statement:
                return False
            if statement.get("Effect") == "Allow":
                allowed = True
    return allowed


@check(
    "IA-01",
    family="permissions",
    title="Execution role grants wildcard actions on all resources",
    severity=Severity.HIGH,
    rationale="A function compromised through its code or dependencies can do anything its "
    "role allows; a service-wide wildcard on '*' turns one bug into an account-wide incident.",
    fix="Replace the wildcard with the actions and resources the function uses "
    "(diff_iam_policy proposes a least-privilege policy).",
    docs_url=_DOCS,
    needs=("config", "role"),
)
def wildcard_access(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire once per policy that allows an admin-like wildcard action on Resource '*'."""
    if facts.role is None:
        return
    for policy in facts.role.documents:
        wide = sorted(
            action
            for statement in statements(policy.document)
            if statement.get("Effect") == "Allow" and "*" in _as_list(statement.get("Resource"))
            for action in _as_list(statement.get("Action"))
            if action.lower() in _ADMIN_LIKE
        )
        if wide:
            yield Hit(
                evidence={
                    "role": facts.role.name,
                    "policy": policy.name,
                    "actions": wide,
                    "resource": "*",
                },
                severity=Severity.CRITICAL if "*" in wide else None,
                fix=f"Scope policy '{policy.name}' of role {facts.role.name} to the buckets, "
                "tables and actions the function needs; run diff_iam_policy with "
                f"function_name={facts.name} for a proposal.",
            )


@check(
    "IA-02",
    family="permissions",
    title="Execution role may pass any role (iam:PassRole on *)",
    severity=Severity.HIGH,
    rationale="iam:PassRole on every role lets the function hand a more powerful role to a "
    "new Lambda function, EC2 instance or task: a privilege-escalation path.",
    fix="Limit iam:PassRole to the specific role ARNs the function must pass, with an "
    "iam:PassedToService condition.",
    docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    needs=("config", "role"),
)
def pass_role_anywhere(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when an Allow statement grants iam:PassRole on every resource."""
    if facts.role is None:
        return
    for policy in facts.role.documents:
        for statement in statements(policy.document):
            if statement.get("Effect") != "Allow" or "*" not in _as_list(statement.get("Resource")):
                continue
            if any(
                fnmatch.fnmatchcase("iam:passrole", a.lower())
                for a in _as_list(statement.get("Action"))
            ):
                yield Hit(
                    evidence={
                        "role": facts.role.name,
                        "policy": policy.name,
                        "action": "iam:PassRole",
                        "resource": "*",
                    }
                )
                break


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    if "Action" not in statement or "Resource" not in statement:
        return False
    actions = [a.lower() for a in _as_list(statement.get("Action"))]
    if not any(fnmatch.fnmatchcase(action.lower(), pattern) for pattern in actions):
        return False
    return any(
        fnmatch.fnmatchcase(resource, pattern) or pattern == "*"
        for pattern in _as_list(statement.get("Resource"))
    )


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
