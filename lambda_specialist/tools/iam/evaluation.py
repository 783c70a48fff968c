"""Concrete evaluation: is one request allowed by a policy? Three-valued (None = unknown)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lambda_specialist.tools.iam.conditions import Context, evaluate
from lambda_specialist.tools.iam.globs import Glob, action_regex, resource_glob
from lambda_specialist.tools.iam.policy import Policy, Statement

__all__ = ["Request", "is_allowed", "resource_matches", "statement_matches", "substitute"]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = frozenset({"*", "?", "$"})


@dataclass(frozen=True)
class Request:
    """One request: action (any case), resource ARN ('*' for actions without resource types),
    the calling principal for resource policies, and the condition context."""

    action: str
    resource: str
    principal: tuple[str, str] | None = None
    context: Context = field(default_factory=dict)


def is_allowed(policy: Policy | Sequence[Statement], request: Request) -> bool | None:
    """Allow if an Allow statement matches and no Deny does; None where conditions are unknown."""
    statements = policy.statements if isinstance(policy, Policy) else policy
    allowed: bool | None = False
    denied: bool | None = False
    for statement in statements:
        hit = statement_matches(statement, request)
        if statement.is_allow:
            allowed = _or(allowed, hit)
        else:
            denied = _or(denied, hit)
    if denied is True:
        return False
    if denied is None:
        return None if allowed is not False else False
    return allowed


def statement_matches(statement: Statement, request: Request) -> bool | None:
    """Whether ``statement`` applies to ``request`` (action, resource, principal, conditions)."""
    action = request.action.lower()
    hit = any(_action(pattern).fullmatch(action) for pattern in statement.actions)
    if hit == statement.not_action:
        return False
    if not resource_matches(statement, request.resource, request.context):
        return False
    if statement.principals is not None and request.principal is not None:
        named = any(principal_matches(p, request.principal) for p in statement.principals)
        if named == statement.not_principal:
            return False
    return evaluate(statement.conditions, request.context)


def resource_matches(statement: Statement, resource: str, context: Context) -> bool:
    """Whether the Resource (or NotResource) element of ``statement`` admits ``resource``."""
    hit = False
    for pattern in statement.resources:
        glob = _glob_for(pattern, statement.variables, context)
        if glob is not None and glob.matches(resource):
            hit = True
            break
    return hit != statement.not_resource


def principal_matches(pattern: tuple[str, str], principal: tuple[str, str]) -> bool:
    """Whether a normalised principal entry names ``principal`` ('*' names everyone)."""
    if pattern == ("AWS", "*"):
        return True
    return pattern == principal


def substitute(pattern: str, context: Context) -> str | None:
    """Replace policy variables from ``context``; None when one cannot be resolved."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        key, _, default = match.group(1).partition(",")
        if key.strip() in _ESCAPES:
            return match.group(0)
        found = context.get(key.strip().lower())
        if found:
            return found[0]
        if default.strip():
            return default.strip().strip("'\"")
        missing = True
        return ""

    result = _VARIABLE.sub(value, pattern)
    return None if missing else result


def _glob_for(pattern: str, variables: bool, context: Context) -> Glob | None:
    if variables and "${" in pattern:
        resolved = substitute(pattern, context)
        return None if resolved is None else _resource(resolved, True)
    return _resource(pattern, variables)


@functools.lru_cache(maxsize=8192)
def _resource(pattern: str, variables: bool) -> Glob:
    return resource_glob(pattern, variables=variables)


@functools.lru_cache(maxsize=8192)
def _action(pattern: str) -> re.Pattern[str]:
    return action_regex(pattern)


def _or(left: bool | None, right: bool | None) -> bool | None:
    if left is True or right is True:
        return True
    if left is None or right is None:
        return None
    return False
