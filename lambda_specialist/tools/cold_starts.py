"""analyze_cold_starts: how often a function starts cold, what INIT costs, and which fix pays."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.knowledge import pricing
from lambda_specialist.tools.log_evidence import (
    FunctionSettings,
    MetricTotals,
    read_function_settings,
    read_metrics,
    read_platform_logs,
    window_bounds,
)
from lambda_specialist.tools.logparse import ParsedLogs, ReportRecord
from lambda_specialist.tools.memory_model import percentile

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = ["ColdStartAction", "ColdStartAnalysis", "DayRow", "analyze_cold_starts"]

DAY_MS = 86_400_000
MONTH_S = 30 * 86_400
HIGH_RATE = 0.01  # AWS: cold starts are "typically under 1 % of invocations".
BIG_PACKAGE_BYTES = 5 * 1024 * 1024
SLOW_INIT_MS = 500.0
SNAPSTART_RUNTIMES = {"java": 11, "python": 3.12, "dotnet": 8}


class DayRow(BaseModel):
    """One UTC day: invocations in the logs and how many started cold."""

    day: str
    invocations: int
    cold_starts: int
    rate: float


class ColdStartAction(BaseModel):
    """One way to cut cold starts or their cost, whether it applies, and the arithmetic."""

    action: str = Field(
        description="snapstart, provisioned_concurrency, arm64, slim_package, lazy_init."
    )
    applies: bool
    why: str
    arithmetic: str = Field(description="The numbers behind the answer.")
    monthly_cost_delta_usd: float | None = Field(
        description="Change in monthly cost if applied (negative saves), where computable."
    )


class ColdStartAnalysis(BaseModel):
    """analyze_cold_starts' answer."""

    context: AccountContext
    function_name: str
    runtime: str | None
    package_type: str
    architecture: str
    memory_mb: int
    days: int
    invocations_in_logs: int
    cold_starts: int
    cold_start_rate: float
    daily: list[DayRow]
    init_p50_ms: float | None
    init_p99_ms: float | None
    init_share_of_billed_time: float = Field(
        description="Share of the billed milliseconds in the logs that were INIT."
    )
    init_billed: str = Field(description="'yes', 'no' or 'unknown' from the REPORT lines.")
    init_failures: dict[str, int] = Field(description="INIT_REPORT lines by status.")
    suppressed_inits: int = Field(
        description="INIT re-run inside the first invoke (Phase: invoke)."
    )
    timeouts: int
    invocations_metric: float
    peak_concurrency: float
    code_size_bytes: int
    layers: dict[str, int] = Field(description="Layer ARN to size in bytes.")
    snap_start: str
    actions: list[ColdStartAction]
    notes: list[str]


def analyze_cold_starts(
    ctx: AwsContext, *, function_name: str, days: int = 14, max_events: int = 20_000
) -> ColdStartAnalysis:
    """Read a function's platform lines and metrics and analyze its cold starts."""
    start, end = window_bounds(days)
    settings = read_function_settings(ctx, function_name)
    logs = read_platform_logs(ctx, settings, start=start, end=end, max_events=max_events)
    totals, _ = read_metrics(ctx, settings, start=start, end=end)
    parsed = logs.parsed

    reports = parsed.reports
    cold = [r for r in reports if r.is_cold]
    inits = sorted(r.init_ms for r in cold if r.init_ms is not None)
    billed = sum(r.billed_ms for r in reports)
    init_billed = sum(r.init_ms or 0.0 for r in cold if r.bills_init)
    notes = [] if logs.log_group_exists else [f"log group {settings.log_group} does not exist"]
    if logs.truncated:
        notes.append("the read stopped at max_events; rates are from the lines read")
    return ColdStartAnalysis(
        context=ctx.describe(),
        function_name=settings.name,
        runtime=settings.runtime,
        package_type=settings.package_type,
        architecture=settings.architecture,
        memory_mb=settings.memory_mb,
        days=days,
        invocations_in_logs=len(reports),
        cold_starts=len(cold),
        cold_start_rate=round(len(cold) / len(reports), 4) if reports else 0.0,
        daily=_daily(parsed),
        init_p50_ms=percentile(inits, 0.5) if inits else None,
        init_p99_ms=percentile(inits, 0.99) if inits else None,
        init_share_of_billed_time=round(init_billed / billed, 4) if billed else 0.0,
        init_billed=_init_billed(parsed),
        init_failures=dict(Counter(i.status for i in parsed.init_reports if i.status != "success")),
        suppressed_inits=sum(i.phase == "invoke" for i in parsed.init_reports),
        timeouts=max(len(parsed.timeouts), sum(r.status == "timeout" for r in reports)),
        invocations_metric=totals.invocations,
        peak_concurrency=totals.peak_concurrency,
        code_size_bytes=settings.code_size_bytes,
        layers=dict(settings.layers),
        snap_start=settings.snap_start,
        actions=_actions(ctx.region, settings, parsed, totals, days),
        notes=notes,
    )


def _daily(parsed: ParsedLogs) -> list[DayRow]:
    days: dict[int, list[bool]] = {}
    for report in parsed.reports:
        if report.timestamp_ms is not None:
            days.setdefault(report.timestamp_ms // DAY_MS, []).append(report.is_cold)
    return [
        DayRow(
            day=datetime.fromtimestamp(day * 86_400, UTC).date().isoformat(),
            invocations=len(flags),
            cold_starts=sum(flags),
            rate=round(sum(flags) / len(flags), 4),
        )
        for day, flags in sorted(days.items())
    ]


def _init_billed(parsed: ParsedLogs) -> str:
    seen = {r.bills_init for r in parsed.reports if r.init_ms is not None}
    return "unknown" if not seen else "mixed" if len(seen) == 2 else "yes" if True in seen else "no"


def _actions(
    region: str, settings: FunctionSettings, parsed: ParsedLogs, totals: MetricTotals, days: int
) -> list[ColdStartAction]:
    reports = parsed.reports
    if not reports:
        return []
    cold = [r for r in reports if r.is_cold]
    rate = len(cold) / len(reports)
    monthly = (totals.invocations or len(reports)) * 30 / days
    init_mean_s = sum(r.init_ms or 0.0 for r in cold) / len(cold) / 1000 if cold else 0.0
    gb = settings.memory_mb / pricing.GB_MB
    gbs_price = pricing.prices_for(region).gbs(settings.architecture)
    init_cost = monthly * rate * init_mean_s * gb * gbs_price
    mean_s = sum(r.duration_ms for r in reports) / len(reports) / 1000
    return [
        _snapstart(settings, rate, monthly, init_cost, gb),
        _provisioned(region, settings, monthly, mean_s, rate, gb),
        _arm64(settings, init_cost),
        _slim(settings),
        _lazy_init(cold, init_cost, rate),
    ]


def _snapstart(
    settings: FunctionSettings, rate: float, monthly: float, init_cost: float, gb: float
) -> ColdStartAction:
    eligible, why = _snapstart_eligible(settings)
    if not eligible:
        return ColdStartAction(
            action="snapstart", applies=False, why=why, arithmetic="", monthly_cost_delta_usd=None
        )
    extra = 0.0
    if not (settings.runtime or "").startswith("java"):
        cache = gb * MONTH_S * pricing.SNAPSTART_CACHE_GBS
        restore = monthly * rate * gb * pricing.SNAPSTART_RESTORE_GB
        extra = cache + restore
    arithmetic = (
        f"INIT now costs about ${init_cost:,.2f}/month ({rate:.1%} cold); SnapStart adds "
        f"${extra:,.2f}/month in cache and restore charges (none for Java) and replaces most "
        "INIT time with a restore."
    )
    applies = rate >= HIGH_RATE or init_cost > extra
    return ColdStartAction(
        action="snapstart",
        applies=applies,
        why="runtime and configuration allow it; publish a version and point an alias at it"
        if applies
        else "eligible, but cold starts are rare and cheap here",
        arithmetic=arithmetic,
        monthly_cost_delta_usd=round(extra - init_cost, 2),
    )


def _snapstart_eligible(settings: FunctionSettings) -> tuple[bool, str]:
    runtime = settings.runtime or ""
    family = runtime.rstrip(".x").rstrip("0123456789.")
    version_text = runtime[len(family) :].rstrip(".x") or "0"
    try:
        version = float(version_text)
    except ValueError:
        version = 0.0
    minimum = SNAPSTART_RUNTIMES.get(family)
    if settings.snap_start == "PublishedVersions":
        return False, "SnapStart is already on"
    if minimum is None or version < minimum:
        return False, f"{runtime or 'this package'} does not support SnapStart"
    if settings.package_type != "Zip":
        return False, "container images do not support SnapStart"
    if settings.has_efs or settings.ephemeral_mb > 512:
        return False, "SnapStart does not work with EFS or more than 512 MB of /tmp"
    return True, ""


def _provisioned(
    region: str, settings: FunctionSettings, monthly: float, mean_s: float, rate: float, gb: float
) -> ColdStartAction:
    busy = monthly * mean_s / MONTH_S  # average concurrency, Little's law
    count = max(1, math.ceil(busy))
    utilization = busy / count
    break_even = pricing.pc_break_even_utilization(settings.architecture, region)
    on_demand = monthly * mean_s * gb * pricing.prices_for(region).gbs(settings.architecture)
    provisioned = pricing.provisioned_cost(
        memory_mb=settings.memory_mb,
        concurrency=count,
        hours=MONTH_S / 3600,
        executed_gb_seconds=monthly * mean_s * gb,
        architecture=settings.architecture,
    )
    applies = utilization >= break_even and rate >= HIGH_RATE
    return ColdStartAction(
        action="provisioned_concurrency",
        applies=applies,
        why=f"{count} provisioned environment(s) would be {utilization:.0%} busy; it pays above "
        f"{break_even:.0%}",
        arithmetic=f"on-demand duration ${on_demand:,.2f}/month vs provisioned "
        f"${provisioned:,.2f}/month (allocation + execution) for {count} x {settings.memory_mb} MB",
        monthly_cost_delta_usd=round(provisioned - on_demand, 2),
    )


def _arm64(settings: FunctionSettings, init_cost: float) -> ColdStartAction:
    applies = settings.architecture == "x86_64"
    return ColdStartAction(
        action="arm64",
        applies=applies,
        why="arm64 bills 20 % less per GB-second, INIT included; native dependencies need "
        "arm64 builds"
        if applies
        else "already on arm64",
        arithmetic=f"INIT at ${init_cost:,.2f}/month would cost ${init_cost * 0.8:,.2f}",
        monthly_cost_delta_usd=round(-init_cost * 0.2, 2) if applies else None,
    )


def _slim(settings: FunctionSettings) -> ColdStartAction:
    total = settings.code_size_bytes + sum(size for _, size in settings.layers)
    applies = total > BIG_PACKAGE_BYTES
    return ColdStartAction(
        action="slim_package",
        applies=applies,
        why="download and unpack time grows with package size" if applies else "package is small",
        arithmetic=f"code {settings.code_size_bytes:,} bytes + layers "
        f"{total - settings.code_size_bytes:,} bytes = {total:,} bytes",
        monthly_cost_delta_usd=None,
    )


def _lazy_init(cold: list[ReportRecord], init_cost: float, rate: float) -> ColdStartAction:
    inits = sorted(r.init_ms or 0.0 for r in cold)
    p50 = percentile(inits, 0.5)
    applies = p50 > SLOW_INIT_MS and rate >= HIGH_RATE
    return ColdStartAction(
        action="lazy_init",
        applies=applies,
        why="import heavy modules and create clients on first use, not at import"
        if applies
        else "init is short or rare",
        arithmetic=f"init p50 {p50:,.0f} ms on {rate:.1%} of invocations; INIT costs "
        f"${init_cost:,.2f}/month",
        monthly_cost_delta_usd=None,
    )
