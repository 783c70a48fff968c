"""Condition operators with AWS semantics, three-valued, and candidate request contexts.

A context maps lower-cased condition keys to their values (a list; multi-valued keys may hold
several). A key absent from the context is missing from the request. ``evaluate`` answers
True, False, or None when an operator is not interpreted.
"""

from __future__ import annotations

import functools
import ipaddress
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from lambda_specialist.tools.iam.globs import resource_glob
from lambda_specialist.tools.iam.policy import Condition

__all__ = ["Context", "candidate_contexts", "evaluate", "is_interpreted"]

Context = dict[str, tuple[str, ...]]
Matcher = Callable[[str, str], bool]

_MAX_CONTEXTS = 256
_OTHER = "other-value"


def evaluate(conditions: Sequence[Condition], context: Context) -> bool | None:
    """AND every condition; None when one is not interpreted and none is False."""
    unknown = False
    for condition in conditions:
        result = _one(condition, context)
        if result is False:
            return False
        unknown = unknown or result is None
    return None if unknown else True


def is_interpreted(condition: Condition) -> bool:
    """Whether the operator of ``condition`` is interpreted (otherwise it is 'unknown')."""
    return _parts(condition.operator)[1] is not None


def candidate_contexts(conditions: Iterable[Condition]) -> tuple[list[Context], bool]:
    """Return contexts that exercise every condition, and whether the set is exhaustive."""
    per_key: dict[str, set[tuple[str, ...] | None]] = {}
    for condition in conditions:
        options = per_key.setdefault(condition.key, {None})
        options.update(_options(condition))
    keys = sorted(per_key)
    choices = [sorted(per_key[k], key=lambda v: (v is not None, v or ())) for k in keys]
    total = 1
    for choice in choices:
        total *= len(choice)
    if total <= _MAX_CONTEXTS:
        combos: Iterable[tuple[tuple[str, ...] | None, ...]] = itertools.product(*choices)
        exhaustive = True
    else:
        combos = _one_at_a_time(choices)
        exhaustive = False
    contexts = [
        {k: v for k, v in zip(keys, combo, strict=True) if v is not None} for combo in combos
    ]
    return contexts, exhaustive


def _one_at_a_time(
    choices: list[list[tuple[str, ...] | None]],
) -> Iterable[tuple[tuple[str, ...] | None, ...]]:
    base: list[tuple[str, ...] | None] = [None] * len(choices)
    yield tuple(base)
    for index, options in enumerate(choices):
        for option in options:
            combo = list(base)
            combo[index] = option
            yield tuple(combo)


def _parts(operator: str) -> tuple[str, Matcher | None, bool, bool]:
    """Split an operator into (set prefix, matcher, negated, if_exists)."""
    prefix, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    negated = "Not" in base and base not in ("Null",)
    positive = base.replace("Not", "", 1) if negated else base
    return prefix.lower(), _MATCHERS.get(positive), negated, if_exists


def _one(condition: Condition, context: Context) -> bool | None:
    prefix, matcher, negated, if_exists = _parts(condition.operator)
    if condition.operator == "Null":
        wants_missing = any(v.lower() == "true" for v in condition.values)
        return (condition.key not in context) == wants_missing
    if matcher is None:
        return None
    present = context.get(condition.key)
    if present is None or (prefix and not present):
        if prefix == "forallvalues":
            return True
        return negated or if_exists

    def hit(value: str) -> bool:
        return any(matcher(value, wanted) for wanted in condition.values)

    if prefix == "forallvalues":
        return all(hit(v) != negated for v in present)
    if prefix == "foranyvalue":
        return any(hit(v) != negated for v in present)
    found = any(hit(v) for v in present)
    return not found if negated else found


def _options(condition: Condition) -> set[tuple[str, ...] | None]:
    prefix, _matcher, _, _ = _parts(condition.operator)
    base = condition.operator.rpartition(":")[2].removesuffix("IfExists")
    if condition.operator == "Null" or base == "Bool":
        return {("true",), ("false",)}
    samples = [_sample(base, v) for v in condition.values]
    flat = [s for group in samples for s in group]
    options: set[tuple[str, ...] | None] = {(s,) for s in flat} | {(_other(base),)}
    if prefix:
        options |= {(), tuple(sorted(set(flat))), (*sorted(set(flat))[:1], _other(base))}
    return options


def _sample(base: str, value: str) -> list[str]:
    if base.startswith("Numeric"):
        number = _number(value)
        return [value] if number is None else [value, str(number - 1), str(number + 1)]
    if base.startswith("Date"):
        moment = _date(value)
        if moment is None:
            return [value]
        return [value, *(str((moment + delta).isoformat()) for delta in _DAY_STEPS)]
    if base.startswith("IpAddress"):
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return [value]
        return [str(network.network_address)]
    return [value.replace("*", "x").replace("?", "x")]


_DAY_STEPS = (timedelta(seconds=-1), timedelta(seconds=1))


def _other(base: str) -> str:
    if base.startswith("Numeric"):
        return "-987654321"
    if base.startswith("Date"):
        return "1970-01-01T00:00:00+00:00"
    if base.startswith("IpAddress"):
        return "198.51.100.77"
    return _OTHER


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _date(value: str) -> datetime | None:
    try:
        if value.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), tz=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _compare(convert: Callable[[str], object], test: Callable[[object, object], bool]) -> Matcher:
    def matcher(actual: str, wanted: str) -> bool:
        left, right = convert(actual), convert(wanted)
        if left is None or right is None:
            return False
        return test(left, right)

    return matcher


def _ip(actual: str, wanted: str) -> bool:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(wanted, strict=False)
    except ValueError:
        return False


def _ordered(kind: str) -> dict[str, Callable[[object, object], bool]]:
    return {
        f"{kind}Equals": lambda a, b: a == b,
        f"{kind}LessThan": lambda a, b: a < b,  # type: ignore[operator,unused-ignore]
        f"{kind}LessThanEquals": lambda a, b: a <= b,  # type: ignore[operator,unused-ignore]
        f"{kind}GreaterThan": lambda a, b: a > b,  # type: ignore[operator,unused-ignore]
        f"{kind}GreaterThanEquals": lambda a, b: a >= b,  # type: ignore[operator,unused-ignore]
    }


@functools.cache
def _like_pattern(wanted: str) -> re.Pattern[str]:
    """StringLike is case-sensitive; ``*`` and ``?`` cross every character."""
    pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in wanted)
    return re.compile(pattern, re.DOTALL)


_MATCHERS: dict[str, Matcher] = {
    "StringEquals": lambda a, b: a == b,
    "StringEqualsIgnoreCase": lambda a, b: a.lower() == b.lower(),
    "StringLike": lambda a, b: _like_pattern(b).fullmatch(a) is not None,
    "ArnEquals": lambda a, b: a == b,
    "ArnLike": lambda a, b: resource_glob(b, variables=False).matches(a),
    "Bool": lambda a, b: a.lower() == b.lower(),
    "IpAddress": _ip,
    **{k: _compare(_number, t) for k, t in _ordered("Numeric").items()},
    **{k: _compare(_date, t) for k, t in _ordered("Date").items()},
}
