"""suggest_memory: the memory size (and architecture) a function's own logs support."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import InvalidInputError
from lambda_specialist.knowledge.pricing import CHECKED_ON, invocation_cost, prices_for
from lambda_specialist.tools.log_evidence import (
    ComputeOptimizerView,
    FunctionSettings,
    LogRead,
    optional_read,
    read_compute_optimizer,
    read_function_settings,
    read_metrics,
    read_platform_logs,
    window_bounds,
)
from lambda_specialist.tools.logparse import ReportRecord
from lambda_specialist.tools.memory_model import MIN_SAMPLES, SizeStats
from lambda_specialist.tools.memory_risks import confidence_of, risks_of
from lambda_specialist.tools.memory_sizing import (
    MONTH_DAYS,
    Prediction,
    SizingDecision,
    SizingRequest,
    size_memory,
)

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = [
    "CandidateRow",
    "EvidenceCounts",
    "MemorySuggestion",
    "ModelView",
    "SizeRow",
    "suggest_memory",
]

Strategy = Literal["cost", "speed", "balanced"]
DEFAULT_MAX_EVENTS = 20_000


class SizeRow(BaseModel):
    """What the logs show at one memory size the function ran at."""

    memory_mb: int
    invocations: int = Field(description="REPORT lines at this size.")
    samples: int = Field(description="Successful invocations used for durations.")
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cold_starts: int
    max_memory_used_mb: int
    out_of_memory: int
    timeouts: int
    first_seen: datetime | None
    last_seen: datetime | None


class CandidateRow(BaseModel):
    """One candidate size: predicted durations and cost at the observed volume."""

    memory_mb: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    p99_upper_ms: float = Field(
        description="p99 if the function were CPU-bound (equals p99_ms when the model is fitted)."
    )
    cost_per_million_usd: float = Field(description="Requests + duration (INIT share included).")
    monthly_cost_usd: float
    is_safe: bool = Field(description="At or above the memory floor.")


class ModelView(BaseModel):
    """The fitted duration model: T(m) = io_ms + cpu_ms / min(m / 1769, threads)."""

    io_ms: float = Field(description="Time that does not shrink with memory (waiting).")
    cpu_ms: float = Field(description="CPU work in vCPU-milliseconds.")
    threads: int = Field(description="Threads the code keeps busy (assumed 1 if unobserved).")
    threads_observed: bool
    basis: str = Field(description="The sizes it was fitted to.")


class EvidenceCounts(BaseModel):
    """How much evidence the answer rests on."""

    days: int
    report_lines: int
    samples: int = Field(description="Successful invocations behind the durations.")
    sizes_observed: int
    invocations_metric: float = Field(description="Sum of Invocations over the window.")
    log_events_read: int
    truncated: bool = Field(description="True when the read stopped at max_events.")
    malformed_lines: int = Field(description="Platform-looking lines that could not be parsed.")
    init_billed_in_logs: str = Field(
        description="'yes', 'no', 'mixed' or 'unknown': whether Billed Duration includes INIT."
    )


class MemorySuggestion(BaseModel):
    """suggest_memory's answer: current versus recommended, with evidence, risks and a table."""

    context: AccountContext
    function_name: str
    qualifier: str | None
    strategy: Strategy
    balanced_weight: float
    verdict: str = Field(description="change, keep or insufficient_evidence.")
    summary: str
    current_memory_mb: int
    current_architecture: str
    recommended_memory_mb: int
    recommended_architecture: str
    monthly_invocations: float
    monthly_cost_now_usd: float | None = Field(
        description="From the logs' Billed Duration at the current size (the billing truth)."
    )
    monthly_cost_recommended_usd: float | None
    monthly_savings_usd: float | None
    bottleneck: str = Field(
        description="io-bound, cpu-bound-single-threaded, cpu-bound-multi-threaded, mixed or "
        "unknown."
    )
    model: ModelView | None
    memory_floor_mb: int
    memory_floor_reason: str
    confidence: str = Field(description="high, medium or low.")
    evidence: EvidenceCounts
    sizes: list[SizeRow]
    candidates: list[CandidateRow]
    risks: list[str]
    evidence_gaps: list[str] = Field(description="What is missing, and what would fix it.")
    compute_optimizer: ComputeOptimizerView | None
    compute_optimizer_note: str
    prices: str = Field(description="Where the prices come from and when they were checked.")
    chart_file: str | None = Field(
        default=None, description="Where the chart PNG was written, when chart_path was given."
    )


def suggest_memory(
    ctx: AwsContext,
    *,
    function_name: str,
    strategy: Strategy = "balanced",
    balanced_weight: float = 0.5,
    max_p99_ms: float | None = None,
    max_timeout_share: float | None = None,
    consider_arm64: bool = True,
    days: int = 14,
    max_events: int = DEFAULT_MAX_EVENTS,
    now: datetime | None = None,
) -> MemorySuggestion:
    """Recommend a memory size from the function's REPORT lines and metrics; invokes nothing."""
    _check_arguments(balanced_weight, max_timeout_share, max_events)
    start, end = window_bounds(days, now)
    settings = read_function_settings(ctx, function_name)

    logs = read_platform_logs(
        ctx, settings, start=start, end=end, max_events=max_events, patterns=("REPORT",)
    )
    metrics, _ = optional_read(lambda: read_metrics(ctx, settings, start=start, end=end)[0])
    optimizer: ComputeOptimizerView | None = None
    optimizer_error: str | None
    if ctx.describe().is_mock:
        # moto has no Compute Optimizer (its server answers 500); the path is tested with Stubber.
        optimizer_error = "it is not available on the embedded mock account"
    else:
        optimizer, optimizer_error = optional_read(
            lambda: read_compute_optimizer(ctx, settings.arn)
        )

    reports = logs.parsed.reports
    invocations = metrics.invocations if metrics is not None else 0.0
    volume = (invocations or len(reports)) * MONTH_DAYS / days
    request = SizingRequest(
        current_mb=settings.memory_mb,
        architecture=settings.architecture,
        region=ctx.region,
        timeout_s=settings.timeout_s,
        monthly_invocations=volume,
        strategy=strategy,
        balanced_weight=balanced_weight,
        max_p99_ms=max_p99_ms,
        max_timeout_share=max_timeout_share,
        consider_arm64=consider_arm64 and settings.architecture == "x86_64",
        ephemeral_mb=settings.ephemeral_mb,
        bills_init=(now or datetime.now(UTC)) >= datetime(2025, 8, 1, tzinfo=UTC),
    )
    decision = size_memory(reports, request)
    return _shape(
        ctx, settings, request, decision, logs, invocations, days, optimizer, optimizer_error
    )


def _check_arguments(
    balanced_weight: float, max_timeout_share: float | None, max_events: int
) -> None:
    if not 0 <= balanced_weight <= 1:
        raise InvalidInputError(
            f"balanced_weight={balanced_weight} is out of range: use 0 (speed) to 1 (cost)."
        )
    if max_timeout_share is not None and not 0 < max_timeout_share <= 1:
        raise InvalidInputError(
            f"max_timeout_share={max_timeout_share} is out of range: use a share such as 0.8."
        )
    if not 100 <= max_events <= 1_000_000:
        raise InvalidInputError(f"max_events={max_events} is out of range: use 100 to 1,000,000.")


def _shape(
    ctx: AwsContext,
    settings: FunctionSettings,
    request: SizingRequest,
    decision: SizingDecision,
    logs: LogRead,
    invocations: float,
    days: int,
    optimizer: ComputeOptimizerView | None,
    optimizer_error: str | None,
) -> MemorySuggestion:
    reports = logs.parsed.reports
    now_cost = _observed_cost(decision.sizes, request)
    recommended = decision.recommended
    new_cost = recommended.monthly_cost if recommended else None
    gaps = list(decision.gaps)
    if not logs.log_group_exists:
        gaps = [
            f"log group {settings.log_group} does not exist: the function has never run, or "
            "logs elsewhere (LoggingConfig.LogGroup); invoke it or point it at its log group"
        ]
    evidence = EvidenceCounts(
        days=days,
        report_lines=len(reports),
        samples=sum(size.samples for size in decision.sizes),
        sizes_observed=sum(size.samples >= MIN_SAMPLES for size in decision.sizes),
        invocations_metric=invocations,
        log_events_read=logs.events,
        truncated=logs.truncated,
        malformed_lines=logs.parsed.malformed,
        init_billed_in_logs=_init_era(reports),
    )
    bottleneck = decision.model.bottleneck if decision.model else "unknown"
    return MemorySuggestion(
        context=ctx.describe(),
        function_name=settings.name,
        qualifier=settings.qualifier,
        strategy=request.strategy,  # type: ignore[arg-type]
        balanced_weight=request.balanced_weight,
        verdict=decision.verdict,
        summary=_summary(settings, decision, now_cost, new_cost),
        current_memory_mb=settings.memory_mb,
        current_architecture=settings.architecture,
        recommended_memory_mb=decision.recommended_mb,
        recommended_architecture=decision.architecture,
        monthly_invocations=round(request.monthly_invocations, 1),
        monthly_cost_now_usd=_money(now_cost),
        monthly_cost_recommended_usd=_money(new_cost),
        monthly_savings_usd=_money(now_cost - new_cost)
        if now_cost is not None and new_cost is not None
        else None,
        bottleneck=bottleneck,
        model=_model_view(decision),
        memory_floor_mb=decision.floor_mb,
        memory_floor_reason=decision.floor_reason,
        confidence=confidence_of(decision, logs.truncated),
        evidence=evidence,
        sizes=[_size_row(size) for size in decision.sizes],
        candidates=[_candidate_row(p, decision.floor_mb) for p in decision.candidates],
        risks=risks_of(decision, request, settings, logs),
        evidence_gaps=gaps,
        compute_optimizer=optimizer,
        compute_optimizer_note=_optimizer_note(optimizer, optimizer_error),
        prices=_prices_line(prices_for(ctx.region).source),
    )


def _observed_cost(sizes: list[SizeStats], request: SizingRequest) -> float | None:
    current = [size for size in sizes if size.memory_mb == request.current_mb]
    if not current:
        return None
    per_call = invocation_cost(
        memory_mb=request.current_mb,
        billed_ms=current[0].mean_billed_ms,
        architecture=request.architecture,
        region=request.region,
        ephemeral_mb=request.ephemeral_mb,
    )
    return per_call * request.monthly_invocations


def _init_era(reports: list[ReportRecord]) -> str:
    billed = {r.bills_init for r in reports if r.init_ms is not None}
    if not billed:
        return "unknown"
    return "mixed" if len(billed) == 2 else "yes" if billed == {True} else "no"


def _summary(
    settings: FunctionSettings,
    decision: SizingDecision,
    now_cost: float | None,
    new_cost: float | None,
) -> str:
    name = settings.name
    if decision.verdict == "insufficient_evidence":
        return f"Not enough evidence to resize {name}: {decision.gaps[0].rstrip('.')}."
    target = f"{decision.recommended_mb} MB on {decision.architecture}"
    money = ""
    if now_cost is not None and new_cost is not None:
        money = f" (about ${now_cost:,.2f} -> ${new_cost:,.2f} a month)"
    if decision.verdict == "keep":
        return f"Keep {name} at {target}{money}."
    return (
        f"Move {name} from {settings.memory_mb} MB on {settings.architecture} to {target}{money}."
    )


def _model_view(decision: SizingDecision) -> ModelView | None:
    model = decision.model
    if model is None:
        return None
    return ModelView(
        io_ms=round(model.io_ms, 2),
        cpu_ms=round(model.cpu_ms, 2),
        threads=model.threads,
        threads_observed=model.threads_known,
        basis=model.basis,
    )


def _size_row(size: SizeStats) -> SizeRow:
    return SizeRow(
        memory_mb=size.memory_mb,
        invocations=size.invocations,
        samples=size.samples,
        p50_ms=size.p50_ms,
        p95_ms=size.p95_ms,
        p99_ms=size.p99_ms,
        cold_starts=size.cold_starts,
        max_memory_used_mb=size.max_used_mb,
        out_of_memory=size.out_of_memory,
        timeouts=size.timeouts,
        first_seen=_stamp(size.first_ms),
        last_seen=_stamp(size.last_ms),
    )


def _candidate_row(p: Prediction, floor_mb: int) -> CandidateRow:
    return CandidateRow(
        memory_mb=p.memory_mb,
        p50_ms=round(p.p50_ms, 1),
        p95_ms=round(p.p95_ms, 1),
        p99_ms=round(p.p99_ms, 1),
        p99_upper_ms=round(p.p99_upper_ms, 1),
        cost_per_million_usd=round(p.cost_per_million, 4),
        monthly_cost_usd=round(p.monthly_cost, 4),
        is_safe=p.memory_mb >= floor_mb,
    )


def _optimizer_note(view: ComputeOptimizerView | None, error: str | None) -> str:
    if error:
        return f"Compute Optimizer not consulted: {error}"
    if view is None:
        return "Compute Optimizer has no recommendation for this function."
    return f"Compute Optimizer: {view.finding} ({', '.join(view.reasons) or 'no reason codes'})."


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _stamp(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def _prices_line(source: str) -> str:
    """Where the prices come from, with the date they were checked (once)."""
    return source if str(CHECKED_ON) in source else f"{source}; checked {CHECKED_ON}"
