"""A per-function workload model that turns into Lambda platform log lines and metrics."""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple

__all__ = [
    "LINES_PER_DAY",
    "WINDOW_HOURS",
    "DurationCurve",
    "FunctionLogs",
    "FunctionProfile",
    "Invocation",
    "Workload",
    "build_logs",
    "build_metric_data",
    "generate_invocations",
    "window_hours",
]

# Fourteen days less two hours: CloudWatch Logs drops events older than 14 days at the moment
# they are put, and the newest hour ends at ``now`` truncated to the hour, so two hours of
# margin keep the oldest event accepted whatever the minute the seed runs.
WINDOW_HOURS = 14 * 24 - 2
# Stored log lines per function and day, about; metrics carry the full volume.
LINES_PER_DAY = 300
HOUR_MS = 3_600_000
MB_PER_VCPU = 1_769
# A right-skewed spread around the curve's median, like real invocation durations.
SPREAD = (0.8, 1.6, 0.9)
DAY_MS = 24 * HOUR_MS
# Lambda bills the INIT phase of on-demand functions on managed runtimes since 1 August 2025
# (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
BILLS_INIT = True
# The shop's busiest hour of the day, in UTC (early evening on the US east coast).
PEAK_HOUR_UTC = 23
NIGHTLY_HOUR_UTC = 2
RUNTIME_VERSIONS = {
    "python3.9": "python:3.9.v82",
    "python3.11": "python:3.11.v68",
    "python3.12": "python:3.12.v45",
    "python3.13": "python:3.13.v27",
    "nodejs22.x": "nodejs:22.v51",
}

Shape = Literal["diurnal", "flat", "nightly"]
Status = Literal["ok", "timeout", "out-of-memory"]


@dataclass(frozen=True)
class DurationCurve:
    """How the median duration depends on memory: ``io_ms + cpu_ms / min(m / 1769, threads)``.

    ``io_ms`` is waiting that no memory size shortens; ``cpu_ms`` is CPU work in
    vCPU-milliseconds, which runs faster with the CPU share memory buys, up to ``threads``.
    """

    io_ms: float
    cpu_ms: float
    threads: int = 1

    def median_ms(self, memory_mb: int) -> float:
        """Return the median duration at ``memory_mb``."""
        return self.io_ms + self.cpu_ms / min(memory_mb / MB_PER_VCPU, self.threads)


@dataclass(frozen=True)
class Workload:
    """How a function is used: volume, shape over the day, durations and failures.

    ``timeouts_per_day`` is a range per UTC day; ``out_of_memory_runs`` a range over the whole
    window. Cold starts, init durations and memory used are drawn for the stored lines only.
    With a ``curve``, durations follow it (times a skewed spread) instead of ``duration_ms``;
    ``memory_history`` lists earlier sizes as ``(share of the window it ended at, memory_mb)``.
    """

    per_day: int
    shape: Shape = "diurnal"
    duration_ms: tuple[float, float] = (20.0, 200.0)
    memory_used_mb: tuple[int, int] = (60, 90)
    cold_start_rate: float = 0.03
    init_ms: tuple[float, float] = (180.0, 400.0)
    timeouts_per_day: tuple[int, int] = (0, 0)
    out_of_memory_runs: tuple[int, int] = (0, 0)
    curve: DurationCurve | None = None
    memory_history: tuple[tuple[float, int], ...] = ()


@dataclass(frozen=True)
class FunctionProfile:
    """What the generator needs to know about one function."""

    name: str
    runtime: str
    memory_mb: int
    timeout_s: int
    is_traced: bool
    workload: Workload
    region: str = "us-east-1"
    reserved_concurrency: int | None = None


class Invocation(NamedTuple):
    """One invocation: when it started (epoch ms), how long it ran and how it ended."""

    start_ms: int
    duration_ms: float
    status: Status = "ok"
    memory_mb: int = 0


@dataclass(frozen=True)
class FunctionLogs:
    """One function's stored log events, in time order, for one log stream."""

    stream_name: str
    events: tuple[tuple[int, str], ...]


def window_hours(now: datetime) -> list[datetime]:
    """Return the start of every hour in the seeded window, oldest first."""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [end - timedelta(hours=WINDOW_HOURS - index) for index in range(WINDOW_HOURS)]


def generate_invocations(
    profile: FunctionProfile, hours: Sequence[datetime], rng: random.Random
) -> list[Invocation]:
    """Return every invocation of the window in time order, failures included."""
    workload = profile.workload
    low, high = workload.duration_ms
    mode = low + (high - low) * 0.3
    ceiling = float(profile.timeout_s * 1000)
    earliest, latest = _start_bounds(profile)
    invocations: list[Invocation] = []
    for hour in hours:
        base = int(hour.timestamp() * 1000)
        count = _hourly_count(workload, hour.hour, rng)
        starts = sorted(base + int(rng.uniform(earliest, latest)) for _ in range(count))
        if workload.curve is None:
            invocations.extend(
                Invocation(start, round(min(rng.triangular(low, high, mode), ceiling), 2))
                for start in starts
            )
            continue
        for start in starts:
            memory = _memory_at(profile, start, hours)
            duration = workload.curve.median_ms(memory) * rng.triangular(*SPREAD)
            invocations.append(Invocation(start, round(min(duration, ceiling), 2), "ok", memory))

    _mark_timeouts(profile, invocations, rng)
    _mark_out_of_memory(profile, invocations, rng)
    return invocations


def build_logs(
    profile: FunctionProfile, invocations: Sequence[Invocation], rng: random.Random
) -> FunctionLogs:
    """Return the stored log events: every failure and a uniform sample of the rest per day."""
    events: list[tuple[int, str]] = []
    for day_invocations in _by_day(invocations).values():
        for invocation in _sample_day(profile, day_invocations, rng):
            events.extend(_render(profile, invocation, rng))
    events.sort(key=lambda event: event[0])

    first = datetime.fromtimestamp(invocations[0].start_ms / 1000, UTC) if invocations else None
    stream = f"{first or datetime.now(UTC):%Y/%m/%d}/[$LATEST]{rng.getrandbits(128):032x}"
    return FunctionLogs(stream_name=stream, events=tuple(events))


def build_metric_data(
    profile: FunctionProfile, invocations: Sequence[Invocation], hours: Sequence[datetime]
) -> list[dict[str, Any]]:
    """Return the hourly AWS/Lambda datums (as StatisticValues) for hours with invocations."""
    by_hour: dict[int, list[Invocation]] = {}
    for invocation in invocations:
        by_hour.setdefault(invocation.start_ms // HOUR_MS, []).append(invocation)

    data: list[dict[str, Any]] = []
    for hour in hours:
        in_hour = by_hour.get(int(hour.timestamp()) * 1000 // HOUR_MS)
        if in_hour:
            data.extend(_hour_datums(profile, hour, in_hour))
    return data


def _start_bounds(profile: FunctionProfile) -> tuple[float, float]:
    # Keep every event of an invocation inside its hour.
    earliest = profile.workload.init_ms[1] + 1_000
    if profile.workload.shape == "nightly":
        return earliest, earliest + 4_000
    return earliest, HOUR_MS - profile.timeout_s * 1_000 - 1_000


def _hourly_count(workload: Workload, hour_of_day: int, rng: random.Random) -> int:
    if workload.shape == "nightly":
        return workload.per_day if hour_of_day == NIGHTLY_HOUR_UTC else 0
    if workload.shape == "flat":
        return round(workload.per_day / 24)
    weight = 1 + 0.8 * math.cos(2 * math.pi * (hour_of_day - PEAK_HOUR_UTC) / 24)
    expected = workload.per_day * weight / 24
    if expected < 1:
        return int(rng.random() < expected)
    return round(expected * rng.uniform(0.85, 1.15))


def _memory_at(profile: FunctionProfile, start_ms: int, hours: Sequence[datetime]) -> int:
    """Return the memory size the function had at ``start_ms``, from its history."""
    first = hours[0].timestamp() * 1000
    share = (start_ms - first) / (len(hours) * HOUR_MS)
    for ended_at, memory_mb in profile.workload.memory_history:
        if share < ended_at:
            return memory_mb
    return profile.memory_mb


def _mark_timeouts(
    profile: FunctionProfile, invocations: list[Invocation], rng: random.Random
) -> None:
    low, high = profile.workload.timeouts_per_day
    if high == 0:
        return
    timeout_ms = float(profile.timeout_s * 1000)
    for indices in _by_day(range(len(invocations)), invocations).values():
        for index in rng.sample(indices, min(rng.randint(low, high), len(indices))):
            invocations[index] = invocations[index]._replace(
                duration_ms=timeout_ms, status="timeout"
            )


def _mark_out_of_memory(
    profile: FunctionProfile, invocations: list[Invocation], rng: random.Random
) -> None:
    low, high = profile.workload.out_of_memory_runs
    if high == 0 or not invocations:
        return
    for index in rng.sample(range(len(invocations)), min(rng.randint(low, high), len(invocations))):
        killed_after = round(invocations[index].duration_ms * rng.uniform(0.4, 0.9), 2)
        invocations[index] = invocations[index]._replace(
            duration_ms=killed_after, status="out-of-memory"
        )


def _by_day(
    items: Sequence[Any], invocations: Sequence[Invocation] | None = None
) -> dict[int, list[Any]]:
    """Group ``items`` by the UTC day of the matching invocation (``items`` itself if None)."""
    keyed = invocations if invocations is not None else items
    groups: dict[int, list[Any]] = {}
    for item, invocation in zip(items, keyed, strict=True):
        groups.setdefault(invocation.start_ms // DAY_MS, []).append(item)
    return groups


def _sample_day(
    profile: FunctionProfile, invocations: list[Invocation], rng: random.Random
) -> list[Invocation]:
    # Failures are always kept; the rest is a uniform sample, so the cold-start share of the
    # stored lines stays that of the workload.
    failures = [invocation for invocation in invocations if invocation.status != "ok"]
    others = [invocation for invocation in invocations if invocation.status == "ok"]
    lines_each = 1 + profile.workload.cold_start_rate
    room = max(0, int((LINES_PER_DAY - 2 * len(failures)) / lines_each))
    if len(others) > room:
        others = rng.sample(others, room)
    return sorted(failures + others)


def _render(
    profile: FunctionProfile, invocation: Invocation, rng: random.Random
) -> list[tuple[int, str]]:
    workload = profile.workload
    request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    is_cold = invocation.status != "timeout" and rng.random() < workload.cold_start_rate
    init_ms = round(rng.uniform(*workload.init_ms), 2) if is_cold else None
    memory_mb = invocation.memory_mb or profile.memory_mb
    memory_used = memory_mb
    if invocation.status != "out-of-memory":
        memory_used = min(rng.randint(*workload.memory_used_mb), memory_mb)
    start, end = invocation.start_ms, invocation.start_ms + int(invocation.duration_ms)

    events: list[tuple[int, str]] = []
    if init_ms is not None:
        events.append((start - int(init_ms), _init_start_line(profile)))
    if invocation.status == "timeout":
        stamp = datetime.fromtimestamp(end / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        events.append(
            (end, f"{stamp}Z {request_id} Task timed out after {profile.timeout_s:.2f} seconds\n\n")
        )
    report = _report_line(invocation, request_id, init_ms, (memory_mb, memory_used))
    if profile.is_traced:
        report += _xray_line(start, rng)
    events.append((end, report))
    return events


def _init_start_line(profile: FunctionProfile) -> str:
    version = RUNTIME_VERSIONS.get(profile.runtime, f"{profile.runtime}.v1")
    digest = hashlib.sha256(version.encode()).hexdigest()
    return (
        f"INIT_START Runtime Version: {version}\t"
        f"Runtime Version ARN: arn:aws:lambda:{profile.region}::runtime:{digest}\n"
    )


def _report_line(
    invocation: Invocation,
    request_id: str,
    init_ms: float | None,
    memory: tuple[int, int],
) -> str:
    memory_mb, memory_used_mb = memory
    billed = invocation.duration_ms + ((init_ms or 0.0) if BILLS_INIT else 0.0)
    line = (
        f"REPORT RequestId: {request_id}\tDuration: {invocation.duration_ms:.2f} ms\t"
        f"Billed Duration: {math.ceil(billed)} ms\tMemory Size: {memory_mb} MB\t"
        f"Max Memory Used: {memory_used_mb} MB\t"
    )
    if init_ms is not None:
        line += f"Init Duration: {init_ms:.2f} ms\t"
    if invocation.status == "timeout":
        line += "Status: timeout\t"
    elif invocation.status == "out-of-memory":
        line += "Status: error\tError Type: Runtime.OutOfMemory\t"
    return line + "\n"


def _xray_line(start_ms: int, rng: random.Random) -> str:
    trace_id = f"1-{start_ms // 1000:08x}-{rng.getrandbits(96):024x}"
    return f"XRAY TraceId: {trace_id}\tSegmentId: {rng.getrandbits(64):016x}\tSampled: true\t\n"


def _hour_datums(
    profile: FunctionProfile, hour: datetime, invocations: list[Invocation]
) -> list[dict[str, Any]]:
    count = len(invocations)
    errors = sum(invocation.status != "ok" for invocation in invocations)
    durations = [invocation.duration_ms for invocation in invocations]
    # Concurrency from Little's law, with a burst factor for the busiest minute of the hour.
    mean_concurrency = sum(durations) / HOUR_MS
    peak = min(count, max(1, math.ceil(mean_concurrency * 4)))
    if profile.reserved_concurrency is not None:
        peak = min(peak, profile.reserved_concurrency)
    dimensions = [{"Name": "FunctionName", "Value": profile.name}]

    def datum(name: str, unit: str, stats: tuple[float, float, float, float]) -> Any:
        samples, total, low, high = stats
        return {
            "MetricName": name,
            "Dimensions": dimensions,
            "Timestamp": hour,
            "Unit": unit,
            "StatisticValues": {
                "SampleCount": samples,
                "Sum": total,
                "Minimum": low,
                "Maximum": high,
            },
        }

    return [
        datum("Invocations", "Count", (count, count, 1, 1)),
        datum("Errors", "Count", (count, errors, 0, 1 if errors else 0)),
        datum("Throttles", "Count", (count, 0, 0, 0)),
        datum(
            "Duration",
            "Milliseconds",
            (count, round(sum(durations), 2), min(durations), max(durations)),
        ),
        datum("ConcurrentExecutions", "Count", (60, round(mean_concurrency * 60, 3), 0, peak)),
    ]
