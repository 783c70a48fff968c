"""Duration versus memory: per-size statistics, the fitted model and the memory floor.

The model is ``T(m) = T_io + W / min(m / 1769, p)``: time spent waiting (``T_io``) does not
shrink with memory, CPU work ``W`` (in vCPU-milliseconds) shrinks with the CPU share until the
code's ``p`` threads are all busy. It is fitted from sizes the function actually ran at (natural
experiments); with one size only, the two extreme hypotheses are kept side by side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lambda_specialist.knowledge.compute import (
    CORE_STEPS_MB,
    MAX_MEMORY_MB,
    MB_PER_VCPU,
    MIN_MEMORY_MB,
    vcpu_share,
)
from lambda_specialist.tools.logparse import ReportRecord

__all__ = [
    "MIN_SAMPLES",
    "DurationModel",
    "SizeStats",
    "candidate_sizes",
    "fit_duration_model",
    "hypotheses",
    "memory_floor",
    "percentile",
    "summarize_sizes",
]

# Fewer warm, successful invocations than this at a size and its percentiles are not used.
MIN_SAMPLES = 10
HEADROOM = 0.1
GRID_MB = 64
MAX_THREADS = 6
IO_BOUND_BELOW = 0.25
CPU_BOUND_ABOVE = 0.75


@dataclass(frozen=True)
class SizeStats:
    """What the logs say about one memory size: durations, cold starts, memory, failures."""

    memory_mb: int
    invocations: int
    samples: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    mean_billed_ms: float
    cold_starts: int
    init_mean_ms: float
    max_used_mb: int
    out_of_memory: int
    timeouts: int
    errors: int
    first_ms: int | None
    last_ms: int | None

    @property
    def cold_rate(self) -> float:
        """The share of invocations that were cold starts."""
        return self.cold_starts / self.invocations if self.invocations else 0.0


@dataclass(frozen=True)
class DurationModel:
    """``T(m) = io_ms + cpu_ms / min(m / 1769, threads)`` for the median warm duration."""

    io_ms: float
    cpu_ms: float
    threads: int
    bottleneck: str
    basis: str
    threads_known: bool = True

    def median_ms(self, memory_mb: float) -> float:
        """Return the predicted median warm duration at ``memory_mb``."""
        return self.io_ms + self.cpu_ms / min(vcpu_share(memory_mb), self.threads)

    def cpu_fraction(self, memory_mb: float) -> float:
        """Return the share of the duration spent computing at ``memory_mb``."""
        total = self.median_ms(memory_mb)
        return 0.0 if total <= 0 else (total - self.io_ms) / total


def percentile(ordered: Sequence[float], q: float) -> float:
    """Return the ``q`` quantile (0-1) of sorted values, nearest-rank; 0.0 when empty."""
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def summarize_sizes(reports: Iterable[ReportRecord]) -> list[SizeStats]:
    """Group REPORT records by memory size and summarize each group, smallest size first."""
    groups: dict[int, list[ReportRecord]] = {}
    for report in reports:
        groups.setdefault(report.memory_mb, []).append(report)
    return [_size_stats(memory, records) for memory, records in sorted(groups.items())]


def fit_duration_model(sizes: Sequence[SizeStats], current_mb: int) -> DurationModel | None:
    """Fit the model to two or more sizes with enough samples; None with fewer."""
    usable = [size for size in sizes if size.samples >= MIN_SAMPLES]
    if len({size.memory_mb for size in usable}) < 2:
        return None
    best: tuple[float, int, float, float] | None = None
    for threads in range(1, MAX_THREADS + 1):
        io_ms, cpu_ms, error = _least_squares(usable, threads)
        if best is None or error < best[0] * 0.98:
            best = (error, threads, io_ms, cpu_ms)
    assert best is not None
    _, threads, io_ms, cpu_ms = best
    # Two sizes fit every thread count exactly; a third above 1,769 MB tells them apart.
    threads_known = len(usable) >= 3 and any(size.memory_mb > MB_PER_VCPU for size in usable)
    observed = ", ".join(f"{size.memory_mb} MB" for size in usable)
    probe = DurationModel(io_ms, cpu_ms, threads, "", f"fitted to {observed}", threads_known)
    return DurationModel(
        io_ms, cpu_ms, threads, _classify(probe, current_mb), probe.basis, threads_known
    )


def hypotheses(reference: SizeStats) -> list[DurationModel]:
    """Return the two extremes one size cannot tell apart: all waiting, or all single-thread CPU."""
    median = reference.p50_ms
    share = min(vcpu_share(reference.memory_mb), 1.0)
    basis = f"one size observed ({reference.memory_mb} MB): hypothesis"
    return [
        DurationModel(median, 0.0, 1, "io-bound", basis),
        DurationModel(0.0, median * share, 1, "cpu-bound-single-threaded", basis, False),
    ]


def memory_floor(sizes: Sequence[SizeStats]) -> tuple[int, str]:
    """Return the smallest safe size on the 64 MB grid, and why.

    Max Memory Used is the high-water mark of an execution environment, so the peak over the
    window plus 10 % headroom is needed; a size that ran out of memory is never safe.
    """
    healthy = [size.max_used_mb for size in sizes if size.invocations > size.out_of_memory]
    peak = max(healthy, default=0)
    floor = max(MIN_MEMORY_MB, _round_up(peak * (1 + HEADROOM)))
    reason = f"peak Max Memory Used {peak} MB + {HEADROOM:.0%} headroom"
    starved = [size.memory_mb for size in sizes if size.out_of_memory]
    if starved and _round_up(max(starved) + 1) > floor:
        floor = _round_up(max(starved) + 1)
        reason = f"ran out of memory at {max(starved)} MB; {reason} is below that"
    return min(floor, MAX_MEMORY_MB), reason


def candidate_sizes(floor_mb: int, current_mb: int) -> list[int]:
    """Return the sizes to price: a 64 MB grid to 3,008 MB, 512 MB steps above, CPU steps.

    Sizes below ``floor_mb`` are left out, except the current size (priced for comparison).
    """
    sizes = set(range(MIN_MEMORY_MB, 3_009, GRID_MB)) | set(range(3_072, MAX_MEMORY_MB + 1, 512))
    # Where 1-5 busy threads saturate their CPU share, and where the core count steps up.
    sizes |= {MB_PER_VCPU * threads for threads in range(1, MAX_THREADS)}
    sizes |= {*CORE_STEPS_MB, MAX_MEMORY_MB, current_mb}
    return sorted(size for size in sizes if size >= floor_mb or size == current_mb)


def _size_stats(memory_mb: int, records: list[ReportRecord]) -> SizeStats:
    # Duration excludes INIT, so cold invocations count too (a nightly job is always cold).
    warm = sorted(r.duration_ms for r in records if r.status == "success")
    inits = [r.init_ms for r in records if r.init_ms is not None]
    stamps = [r.timestamp_ms for r in records if r.timestamp_ms is not None]
    return SizeStats(
        memory_mb=memory_mb,
        invocations=len(records),
        samples=len(warm),
        p50_ms=percentile(warm, 0.5),
        p95_ms=percentile(warm, 0.95),
        p99_ms=percentile(warm, 0.99),
        mean_ms=sum(warm) / len(warm) if warm else 0.0,
        mean_billed_ms=sum(r.billed_ms for r in records) / len(records),
        cold_starts=sum(r.is_cold for r in records),
        init_mean_ms=sum(inits) / len(inits) if inits else 0.0,
        max_used_mb=max(r.max_used_mb for r in records if not r.is_out_of_memory)
        if any(not r.is_out_of_memory for r in records)
        else memory_mb,
        out_of_memory=sum(r.is_out_of_memory for r in records),
        timeouts=sum(r.status == "timeout" for r in records),
        errors=sum(r.status not in ("success", "timeout") for r in records),
        first_ms=min(stamps, default=None),
        last_ms=max(stamps, default=None),
    )


def _least_squares(sizes: Sequence[SizeStats], threads: int) -> tuple[float, float, float]:
    """Fit ``p50 = a + b * x`` with ``x = 1 / min(share, threads)``, a and b non-negative.

    Returns ``(a, b, relative squared error)``; each size weighs by the log of its samples.
    """
    xs = [1 / min(vcpu_share(size.memory_mb), threads) for size in sizes]
    ys = [size.p50_ms for size in sizes]
    ws = [math.log1p(size.samples) for size in sizes]
    total = sum(ws)
    mean_x = sum(w * x for w, x in zip(ws, xs, strict=True)) / total
    mean_y = sum(w * y for w, y in zip(ws, ys, strict=True)) / total
    sxx = sum(w * (x - mean_x) ** 2 for w, x in zip(ws, xs, strict=True))
    sxy = sum(w * (x - mean_x) * (y - mean_y) for w, x, y in zip(ws, xs, ys, strict=True))
    slope = sxy / sxx if sxx > 0 else 0.0
    intercept = mean_y - slope * mean_x
    if slope < 0:
        slope, intercept = 0.0, mean_y
    elif intercept < 0:
        intercept = 0.0
        slope = sum(w * x * y for w, x, y in zip(ws, xs, ys, strict=True)) / sum(
            w * x * x for w, x in zip(ws, xs, strict=True)
        )
    error = sum(
        w * ((intercept + slope * x - y) / y) ** 2 for w, x, y in zip(ws, xs, ys, strict=True) if y
    )
    return intercept, slope, error


def _classify(model: DurationModel, current_mb: int) -> str:
    fraction = model.cpu_fraction(current_mb)
    if fraction < IO_BOUND_BELOW:
        return "io-bound"
    if fraction > CPU_BOUND_ABOVE:
        threaded = model.threads > 1
        return "cpu-bound-multi-threaded" if threaded else "cpu-bound-single-threaded"
    return "mixed"


def _round_up(memory_mb: float) -> int:
    return int(math.ceil(memory_mb / GRID_MB) * GRID_MB)
