"""Parse IAM policy documents in every legal shape into normalised statements."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lambda_specialist.errors import InvalidInputError

__all__ = [
    "MAX_POLICY_CHARS",
    "Condition",
    "Policy",
    "Statement",
    "merge_policies",
    "parse_policy",
]

# AWS caps stored policies at 32 KB of compact text; pretty-printed managed policies reach about
# 160 KB. Anything far beyond that is
# not a policy, and the engine's cost grows with the document.
MAX_POLICY_CHARS = 262_144
VERSIONS = ("2012-10-17", "2008-10-17")
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


@dataclass(frozen=True)
class Condition:
    """One operator/key pair of a Condition block; its values are OR'ed."""

    operator: str
    key: str
    values: tuple[str, ...]

    def describe(self) -> str:
        """Return the condition as one readable line."""
        return f"{self.operator} {self.key} in {list(self.values)}"


@dataclass(frozen=True)
class Statement:
    """A normalised statement: lower-cased actions, ARNs as written, principals normalised."""

    policy: str
    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    principals: tuple[tuple[str, str], ...] | None
    not_principal: bool
    conditions: tuple[Condition, ...]
    variables: bool

    @property
    def label(self) -> str:
        """Return how a user finds the statement: policy, index and Sid."""
        sid = f" (Sid {self.sid})" if self.sid else ""
        return f"{self.policy} statement {self.index}{sid}"

    @property
    def is_allow(self) -> bool:
        """Whether the statement allows."""
        return self.effect == "Allow"


@dataclass(frozen=True)
class Policy:
    """A parsed policy: its statements and the Version it declared (None when missing)."""

    name: str
    version: str | None
    statements: tuple[Statement, ...]
    notes: tuple[str, ...] = field(default=())


def parse_policy(document: str | dict[str, Any], *, name: str) -> Policy:
    """Parse ``document`` (JSON text or an object) into a Policy.

    Raises:
        InvalidInputError: the text is too large, not JSON, or not a policy.
    """
    raw = _load(document, name)
    if not isinstance(raw, dict):
        raise InvalidInputError(f"Policy {name} must be a JSON object with a Statement list.")
    version = raw.get("Version")
    if version is not None and version not in VERSIONS:
        raise InvalidInputError(
            f"Policy {name} has Version {version!r}; use '2012-10-17' (or omit it)."
        )
    if "Statement" not in raw:
        raise InvalidInputError(f"Policy {name} has no Statement; add a Statement list.")
    body = raw["Statement"]
    items = body if isinstance(body, list) else [body]
    variables = version == "2012-10-17"
    statements = tuple(
        _statement(item, policy=name, index=i, variables=variables) for i, item in enumerate(items)
    )
    return Policy(name=name, version=version, statements=statements)


def merge_policies(name: str, policies: list[Policy]) -> Policy:
    """Combine several identity policies of one principal into one (statements are OR'ed)."""
    statements = tuple(s for p in policies for s in p.statements)
    versions = {p.version for p in policies}
    version = "2012-10-17" if versions == {"2012-10-17"} else None
    return Policy(name=name, version=version, statements=statements)


def _load(document: str | dict[str, Any], name: str) -> Any:
    if isinstance(document, dict):
        text_size = len(json.dumps(document))
        if text_size > MAX_POLICY_CHARS:
            raise _too_large(name, text_size)
        return document
    if len(document) > MAX_POLICY_CHARS:
        raise _too_large(name, len(document))
    try:
        return json.loads(document)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"Policy {name} is not valid JSON: {exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}. Fix the document and try again."
        ) from exc
    except RecursionError as exc:
        raise InvalidInputError(
            f"Policy {name} is nested too deeply to be a policy document. Pass a JSON object "
            "with Version and Statement."
        ) from exc


def _too_large(name: str, size: int) -> InvalidInputError:
    return InvalidInputError(
        f"Policy {name} is {size:,} characters; the limit is {MAX_POLICY_CHARS:,} (AWS's own "
        "largest policies are 32 KB). Split it or pass the policy actually attached."
    )


def _statement(item: Any, *, policy: str, index: int, variables: bool) -> Statement:
    where = f"Statement {index} of policy {policy}"
    if not isinstance(item, dict):
        raise InvalidInputError(f"{where} must be an object with Effect, Action and Resource.")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise InvalidInputError(
            f"{where} has Effect {effect!r}; every statement needs Effect 'Allow' or 'Deny'."
        )
    actions, not_action = _pair(item, "Action", "NotAction", where, required=True)
    resources, not_resource = _pair(item, "Resource", "NotResource", where, required=False)
    for action in actions:
        if action != "*" and ":" not in action:
            raise InvalidInputError(
                f"{where} names action {action!r}; actions are written 'service:Action' "
                "(for example 's3:GetObject') or '*'."
            )
    principals, not_principal = _principals(item, where)
    if not resources and principals is None:
        raise InvalidInputError(f"{where} has no Resource or NotResource; add Resource.")
    sid = item.get("Sid")
    return Statement(
        policy=policy,
        index=index,
        sid=str(sid) if sid is not None else None,
        effect=effect,
        actions=tuple(a.lower() for a in actions),
        not_action=not_action,
        resources=resources or ("*",),
        not_resource=not_resource,
        principals=principals,
        not_principal=not_principal,
        conditions=_conditions(item.get("Condition"), where),
        variables=variables,
    )


def _pair(
    item: dict[str, Any], positive: str, negative: str, where: str, *, required: bool
) -> tuple[tuple[str, ...], bool]:
    if positive in item and negative in item:
        raise InvalidInputError(f"{where} has both {positive} and {negative}; keep one.")
    key = positive if positive in item else negative if negative in item else None
    if key is None:
        if required:
            raise InvalidInputError(f"{where} has no {positive} or {negative}; add {positive}.")
        return (), False
    values = _strings(item[key], f"{where} {key}")
    if not values:
        raise InvalidInputError(f"{where} has an empty {key}; list at least one value.")
    return values, key == negative


def _strings(value: Any, where: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise InvalidInputError(f"{where} must be a string or a list of strings.")
    return tuple(values)


def _principals(
    item: dict[str, Any], where: str
) -> tuple[tuple[tuple[str, str], ...] | None, bool]:
    if "Principal" in item and "NotPrincipal" in item:
        raise InvalidInputError(f"{where} has both Principal and NotPrincipal; keep one.")
    key = "Principal" if "Principal" in item else "NotPrincipal" if "NotPrincipal" in item else None
    if key is None:
        return None, False
    value = item[key]
    if value == "*":
        return (("AWS", "*"),), key == "NotPrincipal"
    if not isinstance(value, dict) or not value:
        raise InvalidInputError(f"{where} {key} must be '*' or an object such as {{'AWS': ...}}.")
    result: list[tuple[str, str]] = []
    for kind, entries in value.items():
        if kind not in _PRINCIPAL_TYPES:
            raise InvalidInputError(
                f"{where} {key} has type {kind!r}; use one of {', '.join(_PRINCIPAL_TYPES)}."
            )
        for entry in _strings(entries, f"{where} {key}.{kind}"):
            result.append((kind, normalise_principal(kind, entry)))
    return tuple(sorted(set(result))), key == "NotPrincipal"


def normalise_principal(kind: str, value: str) -> str:
    """Return the canonical form: a bare account ID becomes its root ARN."""
    if kind == "AWS" and value.isdigit() and len(value) == 12:
        return f"arn:aws:iam::{value}:root"
    return value


def _conditions(value: Any, where: str) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise InvalidInputError(f"{where} Condition must be an object of operator: {{key: value}}.")
    result: list[Condition] = []
    for operator, block in value.items():
        if not isinstance(block, dict):
            raise InvalidInputError(f"{where} Condition {operator} must map keys to values.")
        for key, raw in block.items():
            values = raw if isinstance(raw, list) else [raw]
            result.append(Condition(operator, key.lower(), tuple(_scalar(v) for v in values)))
    return tuple(result)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
