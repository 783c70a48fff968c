"""The semantic diff: per action group and resource region, which side allows, and when."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from lambda_specialist.tools.iam.catalog import ActionInfo, load_catalog, sample_arn
from lambda_specialist.tools.iam.conditions import Context, candidate_contexts, evaluate
from lambda_specialist.tools.iam.evaluation import (
    Request,
    principal_matches,
    resource_matches,
)
from lambda_specialist.tools.iam.globs import Glob, Regions, explore, resource_glob, template_glob
from lambda_specialist.tools.iam.policy import Condition, Policy, Statement
from lambda_specialist.tools.iam.universe import ANY_TEMPLATE, ActionGroup, bind

__all__ = ["Analysis", "Difference", "analyse", "covers"]

_SESSION_VALUE = "example-session"
_OTHER_PRINCIPALS = (("AWS", "arn:aws:iam::999999999999:root"), ("AWS", "*"))


@dataclass(frozen=True)
class Difference:
    """Actions allowed on one side only, on one resource region."""

    direction: str
    actions: tuple[ActionInfo, ...]
    resources: tuple[str, ...]
    excluding: tuple[str, ...]
    status: str
    condition: str | None
    witness: Request


@dataclass(frozen=True)
class Analysis:
    """Both directions of a diff, plus what the lint needs to know."""

    differences: tuple[Difference, ...]
    unknown_actions: tuple[str, ...]
    inert: dict[tuple[str, int], tuple[str, ...]]
    catalog_version: str
    approximate_groups: int = 0


def analyse(
    a: Policy, b: Policy, *, account: str | None = None, region: str | None = None
) -> Analysis:
    """Compare ``a`` (current) with ``b`` (proposed) over every action either allows."""
    catalog = load_catalog()
    statements = list(a.statements) + list(b.statements)
    sides = ["a"] * len(a.statements) + ["b"] * len(b.statements)
    universe = bind(statements, catalog)
    differences: list[Difference] = []
    cache: dict[object, Verdict] = {}
    approximate = 0
    inert_names: dict[int, set[str]] = {}
    for group in universe.groups:
        relevant = [(statements[i], sides[i]) for i in group.statements]
        found, matched, complete = _group(relevant, group, cache, account=account, region=region)
        approximate += not complete
        differences.extend(found)
        for index in group.statements:
            if statements[index].is_allow and statements[index] not in matched:
                inert_names.setdefault(index, set()).update(x.full_name for x in group.actions)
    inert = {
        (statements[i].policy, statements[i].index): tuple(sorted(names))
        for i, names in inert_names.items()
    }
    return Analysis(
        differences=tuple(differences),
        unknown_actions=universe.unknown,
        inert={k: v for k, v in inert.items() if v},
        catalog_version=catalog.version,
        approximate_groups=approximate,
    )


def covers(difference: Difference, action: str, resource: str) -> bool:
    """Whether ``difference`` names ``action`` on ``resource`` (for checks and tests)."""
    info = next((x for x in difference.actions if x.key == action.lower()), None)
    if info is None or not _valid(info.templates, resource):
        return False
    if not all(_pattern(p).matches(resource) for p in difference.resources):
        return False
    return not any(_pattern(p).matches(resource) for p in difference.excluding)


Verdict = tuple[
    frozenset[Statement],
    tuple[tuple[str, str, str | None, tuple[str, str] | None, Context], ...],
]


def _group(
    relevant: list[tuple[Statement, str]],
    group: ActionGroup,
    cache: dict[object, Verdict],
    *,
    account: str | None,
    region: str | None,
) -> tuple[list[Difference], set[Statement], bool]:
    patterns = sorted({p for s, _ in relevant for p in s.resources})
    regions = _regions(tuple(patterns), group.templates, account, region)
    has_variables = any(s.variables and any("${" in p for p in s.resources) for s, _ in relevant)
    found: list[Difference] = []
    matched: set[Statement] = set()
    for signature, witness in regions.witnesses.items():
        if not any(signature[len(patterns) :]):
            continue
        member = dict(zip(patterns, signature, strict=False))
        key = None if has_variables else (group.statements, tuple(member.items()))
        verdict = cache.get(key) if key else None
        if verdict is None:
            verdict = _verdict(relevant, member, witness)
            if key:
                cache[key] = verdict
        matched |= verdict[0]
        resources = tuple(p for p, hit in member.items() if hit)
        excluding = tuple(p for p, hit in member.items() if not hit)
        for direction, status, condition, principal, context in verdict[1]:
            request = Request(group.actions[0].key, witness, principal, context)
            found.append(
                Difference(
                    direction, group.actions, resources, excluding, status, condition, request
                )
            )
    return found, matched, regions.complete


def _verdict(
    relevant: list[tuple[Statement, str]], member: dict[str, bool], witness: str
) -> Verdict:
    """Decide one region: which statements apply, and each direction's status and example."""
    conditions = [c for s, _ in relevant for c in s.conditions] + _variable_conditions(relevant)
    contexts, _ = candidate_contexts(conditions)
    matched = frozenset(s for s, _ in relevant if _resource_hit(s, member, witness, contexts))
    outcomes = []
    for principal in _principals(relevant):
        for context in contexts:
            request = Request("", witness, principal, context)
            a = _side(relevant, "a", member, request)
            b = _side(relevant, "b", member, request)
            outcomes.append((request, _and_not(b, a), _and_not(a, b)))
    verdicts = []
    for direction, column in (("added", 1), ("removed", 2)):
        values = [o[column] for o in outcomes]
        if all(v is True for v in values):
            status, pick = "definite", 0
        elif True in values:
            status, pick = "conditional", values.index(True)
        elif None in values:
            status, pick = "unknown", values.index(None)
        else:
            continue
        example = outcomes[pick][0]
        condition = None if status == "definite" else _describe(relevant, example)
        verdicts.append((direction, status, condition, example.principal, example.context))
    return matched, tuple(verdicts)


def _side(
    relevant: list[tuple[Statement, str]], side: str, member: dict[str, bool], request: Request
) -> bool | None:
    allowed: bool | None = False
    denied: bool | None = False
    for statement, owner in relevant:
        if owner != side:
            continue
        hit = _statement_hit(statement, member, request)
        if statement.is_allow:
            allowed = _or(allowed, hit)
        else:
            denied = _or(denied, hit)
    if denied is True:
        return False
    if denied is None:
        return None if allowed is not False else False
    return allowed


def _statement_hit(statement: Statement, member: dict[str, bool], request: Request) -> bool | None:
    if not _resource_hit(statement, member, request.resource, [request.context]):
        return False
    if statement.principals is not None and request.principal is not None:
        named = any(principal_matches(p, request.principal) for p in statement.principals)
        if named == statement.not_principal:
            return False
    return evaluate(statement.conditions, request.context)


def _resource_hit(
    statement: Statement, member: dict[str, bool], resource: str, contexts: Sequence[Context]
) -> bool:
    if statement.variables and any("${" in p for p in statement.resources):
        return any(resource_matches(statement, resource, c) for c in contexts)
    return any(member[p] for p in statement.resources) != statement.not_resource


def _regions(
    patterns: tuple[str, ...], templates: tuple[str, ...], account: str | None, region: str | None
) -> Regions:
    """Explore only the patterns that can go either way on this group's resource types."""
    fixed = {p: _fixed(p, templates) for p in patterns}
    open_patterns = tuple(p for p in patterns if fixed[p] is None)
    found = _explore(open_patterns, templates, account, region)
    witnesses: dict[tuple[bool, ...], str] = {}
    for signature, witness in found.witnesses.items():
        member = dict(zip(open_patterns, signature, strict=False))
        full = tuple(member[p] if fixed[p] is None else bool(fixed[p]) for p in patterns)
        witnesses.setdefault(full + signature[len(open_patterns) :], witness)
    return Regions(witnesses, found.complete)


def _fixed(pattern: str, templates: tuple[str, ...]) -> bool | None:
    """True/False when ``pattern`` matches all/none of the resources the templates allow."""
    if pattern == "*":
        return True
    if ANY_TEMPLATE in templates or not pattern.startswith("arn:"):
        return None
    if not templates:
        return False
    service = pattern.split(":")
    if len(service) < 3 or "*" in service[2] or "?" in service[2] or "$" in service[2]:
        return None
    return None if any(t.split(":")[2] == service[2] for t in templates) else False


@functools.lru_cache(maxsize=4096)
def _explore(
    patterns: tuple[str, ...], templates: tuple[str, ...], account: str | None, region: str | None
) -> Regions:
    samples = [
        sample_arn(t, account=account, region=region) for t in templates if t != ANY_TEMPLATE
    ]
    if not patterns:
        sample = samples[0] if samples else "*"
        # The sample is built from the first template; only 'some template matches' is used.
        return Regions({(True,) * max(len(templates), 1): sample}, True)
    globs = [_pattern(p) for p in patterns] + [_template(t) for t in templates or ("*",)]
    return explore(globs, [_instantiate(p) for p in patterns] + samples)


def _valid(templates: tuple[str, ...], resource: str) -> bool:
    return any(_template(t).matches(resource) for t in templates or ("*",))


@functools.lru_cache(maxsize=8192)
def _pattern(pattern: str) -> Glob:
    return resource_glob(pattern, variables=True)


@functools.lru_cache(maxsize=8192)
def _template(template: str) -> Glob:
    if template == ANY_TEMPLATE:
        return resource_glob("*", variables=False)
    return template_glob(template)


def _instantiate(pattern: str) -> str:
    import re

    text = re.sub(r"\$\{[^}]*\}", _SESSION_VALUE, pattern)
    return text.replace("*", "example").replace("?", "x")


def _variable_conditions(relevant: list[tuple[Statement, str]]) -> list[Condition]:
    import re

    keys = {
        m.group(1).split(",")[0].strip().lower()
        for s, _ in relevant
        if s.variables
        for p in s.resources
        for m in re.finditer(r"\$\{([^}]*)\}", p)
    }
    return [Condition("StringEquals", k, (_SESSION_VALUE,)) for k in sorted(keys - {"*", "?", "$"})]


def _principals(relevant: list[tuple[Statement, str]]) -> list[tuple[str, str] | None]:
    named = {p for s, _ in relevant if s.principals is not None for p in s.principals}
    if not named:
        return [None]
    return [*sorted(named - {("AWS", "*")}), *_OTHER_PRINCIPALS]


def _describe(relevant: list[tuple[Statement, str]], witness: Request) -> str:
    conditions = sorted({c.describe() for s, _ in relevant for c in s.conditions})
    parts = []
    if conditions:
        parts.append("conditions involved: " + "; ".join(conditions))
    if witness.principal is not None:
        parts.append(f"for principal {witness.principal[1]}")
    example = ", ".join(f"{k}={list(v)}" for k, v in sorted(witness.context.items()))
    parts.append(
        f"for example when {example}" if example else "for example when no condition key is set"
    )
    return "; ".join(parts)


def _and_not(left: bool | None, right: bool | None) -> bool | None:
    if left is False or right is True:
        return False
    if left is True and right is False:
        return True
    return None


def _or(left: bool | None, right: bool | None) -> bool | None:
    if left is True or right is True:
        return True
    if left is None or right is None:
        return None
    return False
