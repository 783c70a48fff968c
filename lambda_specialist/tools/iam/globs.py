"""IAM wildcards: ``*`` and ``?`` only, for action names and ARNs, with region exploration.

ARN patterns follow the IAM rules: within the first five colon-separated segments a wildcard
stays inside its segment, except a ``*`` that ends the pattern, which may cross colons; in the
resource part ``*`` spans ``/`` and ``:``. Square brackets and every other character are
literal. A set of patterns splits the space of strings into regions (which patterns match);
``explore`` finds every non-empty region and a witness string for each, by walking the
product of the patterns' automata.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lambda_specialist.tools.iam.catalog import is_no_slash_variable, template_tokens

__all__ = [
    "Glob",
    "Regions",
    "action_regex",
    "explore",
    "resource_glob",
    "template_glob",
]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}
_NONE: frozenset[str] = frozenset()
_COLON = frozenset(":")
_WORK_BUDGET = 400_000  # automaton steps per exploration before it settles for the samples


@dataclass(frozen=True)
class Glob:
    """A compiled pattern: tokens ('c', char), ('any', excluded), ('star', excluded).

    ``variables`` lists the policy variables (``${aws:userid}``) that the pattern contains;
    for region exploration each variable behaves like ``*``.
    """

    source: str
    tokens: tuple[tuple[str, str | frozenset[str]], ...]
    variables: tuple[str, ...] = ()

    def matches(self, value: str) -> bool:
        """Whether ``value`` is matched by the pattern (variables read as wildcards)."""
        return self.regex.fullmatch(value) is not None

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """Return the pattern as an equivalent regular expression."""
        parts = []
        for kind, value in self.tokens:
            if kind == "c":
                parts.append(re.escape(str(value)))
                continue
            one = f"[^{re.escape(''.join(sorted(value)))}]" if value else "."
            parts.append(one + "*" if kind == "star" else one)
        return re.compile("".join(parts), re.DOTALL)

    def start(self) -> frozenset[int]:
        """Return the automaton's start state set."""
        return self._closure({0})

    def accepts(self, states: frozenset[int]) -> bool:
        """Whether ``states`` contains the final position."""
        return len(self.tokens) in states

    def step(self, states: frozenset[int], char: str) -> frozenset[int]:
        """Advance ``states`` over one character."""
        following: set[int] = set()
        for position in states:
            if position >= len(self.tokens):
                continue
            kind, value = self.tokens[position]
            if kind == "c":
                if value == char:
                    following.add(position + 1)
            elif char not in value:
                following.add(position if kind == "star" else position + 1)
        return self._closure(following)

    def literals(self) -> set[str]:
        """Return the literal characters of the pattern."""
        return {str(v) for k, v in self.tokens if k == "c"}

    def _closure(self, states: Iterable[int]) -> frozenset[int]:
        result = set(states)
        for position in sorted(result):
            while position < len(self.tokens) and self.tokens[position][0] == "star":
                position += 1
                result.add(position)
        return frozenset(result)


@dataclass(frozen=True)
class Regions:
    """The non-empty regions of a set of globs: membership signature -> witness string."""

    witnesses: dict[tuple[bool, ...], str]
    complete: bool


def action_regex(pattern: str) -> re.Pattern[str]:
    """Compile an Action pattern (case-insensitive; ``*`` and ``?`` only) to a regex."""
    parts = []
    for char in pattern.lower():
        parts.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def resource_glob(pattern: str, *, variables: bool) -> Glob:
    """Compile a Resource (or ArnLike) pattern; ``variables`` enables ``${...}`` substitution."""
    if pattern == "*":
        return Glob(pattern, (("star", _NONE),))
    tokens: list[tuple[str, str | frozenset[str]]] = []
    names: list[str] = []
    colons = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        in_segment = colons < 5
        excluded = _COLON if in_segment else _NONE
        match = _VARIABLE.match(pattern, index) if variables and char == "$" else None
        if match:
            inner = match.group(1).strip()
            if inner in _ESCAPES:
                tokens.append(("c", _ESCAPES[inner]))
            else:
                names.append(inner)
                tokens.append(("star", excluded))
            index = match.end()
            continue
        if char == "*":
            is_last = index == len(pattern) - 1
            tokens.append(("star", _NONE if is_last else excluded))
        elif char == "?":
            tokens.append(("any", excluded))
        else:
            tokens.append(("c", char))
            colons += char == ":"
        index += 1
    return Glob(pattern, tuple(tokens), tuple(names))


def template_glob(template: str) -> Glob:
    """Compile an ARN template from the catalog; '*' stands for 'no resource types'."""
    if template == "*":
        return Glob("*", (("c", "*"),))
    tokens: list[tuple[str, str | frozenset[str]]] = []
    parts = template_tokens(template)
    colons = 0
    for number, (kind, text) in enumerate(parts):
        if kind == "lit":
            for char in text:
                tokens.append(("c", char))
                colons += char == ":"
            continue
        is_last = number == len(parts) - 1
        excluded = set() if is_last and colons >= 5 else {":"}
        if is_no_slash_variable(text):
            excluded.add("/")
        tokens.append(("star", frozenset(excluded)))
    return Glob(template, tuple(tokens))


def explore(globs: Sequence[Glob], candidates: Iterable[str] = ()) -> Regions:
    """Find every non-empty region of ``globs`` with a witness; prefer ``candidates``."""
    witnesses: dict[tuple[bool, ...], str] = {}
    for candidate in candidates:
        signature = tuple(glob.matches(candidate) for glob in globs)
        witnesses.setdefault(signature, candidate)
    alphabet = _alphabet(globs)
    max_states = max(64, _WORK_BUDGET // (len(alphabet) * len(globs)))
    start = tuple(glob.start() for glob in globs)
    seen = {start: ""}
    queue = deque([start])
    complete = True
    while queue:
        state = queue.popleft()
        text = seen[state]
        signature = tuple(glob.accepts(s) for glob, s in zip(globs, state, strict=True))
        witnesses.setdefault(signature, text)
        if not any(state):
            continue
        for char in alphabet:
            following = tuple(g.step(s, char) for g, s in zip(globs, state, strict=True))
            if following not in seen:
                if len(seen) >= max_states:
                    complete = False
                    break
                seen[following] = text + char
                queue.append(following)
    return Regions(witnesses, complete)


def _alphabet(globs: Sequence[Glob]) -> list[str]:
    literals: set[str] = {":", "/"}
    for glob in globs:
        literals |= glob.literals()
    filler = next((c for c in "xeqzk0123456789" if c not in literals), "\x01")
    return [*sorted(literals), filler]
