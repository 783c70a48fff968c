"""The check catalogue: how a check is declared, and how the catalogue runs over facts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.models import Evidence, Finding, NotEvaluated, Severity

__all__ = ["CATALOGUE", "CheckSpec", "Hit", "check", "run_checks"]


@dataclass(frozen=True)
class Hit:
    """What a check saw when it fires; fields left None take the catalogue's defaults."""

    evidence: Evidence
    fix: str | None = None
    severity: Severity | None = None
    title: str | None = None


CheckFn = Callable[[FunctionFacts], Iterable[Hit]]


@dataclass(frozen=True)
class CheckSpec:
    """One entry of the catalogue."""

    id: str
    family: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    docs_url: str
    needs: tuple[str, ...]
    security_hub_control: str | None
    run: CheckFn


CATALOGUE: dict[str, CheckSpec] = {}


def check(
    check_id: str,
    *,
    family: str,
    title: str,
    severity: Severity,
    rationale: str,
    fix: str,
    docs_url: str,
    needs: tuple[str, ...] = ("config",),
    security_hub_control: str | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under ``check_id`` with its catalogue metadata."""

    def register(fn: CheckFn) -> CheckFn:
        if check_id in CATALOGUE:
            raise ValueError(f"duplicate check id {check_id}")
        CATALOGUE[check_id] = CheckSpec(
            id=check_id,
            family=family,
            title=title,
            severity=severity,
            rationale=rationale,
            fix=fix,
            docs_url=docs_url,
            needs=needs,
            security_hub_control=security_hub_control,
            run=fn,
        )
        return fn

    return register


def run_checks(facts: FunctionFacts) -> tuple[list[Finding], list[NotEvaluated]]:
    """Run every check over ``facts``; a check whose reads failed is listed as not evaluated."""
    findings: list[Finding] = []
    skipped: list[NotEvaluated] = []
    for spec in CATALOGUE.values():
        missing = [facts.unavailable[n] for n in spec.needs if n in facts.unavailable]
        if missing:
            skipped.append(
                NotEvaluated(
                    check_id=spec.id,
                    title=spec.title,
                    reason=missing[0].reason,
                    missing_permission=missing[0].permission,
                )
            )
            continue
        findings.extend(_finding(spec, hit) for hit in spec.run(facts))
    findings.sort(key=lambda f: (f.severity.rank, f.id))
    return findings, skipped


def _finding(spec: CheckSpec, hit: Hit) -> Finding:
    return Finding(
        id=spec.id,
        severity=hit.severity or spec.severity,
        title=hit.title or spec.title,
        rationale=spec.rationale,
        evidence=hit.evidence,
        fix=hit.fix or spec.fix,
        docs_url=spec.docs_url,
        security_hub_control=spec.security_hub_control,
    )
