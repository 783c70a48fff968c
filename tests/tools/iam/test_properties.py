"""The engine against brute force: an independent evaluator over a small finite universe."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambda_specialist.tools.iam.engine import Difference, analyse, covers
from lambda_specialist.tools.iam.evaluation import Request
from lambda_specialist.tools.iam.policy import Policy, parse_policy

UNIVERSE = {
    "s3:GetObject": ["arn:aws:s3:::b1/k1", "arn:aws:s3:::b2/k1", "arn:aws:s3:::b1/d/k2"],
    "s3:ListBucket": ["arn:aws:s3:::b1", "arn:aws:s3:::b2", "arn:aws:s3:::c3"],
    "s3:ListAllMyBuckets": ["*"],
    "logs:PutLogEvents": [
        "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s",
        "arn:aws:logs:eu-west-1:2:log-group:h:log-stream:s",
    ],
    "iam:PassRole": ["arn:aws:iam::1:role/r1", "arn:aws:iam::2:role/admin"],
}
CONTEXTS: list[dict[str, tuple[str, ...]]] = [
    {k: v for k, v in (("aws:sourcevpc", vpc), ("aws:securetransport", tls)) if v}  # type: ignore[misc]
    for vpc in ((), ("vpc-1",), ("vpc-2",))
    for tls in ((), ("true",), ("false",))
]
ACTIONS = [
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "S3:List*",
    "*",
    "logs:*",
    "iam:PassRole",
    "s3:Get?bject",
    "s3:ListAllMyBuckets",
]
RESOURCES = [
    "*",
    "arn:aws:s3:::b1",
    "arn:aws:s3:::b1/*",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::*/k1",
    "arn:aws:logs:*",
    "arn:aws:logs:us-east-1:1:log-group:g:*",
    "arn:aws:iam::1:role/r1",
    "arn:aws:iam::*:role/*",
]
CONDITIONS: list[dict[str, Any]] = [
    {"StringEquals": {"aws:SourceVpc": "vpc-1"}},
    {"StringNotEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-2"}},
    {"Null": {"aws:SourceVpc": "true"}},
]


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    statement[draw(st.sampled_from(["Action", "Action", "NotAction"]))] = draw(
        st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3)
    )
    statement[draw(st.sampled_from(["Resource", "Resource", "NotResource"]))] = draw(
        st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2)
    )
    condition = draw(st.none() | st.sampled_from(CONDITIONS))
    if condition:
        statement["Condition"] = condition
    return statement


documents = st.lists(statements(), min_size=1, max_size=4).map(
    lambda s: {"Version": "2012-10-17", "Statement": s}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, documents)
def test_every_difference_is_confirmed_and_every_confirmed_difference_is_reported(
    doc_a: dict[str, Any], doc_b: dict[str, Any]
) -> None:
    a, b = parse_policy(doc_a, name="a"), parse_policy(doc_b, name="b")
    found = analyse(a, b).differences
    for direction, grant, other in (("added", doc_b, doc_a), ("removed", doc_a, doc_b)):
        side = [d for d in found if d.direction == direction]
        for difference in side:
            _confirm(difference, grant, other)
        for action, resources in UNIVERSE.items():
            for resource in resources:
                for context in CONTEXTS:
                    if _allowed(grant, action, resource, context) and not _allowed(
                        other, action, resource, context
                    ):
                        assert any(covers(d, action, resource) for d in side), (
                            direction,
                            action,
                            resource,
                            context,
                        )


@settings(max_examples=40, deadline=None)
@given(documents)
def test_a_policy_compared_with_itself_has_no_difference(document: dict[str, Any]) -> None:
    p: Policy = parse_policy(document, name="p")

    assert analyse(p, p).differences == ()


def _confirm(difference: Difference, grant: dict[str, Any], other: dict[str, Any]) -> None:
    w: Request = difference.witness
    if difference.status != "unknown":
        assert _allowed(grant, w.action, w.resource, w.context)
        assert not _allowed(other, w.action, w.resource, w.context)
    if difference.status != "definite":
        return
    for info in difference.actions:
        for resource in UNIVERSE.get(info.full_name, []):
            if covers(difference, info.full_name, resource):
                for context in CONTEXTS:
                    assert _allowed(grant, info.full_name, resource, context)
                    assert not _allowed(other, info.full_name, resource, context)


# The reference evaluator: written apart from the engine, for this universe's operators only.


def _allowed(
    document: dict[str, Any], action: str, resource: str, context: dict[str, tuple[str, ...]]
) -> bool:
    hits = [s for s in document["Statement"] if _applies(s, action, resource, context)]
    return any(s["Effect"] == "Allow" for s in hits) and not any(
        s["Effect"] == "Deny" for s in hits
    )


def _applies(
    s: dict[str, Any], action: str, resource: str, context: dict[str, tuple[str, ...]]
) -> bool:
    names = s.get("Action", s.get("NotAction"))
    named = any(re.fullmatch(_action_regex(n), action.lower()) for n in names)
    if named != ("Action" in s):
        return False
    patterns = s.get("Resource", s.get("NotResource"))
    matched = any(re.fullmatch(_arn_regex(p), resource) for p in patterns)
    if matched != ("Resource" in s):
        return False
    return all(
        _condition(op, key.lower(), value, context)
        for op, block in s.get("Condition", {}).items()
        for key, value in block.items()
    )


def _action_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lower())


def _arn_regex(pattern: str) -> str:
    if pattern == "*":
        return ".*"
    out, colons = [], 0
    for i, c in enumerate(pattern):
        inside = colons < 5
        if c == "*":
            out.append("[^:]*" if inside and i < len(pattern) - 1 else ".*")
        elif c == "?":
            out.append("[^:]" if inside else ".")
        else:
            out.append(re.escape(c))
            colons += c == ":"
    return "".join(out)


def _condition(op: str, key: str, value: Any, context: dict[str, tuple[str, ...]]) -> bool:
    values = value if isinstance(value, list) else [value]
    present = context.get(key)
    if op == "Null":
        return (present is None) == (values[0] == "true")
    if present is None:
        return op in ("StringNotEquals", "StringEqualsIfExists")
    if op in ("StringEquals", "StringEqualsIfExists", "Bool"):
        return present[0] in values
    if op == "StringNotEquals":
        return present[0] not in values
    raise AssertionError(op)
