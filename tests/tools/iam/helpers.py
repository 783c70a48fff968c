"""Shared helpers for the IAM engine tests: policies in one line, diffs as plain sets."""

from __future__ import annotations

from typing import Any

from lambda_specialist.tools.iam.engine import Difference, analyse
from lambda_specialist.tools.iam.policy import Policy, parse_policy


def policy(
    *statements: dict[str, Any], version: str | None = "2012-10-17", name: str = "p"
) -> Policy:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version:
        document["Version"] = version
    return parse_policy(document, name=name)


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def diffs(a: Policy, b: Policy, direction: str = "added") -> list[Difference]:
    return [d for d in analyse(a, b).differences if d.direction == direction]


def actions(a: Policy, b: Policy, direction: str = "added") -> set[str]:
    return {x.full_name for d in diffs(a, b, direction) for x in d.actions}


def about(a: Policy, b: Policy, action: str, direction: str = "added") -> list[tuple[str, ...]]:
    """Return (resources, excluding, status) of the differences naming ``action``."""
    return sorted(
        (d.resources, d.excluding, d.status)  # type: ignore[misc]
        for d in diffs(a, b, direction)
        if any(x.full_name == action for x in d.actions)
    )


NOTHING = policy(allow("s3:GetObject", "arn:aws:s3:::nothing-here/only-this-key"))
