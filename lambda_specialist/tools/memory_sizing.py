"""Choose a memory size from log evidence: predict every candidate, price it, pick by strategy.

Pure logic, no AWS: ``size_memory`` takes parsed REPORT records and the function's settings
and returns the decision, so that the tool, the tests and the benchmark share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lambda_specialist.knowledge.pricing import invocation_cost
from lambda_specialist.tools.logparse import ReportRecord
from lambda_specialist.tools.memory_model import (
    MIN_SAMPLES,
    DurationModel,
    SizeStats,
    candidate_sizes,
    fit_duration_model,
    hypotheses,
    memory_floor,
    summarize_sizes,
)

__all__ = ["STRATEGIES", "Prediction", "SizingDecision", "SizingRequest", "size_memory"]

STRATEGIES = ("cost", "speed", "balanced")
# Candidates within this share of the best cost (or duration) count as a tie.
TIE = 0.005
MONTH_DAYS = 30


@dataclass(frozen=True)
class SizingRequest:
    """The function's settings, its volume and what the caller optimizes for."""

    current_mb: int
    architecture: str
    region: str
    timeout_s: int
    monthly_invocations: float
    strategy: str = "balanced"
    balanced_weight: float = 0.5
    max_p99_ms: float | None = None
    max_timeout_share: float | None = None
    consider_arm64: bool = True
    ephemeral_mb: int = 512
    bills_init: bool = True


@dataclass(frozen=True)
class Prediction:
    """One candidate size: predicted durations, mean billed time and cost."""

    memory_mb: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    p99_upper_ms: float
    mean_billed_ms: float
    cost_per_million: float
    monthly_cost: float


@dataclass(frozen=True)
class SizingDecision:
    """What the evidence supports: the recommended size and architecture, and why."""

    verdict: str
    recommended_mb: int
    architecture: str
    sizes: list[SizeStats]
    model: DurationModel | None
    hypotheses: list[DurationModel]
    floor_mb: int
    floor_reason: str
    candidates: list[Prediction]
    current: Prediction | None
    recommended: Prediction | None
    gaps: list[str] = field(default_factory=list)


def size_memory(reports: Sequence[ReportRecord], request: SizingRequest) -> SizingDecision:
    """Return the memory (and architecture) the evidence supports for ``request``'s strategy."""
    sizes = summarize_sizes(reports)
    floor_mb, floor_reason = memory_floor(sizes) if sizes else (request.current_mb, "no data")
    reference = _reference(sizes, request.current_mb)
    if reference is None:
        return _insufficient(sizes, request, floor_mb, floor_reason)

    model = fit_duration_model(sizes, request.current_mb)
    models = [model] if model else hypotheses(reference)
    architecture = _architecture(request)
    grid = candidate_sizes(floor_mb, request.current_mb)
    tables = [_predict(m, reference, grid, request, architecture) for m in models]
    central = _merge(tables)
    safe = [p for p in central if p.memory_mb >= floor_mb]
    allowed = [p for p in safe if _meets(p, request)]
    gaps: list[str] = []
    if not allowed:
        gaps.append("no size meets the latency constraints; the fastest safe size is shown")
        allowed = [min(safe, key=lambda p: p.p99_upper_ms)]

    if model is None and request.strategy != "cost" and request.current_mb >= floor_mb:
        verdict, chosen = "insufficient_evidence", _at(central, request.current_mb)
        gaps.append(_one_size_gap(reference))
    elif model is None and request.strategy != "cost":
        # Below the floor, the floor is right whatever the bottleneck: it is needed for memory.
        verdict, chosen = "change", safe[0]
        gaps.append(_one_size_gap(reference))
    else:
        chosen = _choose(allowed, [_subset(t, allowed) for t in tables], request)
        verdict = "keep" if chosen.memory_mb == request.current_mb else "change"
    current = _at(central, request.current_mb)
    if architecture != request.architecture and verdict != "insufficient_evidence":
        verdict = "change"
    return SizingDecision(
        verdict=verdict,
        recommended_mb=chosen.memory_mb if chosen else request.current_mb,
        architecture=architecture,
        sizes=sizes,
        model=model,
        hypotheses=[] if model else models,
        floor_mb=floor_mb,
        floor_reason=floor_reason,
        candidates=central,
        current=current,
        recommended=chosen,
        gaps=gaps,
    )


def _reference(sizes: Sequence[SizeStats], current_mb: int) -> SizeStats | None:
    usable = [size for size in sizes if size.samples >= MIN_SAMPLES]
    if not usable:
        return None
    at_current = [size for size in usable if size.memory_mb == current_mb]
    return at_current[0] if at_current else max(usable, key=lambda size: size.last_ms or 0)


def _architecture(request: SizingRequest) -> str:
    if request.consider_arm64 and request.strategy != "speed":
        return "arm64"
    return request.architecture


def _predict(
    model: DurationModel,
    reference: SizeStats,
    grid: Sequence[int],
    request: SizingRequest,
    architecture: str,
) -> list[Prediction]:
    base = model.median_ms(reference.memory_mb) or 1.0
    # Init is taken as independent of memory: for most functions it barely moves (see the
    # published lambda-perf measurements); heavy initializers may speed up with more memory.
    init_ms = reference.cold_rate * reference.init_mean_ms if request.bills_init else 0.0
    rows: list[Prediction] = []
    for memory in grid:
        ratio = model.median_ms(memory) / base
        billed = reference.mean_ms * ratio + 0.5 + init_ms
        per_call = invocation_cost(
            memory_mb=memory,
            billed_ms=billed,
            architecture=architecture,
            region=request.region,
            ephemeral_mb=request.ephemeral_mb,
        )
        rows.append(
            Prediction(
                memory_mb=memory,
                p50_ms=reference.p50_ms * ratio,
                p95_ms=reference.p95_ms * ratio,
                p99_ms=reference.p99_ms * ratio,
                p99_upper_ms=reference.p99_ms * ratio,
                mean_billed_ms=billed,
                cost_per_million=per_call * 1e6,
                monthly_cost=per_call * request.monthly_invocations,
            )
        )
    return rows


def _merge(tables: Sequence[list[Prediction]]) -> list[Prediction]:
    """Keep the first table's values, with the slowest p99 of all hypotheses as the upper bound."""
    if len(tables) == 1:
        return tables[0]
    merged: list[Prediction] = []
    for rows in zip(*tables, strict=True):
        upper = max(row.p99_ms for row in rows)
        first = rows[0]
        merged.append(
            Prediction(
                first.memory_mb,
                first.p50_ms,
                first.p95_ms,
                first.p99_ms,
                upper,
                first.mean_billed_ms,
                first.cost_per_million,
                first.monthly_cost,
            )
        )
    return merged


def _meets(prediction: Prediction, request: SizingRequest) -> bool:
    p99 = prediction.p99_upper_ms
    if request.max_p99_ms is not None and p99 > request.max_p99_ms:
        return False
    limit = request.max_timeout_share
    return limit is None or p99 <= limit * request.timeout_s * 1000


def _subset(table: Sequence[Prediction], allowed: Sequence[Prediction]) -> list[Prediction]:
    keep = {p.memory_mb for p in allowed}
    return [p for p in table if p.memory_mb in keep]


def _choose(
    allowed: Sequence[Prediction], tables: Sequence[list[Prediction]], request: SizingRequest
) -> Prediction:
    """Pick by strategy; with several hypotheses, the candidate whose worst regret is least."""
    worst = [0.0] * len(allowed)
    for table in tables:
        for index, regret in enumerate(_regrets(table, request)):
            worst[index] = max(worst[index], regret)
    best = min(worst)
    ties = [index for index, regret in enumerate(worst) if regret <= best * (1 + TIE)]
    if request.strategy == "speed":
        return allowed[min(ties, key=lambda i: (allowed[i].monthly_cost, allowed[i].memory_mb))]
    return allowed[min(ties, key=lambda i: (allowed[i].p50_ms, allowed[i].memory_mb))]


def _regrets(table: Sequence[Prediction], request: SizingRequest) -> list[float]:
    low_cost = min(p.cost_per_million for p in table) or 1e-12
    low_time = min(p.p50_ms for p in table) or 1e-9
    weight = {"cost": 1.0, "speed": 0.0}.get(request.strategy, request.balanced_weight)
    return [
        weight * p.cost_per_million / low_cost + (1 - weight) * p.p50_ms / low_time for p in table
    ]


def _at(table: Sequence[Prediction], memory_mb: int) -> Prediction | None:
    return next((p for p in table if p.memory_mb == memory_mb), None)


def _one_size_gap(reference: SizeStats) -> str:
    return (
        f"only one memory size ({reference.memory_mb} MB) appears in the logs, so whether more "
        "memory would make it faster is unknown; run it at a second size for a day (or enable "
        "Lambda Insights for CPU time) and ask again. A cost-only answer needs no more evidence: "
        "use strategy='cost'."
    )


def _insufficient(
    sizes: Sequence[SizeStats], request: SizingRequest, floor_mb: int, floor_reason: str
) -> SizingDecision:
    seen = sum(size.samples for size in sizes)
    gap = (
        f"only {seen} successful invocations in the window (at least {MIN_SAMPLES} at one "
        "size are needed); widen the window (days=) or wait for more traffic"
        if sizes
        else "no REPORT lines in the window: the function was not invoked, or logs its platform "
        "lines elsewhere; widen the window (days=) or check its log group"
    )
    return SizingDecision(
        verdict="insufficient_evidence",
        recommended_mb=request.current_mb,
        architecture=request.architecture,
        sizes=list(sizes),
        model=None,
        hypotheses=[],
        floor_mb=floor_mb,
        floor_reason=floor_reason,
        candidates=[],
        current=None,
        recommended=None,
        gaps=[gap],
    )
