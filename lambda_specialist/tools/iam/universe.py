"""Bind policy actions to the catalog: which actions each statement names, grouped alike.

Actions that a pattern could name but the catalog does not know are kept as synthetic
entries: a literal name missing from the catalog (a typo, a removed or a brand-new action),
and for every wildcard pattern one stand-in for actions AWS may add later.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lambda_specialist.tools.iam.catalog import ActionInfo, Catalog
from lambda_specialist.tools.iam.globs import action_regex
from lambda_specialist.tools.iam.policy import Statement

__all__ = ["ANY_TEMPLATE", "ActionGroup", "Universe", "bind"]

ANY_TEMPLATE = "<any>"
FUTURE_ACTION = "newservice:futureaction"
_WILDCARDS = re.compile(r"[*?]")


@dataclass(frozen=True)
class ActionGroup:
    """Actions that the same statements name and that take the same resource types."""

    statements: tuple[int, ...]
    templates: tuple[str, ...]
    actions: tuple[ActionInfo, ...]


@dataclass(frozen=True)
class Universe:
    """The action groups of a set of statements, and the names the catalog does not know."""

    groups: tuple[ActionGroup, ...]
    unknown: tuple[str, ...]


def bind(statements: Sequence[Statement], catalog: Catalog) -> Universe:
    """Group every action some Allow statement names by (statements naming it, templates)."""
    expansions = [_expand(s, catalog) for s in statements]
    unknown: set[str] = set()
    synthetic: dict[str, ActionInfo] = {}
    for statement, (_, _, literals, futures) in zip(statements, expansions, strict=True):
        unknown |= literals
        for name in literals | futures:
            service, _, action = name.partition(":")
            synthetic[name] = ActionInfo(
                service, action, frozenset({"Unknown"}), (ANY_TEMPLATE,), False
            )
        if statement.not_action or "*" in statement.actions:
            synthetic[FUTURE_ACTION] = ActionInfo(
                "newservice", "futureaction", frozenset({"Unknown"}), (ANY_TEMPLATE,), False
            )
    members = _catalog_members(statements, expansions, catalog)
    for name, info in synthetic.items():
        if catalog.action(name) is None:
            members[info] = tuple(i for i, s in enumerate(statements) if _names(s, name))
    groups: dict[tuple[tuple[int, ...], tuple[str, ...]], list[ActionInfo]] = defaultdict(list)
    for info, matched in members.items():
        if any(statements[i].is_allow for i in matched):
            groups[(matched, info.templates)].append(info)
    return Universe(
        groups=tuple(
            ActionGroup(key[0], key[1], tuple(sorted(actions, key=lambda a: a.key)))
            for key, actions in sorted(groups.items())
        ),
        unknown=tuple(sorted(unknown)),
    )


def _catalog_members(
    statements: Sequence[Statement],
    expansions: list[tuple[bool, set[str], set[str], set[str]]],
    catalog: Catalog,
) -> dict[ActionInfo, tuple[int, ...]]:
    positive: dict[str, set[int]] = defaultdict(set)
    excluded: dict[str, set[int]] = defaultdict(set)
    negated: set[int] = set()
    universe: set[str] = set()
    everything = False
    for index, (is_negated, names, _, _) in enumerate(expansions):
        target = excluded if is_negated else positive
        for name in names:
            target[name].add(index)
        if is_negated:
            negated.add(index)
            everything = everything or statements[index].is_allow
        elif statements[index].is_allow:
            universe |= names
    if everything:
        universe = {a.key for s in catalog.services for a in catalog.actions(s).values()}
    members: dict[ActionInfo, tuple[int, ...]] = {}
    for name in universe:
        info = catalog.action(name)
        if info is not None:
            matched = positive.get(name, set()) | (negated - excluded.get(name, set()))
            members[info] = tuple(sorted(matched))
    return members


def _expand(statement: Statement, catalog: Catalog) -> tuple[bool, set[str], set[str], set[str]]:
    """Return (negated, catalog names, unknown literal names, future stand-ins)."""
    if "*" in statement.actions:
        return not statement.not_action, set(), set(), set()
    names: set[str] = set()
    literals: set[str] = set()
    futures: set[str] = set()
    for pattern in statement.actions:
        found, wildcard = _expand_pattern(pattern, catalog)
        names |= found
        if not wildcard and not found:
            literals.add(pattern)
        if wildcard:
            futures.add(pattern.replace("*", "futureaction").replace("?", "q"))
    return statement.not_action, names, literals, futures


def _expand_pattern(pattern: str, catalog: Catalog) -> tuple[set[str], bool]:
    service_part, _, _ = pattern.partition(":")
    wildcard = bool(_WILDCARDS.search(pattern))
    if not wildcard:
        return ({pattern} if catalog.action(pattern) else set()), False
    if _WILDCARDS.search(service_part):
        service_regex = action_regex(service_part)
        services = [s for s in catalog.services if service_regex.fullmatch(s)]
    else:
        services = [service_part]
    regex = _regex(pattern)
    return {
        info.key
        for service in services
        for info in catalog.actions(service).values()
        if regex.fullmatch(info.key)
    }, True


def _names(statement: Statement, name: str) -> bool:
    hit = _combined(statement.actions).fullmatch(name) is not None
    return hit != statement.not_action


@functools.lru_cache(maxsize=1024)
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_regex(p).pattern})" for p in patterns), re.DOTALL)


@functools.lru_cache(maxsize=16384)
def _regex(pattern: str) -> re.Pattern[str]:
    return action_regex(pattern)
