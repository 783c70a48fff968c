"""Shape an analysis for people: by service and access level, with witnesses and risk flags."""

from __future__ import annotations

from collections import defaultdict

from lambda_specialist.tools.iam.catalog import ActionInfo
from lambda_specialist.tools.iam.engine import Difference
from lambda_specialist.tools.iam.models import AccessDifference, DiffSide, RiskFlag, WitnessRequest

__all__ = ["LEVELS", "access_level", "risk_flags", "shape_side"]

LEVELS = ("Permissions management", "Tagging", "Write", "Read", "List", "Unknown")
_STATUS_ORDER = {"definite": 0, "conditional": 1, "unknown": 2}
_ESCALATION = frozenset(
    {
        "iam:attachrolepolicy",
        "iam:attachuserpolicy",
        "iam:attachgrouppolicy",
        "iam:putrolepolicy",
        "iam:putuserpolicy",
        "iam:putgrouppolicy",
        "iam:createpolicy",
        "iam:createpolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:createaccesskey",
        "iam:createloginprofile",
        "iam:updateloginprofile",
        "iam:updateassumerolepolicy",
        "iam:addusertogroup",
    }
)
_DEPLOY_CODE = frozenset({"lambda:updatefunctioncode", "lambda:createfunction"})
_EXFILTRATION = frozenset(
    {
        "s3:getobject",
        "s3:getobjectversion",
        "dynamodb:scan",
        "dynamodb:query",
        "dynamodb:getitem",
        "dynamodb:batchgetitem",
        "dynamodb:exporttabletopointintime",
        "secretsmanager:getsecretvalue",
        "ssm:getparameter",
        "ssm:getparameters",
        "ssm:getparametersbypath",
        "kms:decrypt",
    }
)


def access_level(info: ActionInfo) -> str:
    """Return the most sensitive access level of an action (levels can be compound)."""
    return next((level for level in LEVELS if level in info.access_levels), "Unknown")


def shape_side(differences: list[Difference], *, limit: int) -> DiffSide:
    """Split differences by service and access level, merge alike regions, cap the list."""
    merged: dict[tuple[object, ...], AccessDifference] = {}
    counted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for difference in sorted(differences, key=_preference):
        pieces: dict[tuple[str, str], list[ActionInfo]] = defaultdict(list)
        for info in difference.actions:
            pieces[(info.service, access_level(info))].append(info)
        for (service, level), infos in pieces.items():
            names = tuple(i.full_name for i in infos)
            counted[service][level].update(names)
            key = (
                service,
                level,
                names,
                difference.resources,
                difference.excluding,
                difference.status,
            )
            if key not in merged:
                merged[key] = _entry(service, level, infos, difference)
    entries = sorted(
        merged.values(),
        key=lambda e: (e.service, LEVELS.index(e.access_level), _STATUS_ORDER[e.status], e.actions),
    )
    return DiffSide(
        action_count=sum(len(n) for levels in counted.values() for n in levels.values()),
        by_service={
            s: {lvl: len(n) for lvl, n in sorted(levels.items(), key=lambda x: LEVELS.index(x[0]))}
            for s, levels in sorted(counted.items())
        },
        differences=entries[:limit],
        truncated=len(entries) > limit,
    )


def risk_flags(side: DiffSide, where: str) -> list[RiskFlag]:
    """Flag escalation, exfiltration and wildcard grants among the differences of one side."""
    granted = {a.lower(): e for e in side.differences for a in e.actions}
    flags: dict[str, list[str]] = defaultdict(list)
    for entry in side.differences:
        codes = _entry_risks(entry, granted)
        entry.risks = sorted(codes)
        for code in codes:
            flags[code].extend(entry.actions)
    return [
        RiskFlag(
            code=code,
            where=where,  # type: ignore[arg-type]
            severity=_SEVERITY[code],  # type: ignore[arg-type]
            message=_MESSAGES[code],
            actions=sorted(set(actions)),
        )
        for code, actions in sorted(flags.items())
    ]


_SEVERITY = {
    "privilege-escalation": "critical",
    "data-exfiltration": "high",
    "wildcard-resource": "medium",
}
_MESSAGES = {
    "privilege-escalation": "These actions let the holder gain more access than it was given: "
    "iam:PassRole on any role hands a stronger role to a new function, instance or task; policy "
    "attachment or creation rewrites its own permissions; lambda:UpdateFunctionCode or "
    "CreateFunction together with PassRole runs arbitrary code under another role.",
    "data-exfiltration": "These actions read data (objects, items, secrets, parameters, "
    "decryption) on every resource of the service, not on the few the function uses: one "
    "compromised dependency can copy all of it.",
    "wildcard-resource": "Write or permissions-management actions that take resource ARNs are "
    "granted on every resource ('*' or NotResource); scope them to the ARNs used.",
}


def _entry_risks(entry: AccessDifference, granted: dict[str, AccessDifference]) -> set[str]:
    codes: set[str] = set()
    wide = _is_wide(entry)
    names = {a.lower() for a in entry.actions}
    if "iam:passrole" in names and wide:
        codes.add("privilege-escalation")
    if names & _ESCALATION:
        codes.add("privilege-escalation")
    if names & _DEPLOY_CODE and "iam:passrole" in granted:
        codes.add("privilege-escalation")
    if names & _EXFILTRATION and wide:
        codes.add("data-exfiltration")
    if (
        wide
        and entry.access_level in ("Write", "Permissions management")
        and entry.witness.resource != "*"
    ):
        codes.add("wildcard-resource")
    return codes


def _is_wide(entry: AccessDifference) -> bool:
    if not entry.resources:
        return True
    return any(p == "*" or p.split(":", 5)[-1] in ("*", "*/*") for p in entry.resources)


def _preference(difference: Difference) -> tuple[int, int]:
    ugly = "::" in difference.witness.resource.split(":::", 1)[
        0
    ] or difference.witness.resource.endswith("/")
    return (_STATUS_ORDER[difference.status], int(ugly))


def _entry(
    service: str, level: str, infos: list[ActionInfo], difference: Difference
) -> AccessDifference:
    witness = difference.witness
    return AccessDifference(
        service=service,
        access_level=level,
        actions=[i.full_name for i in infos],
        resources=list(difference.resources),
        excluding=list(difference.excluding),
        status=difference.status,  # type: ignore[arg-type]
        condition=difference.condition,
        witness=WitnessRequest(
            action=infos[0].full_name,
            resource=witness.resource,
            principal=witness.principal[1] if witness.principal else None,
            context={k: list(v) for k, v in sorted(witness.context.items())},
        ),
        not_in_catalog=not infos[0].in_catalog,
    )
