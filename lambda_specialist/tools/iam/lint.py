"""Lint policy documents: inert statements, versions, variables, principals, redundancy."""

from __future__ import annotations

import re

from lambda_specialist.tools.iam.conditions import is_interpreted
from lambda_specialist.tools.iam.engine import Analysis, analyse
from lambda_specialist.tools.iam.models import LintFinding, RiskFlag
from lambda_specialist.tools.iam.policy import Policy, Statement

__all__ = ["lint_policy", "principal_risks"]

# Request keys a Lambda role session never carries, so a variable naming one cannot resolve.
_NOT_IN_ROLE_SESSIONS = frozenset({"aws:username", "saml:sub", "www.amazon.com:user_id"})
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SOURCE_KEYS = frozenset(
    {"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"}
)
_SCOPING_KEYS = _SOURCE_KEYS | {
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
}
# Redundancy costs one extra diff per Allow statement; larger policies skip this lint.
_REDUNDANCY_LIMIT = 12
_PATTERN_LIMIT = 200


def lint_policy(policy: Policy, analysis: Analysis, *, role_session: bool) -> list[LintFinding]:
    """Return the lint findings of one policy, using the diff's analysis for inert statements."""
    findings: list[LintFinding] = []
    if policy.version is None:
        findings.append(
            _finding(
                "MISSING_VERSION",
                policy,
                None,
                "The policy has no Version, so "
                "AWS reads it as 2008-10-17 and policy variables are literal "
                'text; add "Version": "2012-10-17".',
            )
        )
    for statement in policy.statements:
        findings.extend(_statement_lint(policy, statement, analysis, role_session=role_session))
    findings.extend(_redundant(policy))
    return findings


def principal_risks(policy: Policy, where: str, account: str | None) -> list[RiskFlag]:
    """Flag public, cross-account and confused-deputy grants in a resource policy."""
    flags: list[RiskFlag] = []
    for statement in policy.statements:
        if not statement.is_allow or statement.principals is None:
            continue
        keys = {c.key for c in statement.conditions}
        for kind, value in statement.principals:
            flag = _principal_flag(statement, kind, value, keys, account)
            if flag is not None:
                code, severity, message = flag
                flags.append(
                    RiskFlag(
                        code=code,
                        where=where,  # type: ignore[arg-type]
                        severity=severity,  # type: ignore[arg-type]
                        message=message,
                        actions=list(statement.actions),
                    )
                )
    return flags


def _principal_flag(
    statement: Statement, kind: str, value: str, keys: set[str], account: str | None
) -> tuple[str, str, str] | None:
    if statement.not_principal:
        return (
            "public-principal",
            "critical",
            f"{statement.label} allows everyone except the "
            "NotPrincipal list; use Principal with the callers instead.",
        )
    if kind == "AWS" and value == "*" and not keys & _SCOPING_KEYS:
        return (
            "public-principal",
            "critical",
            f"{statement.label} allows any principal, "
            "including anonymous callers and other accounts, with no scoping condition.",
        )
    if kind == "AWS" and value.startswith("arn:") and value.split(":")[4] not in ("", account):
        owner = value.split(":")[4]
        suffix = "" if account else " (cross-account unless that is your account)"
        return (
            "cross-account-principal",
            "high",
            f"{statement.label} grants account {owner} "
            f"access{suffix}; that account's own policies decide who there can use it.",
        )
    if kind == "Service" and not keys & _SOURCE_KEYS:
        return (
            "confused-deputy",
            "high",
            f"{statement.label} lets service {value} act without "
            "aws:SourceArn or aws:SourceAccount, so another account's resource can make the "
            "service act on yours (confused deputy); add the condition.",
        )
    return None


def _statement_lint(
    policy: Policy, statement: Statement, analysis: Analysis, *, role_session: bool
) -> list[LintFinding]:
    found: list[LintFinding] = []
    inert = analysis.inert.get((policy.name, statement.index))
    if inert:
        shown = ", ".join(inert[:8]) + (f" and {len(inert) - 8} more" if len(inert) > 8 else "")
        found.append(
            _finding(
                "GRANTS_NOTHING",
                policy,
                statement,
                f"{statement.label} grants "
                f"nothing for {shown}: none of its resources is a resource type "
                "those actions take (actions without resource types need "
                "Resource '*').",
            )
        )
    unknown = [a for a in statement.actions if a in analysis.unknown_actions]
    if unknown:
        found.append(
            _finding(
                "UNKNOWN_ACTION",
                policy,
                statement,
                f"{statement.label} names "
                f"{', '.join(unknown)}, which catalog {analysis.catalog_version} "
                "does not know: a typo, a removed or a brand-new action.",
            )
        )
    found.extend(_variable_lint(policy, statement, role_session=role_session))
    if statement.not_principal and statement.is_allow:
        found.append(
            _finding(
                "NOTPRINCIPAL_WITH_ALLOW",
                policy,
                statement,
                f"{statement.label} "
                "uses NotPrincipal with Allow, which grants everyone else; AWS "
                "supports NotPrincipal only with Deny in practice.",
            )
        )
    for condition in statement.conditions:
        if not is_interpreted(condition) and condition.operator != "Null":
            found.append(
                _finding(
                    "UNINTERPRETED_CONDITION",
                    policy,
                    statement,
                    f"Operator "
                    f"{condition.operator} on {condition.key} is not interpreted; "
                    "differences that depend on it are reported as unknown.",
                )
            )
    return found


def _variable_lint(
    policy: Policy, statement: Statement, *, role_session: bool
) -> list[LintFinding]:
    texts = list(statement.resources) + [v for c in statement.conditions for v in c.values]
    keys = {m.group(1).split(",")[0].strip().lower() for t in texts for m in _VARIABLE.finditer(t)}
    keys -= {"*", "?", "$"}
    if not keys:
        return []
    if not statement.variables:
        return [
            _finding(
                "OLD_VERSION",
                policy,
                statement,
                f"{statement.label} uses policy "
                f"variables ({', '.join(sorted(keys))}) but the policy's Version is not "
                "2012-10-17, so they are matched as literal text.",
            )
        ]
    bad = sorted(keys & _NOT_IN_ROLE_SESSIONS) if role_session else []
    if bad:
        return [
            _finding(
                "UNRESOLVABLE_VARIABLE",
                policy,
                statement,
                f"{statement.label} uses "
                f"{', '.join(bad)}, which a role session (such as a Lambda function's) "
                "never carries, so the statement never matches for it.",
            )
        ]
    return []


def _redundant(policy: Policy) -> list[LintFinding]:
    allows = [s for s in policy.statements if s.is_allow]
    patterns = sum(len(s.actions) for s in policy.statements)
    if len(policy.statements) > _REDUNDANCY_LIMIT or patterns > _PATTERN_LIMIT or len(allows) < 2:
        return []
    found = []
    for statement in allows:
        rest = Policy(
            policy.name, policy.version, tuple(s for s in policy.statements if s is not statement)
        )
        if not any(d.direction == "removed" for d in analyse(policy, rest).differences):
            found.append(
                _finding(
                    "REDUNDANT_STATEMENT",
                    policy,
                    statement,
                    f"{statement.label} "
                    "adds no access: the other statements already allow all of it.",
                )
            )
    return found


def _finding(code: str, policy: Policy, statement: Statement | None, message: str) -> LintFinding:
    return LintFinding(
        code=code,
        policy=policy.name,
        statement=statement.index if statement else None,
        message=message,
    )
