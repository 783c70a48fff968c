"""Parse Lambda platform log lines, text and JSON, old and new, into typed records.

Every shape in the reference is understood: REPORT with and without Init Duration, SnapStart
Restore and Billed Restore Duration, ``Status: timeout`` and ``Status: error`` with
``Error Type``, X-Ray fields, older whitespace and 100 ms billing, the separate "Task timed out"
line, INIT_START and INIT_REPORT, and the JSON ``platform.report``, ``platform.initReport`` and
``platform.initStart`` records. A line that looks like a platform line but cannot be read is
counted as malformed (with a few samples), never raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

__all__ = [
    "InitReport",
    "InitStart",
    "LogParser",
    "ParsedLogs",
    "ReportRecord",
    "TimeoutLine",
    "parse_lines",
]

MAX_SAMPLES = 3
_TIMED_OUT = re.compile(
    r"(?P<id>[0-9a-f]{8}-[0-9a-f-]{27}) Task timed out after (?P<seconds>\d+(?:\.\d+)?) seconds"
)
# ``Key: first-token`` per tab- or newline-separated field; units and stray spaces are dropped.
_FIELD = re.compile(r"([A-Za-z][A-Za-z ]*): ([^\t\n ]*)")
# Lines whose fields are separated by spaces only (tabs lost by a copy or a forwarder).
_SPACED_FIELD = re.compile(
    r"(RequestId|Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration|"
    r"Restore Duration|Billed Restore Duration|Status|Error Type|XRAY TraceId|SegmentId|"
    r"Sampled|Phase|Runtime Version|Runtime Version ARN): (\S+(?: ms| MB)?)"
)
_JSON_STATUS = {"success": "success", "failure": "error", "error": "error", "timeout": "timeout"}


class ReportRecord(NamedTuple):
    """One invocation's REPORT line (text) or ``platform.report`` record (JSON).

    A named tuple rather than a frozen dataclass: it is built once per line, and constructing
    a frozen dataclass costs several times more.
    """

    request_id: str
    duration_ms: float
    billed_ms: int
    memory_mb: int
    max_used_mb: int
    init_ms: float | None = None
    restore_ms: float | None = None
    billed_restore_ms: int | None = None
    status: str = "success"
    error_type: str | None = None
    trace_id: str | None = None
    timestamp_ms: int | None = None

    @property
    def is_cold(self) -> bool:
        """Whether this invocation started a new environment (init or SnapStart restore)."""
        return self.init_ms is not None or self.restore_ms is not None

    @property
    def is_out_of_memory(self) -> bool:
        """Whether the runtime was killed for exceeding its memory."""
        return self.error_type == "Runtime.OutOfMemory"

    @property
    def bills_init(self) -> bool:
        """Whether Billed Duration includes the Init Duration (only decidable on a cold start)."""
        if self.init_ms is None:
            return False
        return self.billed_ms >= self.duration_ms + self.init_ms - 1


@dataclass(frozen=True, slots=True)
class InitReport:
    """An INIT_REPORT line or ``platform.initReport`` record: an init that failed or was slow."""

    init_ms: float
    phase: str
    status: str
    error_type: str | None = None
    timestamp_ms: int | None = None


@dataclass(frozen=True, slots=True)
class InitStart:
    """An INIT_START line or ``platform.initStart`` record: a new execution environment."""

    runtime_version: str | None
    initialization_type: str = "on-demand"
    timestamp_ms: int | None = None


@dataclass(frozen=True, slots=True)
class TimeoutLine:
    """The separate "Task timed out after N seconds" line."""

    request_id: str
    seconds: float
    timestamp_ms: int | None = None


@dataclass
class ParsedLogs:
    """Everything read from a batch of lines, and how many lines were not understood."""

    reports: list[ReportRecord] = field(default_factory=list)
    init_reports: list[InitReport] = field(default_factory=list)
    init_starts: list[InitStart] = field(default_factory=list)
    timeouts: list[TimeoutLine] = field(default_factory=list)
    other_lines: int = 0
    malformed: int = 0
    malformed_samples: list[str] = field(default_factory=list)


class LogParser:
    """Accumulate platform records from lines fed one at a time (``feed``) or in bulk."""

    def __init__(self) -> None:
        self.result = ParsedLogs()

    def feed(self, message: str, timestamp_ms: int | None = None) -> None:
        """Parse one log event's message; unknown platform shapes are counted, not raised."""
        try:
            self._dispatch(message, timestamp_ms)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._malformed(message)

    def _dispatch(self, message: str, timestamp_ms: int | None) -> None:
        head = message[:12]
        if head.startswith("REPORT "):
            self.result.reports.append(_text_report(message, timestamp_ms))
        elif head.startswith("INIT_START"):
            fields = _text_fields(message[len("INIT_START") :])
            self.result.init_starts.append(
                InitStart(fields.get("Runtime Version"), timestamp_ms=timestamp_ms)
            )
        elif head.startswith("INIT_REPORT"):
            self.result.init_reports.append(_text_init_report(message, timestamp_ms))
        elif head.startswith("{"):
            self._json(message, timestamp_ms)
        elif "Task timed out after" in message:
            match = _TIMED_OUT.search(message)
            if match is None:
                raise ValueError("timeout line without a request id")
            self.result.timeouts.append(
                TimeoutLine(match["id"], float(match["seconds"]), timestamp_ms)
            )
        else:
            self.result.other_lines += 1

    def _json(self, message: str, timestamp_ms: int | None) -> None:
        try:
            event = json.loads(message)
        except json.JSONDecodeError:
            self.result.other_lines += 1
            return
        kind = event.get("type") if isinstance(event, dict) else None
        if not isinstance(kind, str) or not kind.startswith("platform."):
            self.result.other_lines += 1
            return
        stamp = _iso_ms(event.get("time")) or timestamp_ms
        record = event["record"]
        if kind == "platform.report":
            self.result.reports.append(_json_report(record, stamp))
        elif kind == "platform.initReport":
            self.result.init_reports.append(_json_init_report(record, stamp))
        elif kind == "platform.initStart":
            self.result.init_starts.append(
                InitStart(
                    record.get("runtimeVersion"),
                    record.get("initializationType", "on-demand"),
                    stamp,
                )
            )
        else:
            self.result.other_lines += 1

    def _malformed(self, message: str) -> None:
        self.result.malformed += 1
        if len(self.result.malformed_samples) < MAX_SAMPLES:
            self.result.malformed_samples.append(message[:200])


def parse_lines(
    lines: Iterable[str] | Iterable[tuple[str, int | None]],
) -> ParsedLogs:
    """Parse messages (or ``(message, timestamp_ms)`` pairs) and return what they hold."""
    parser = LogParser()
    for item in lines:
        if isinstance(item, tuple):
            parser.feed(item[0], item[1])
        else:
            parser.feed(item)
    return parser.result


def _text_fields(body: str) -> dict[str, str]:
    """Read ``Key: value`` fields separated by tabs or newlines, tolerant of stray spaces.

    Values keep their first word only (``12.34`` of ``12.34 ms``).
    """
    if "\t" not in body and "\n" not in body and body.count(": ") > 2:
        return {key: value.split(" ", 1)[0] for key, value in _SPACED_FIELD.findall(body)}
    return dict(_FIELD.findall(body))


def _number(value: str) -> float:
    return float(value)


def _text_report(message: str, timestamp_ms: int | None) -> ReportRecord:
    body = message[7:]
    fields = dict(_FIELD.findall(body)) if "\t" in body else _text_fields(body)
    get = fields.get
    init, restore, billed_restore = (
        get("Init Duration"),
        get("Restore Duration"),
        get("Billed Restore Duration"),
    )
    # Positional arguments: this runs once per line and keywords cost measurably more.
    return ReportRecord(
        fields["RequestId"],
        float(fields["Duration"]),
        int(float(fields["Billed Duration"])),
        int(fields["Memory Size"]),
        int(fields["Max Memory Used"]),
        None if init is None else float(init),
        None if restore is None else float(restore),
        None if billed_restore is None else int(float(billed_restore)),
        get("Status", "success"),
        get("Error Type"),
        get("XRAY TraceId"),
        timestamp_ms,
    )


def _text_init_report(message: str, timestamp_ms: int | None) -> InitReport:
    fields = _text_fields(message[len("INIT_REPORT") :])
    return InitReport(
        init_ms=_number(fields["Init Duration"]),
        phase=fields.get("Phase", "init"),
        status=fields.get("Status", "success"),
        error_type=fields.get("Error Type"),
        timestamp_ms=timestamp_ms,
    )


def _json_report(record: dict[str, object], stamp: int | None) -> ReportRecord:
    metrics = record["metrics"]
    if not isinstance(metrics, dict):
        raise TypeError("platform.report without metrics")
    tracing = record.get("tracing")
    trace_id = None
    if isinstance(tracing, dict) and isinstance(tracing.get("value"), str):
        trace_id = _root_trace(str(tracing["value"]))
    billed_restore = metrics.get("billedRestoreDurationMs")
    return ReportRecord(
        request_id=str(record["requestId"]),
        duration_ms=float(metrics["durationMs"]),
        billed_ms=int(metrics["billedDurationMs"]),
        memory_mb=int(metrics["memorySizeMB"]),
        max_used_mb=int(metrics["maxMemoryUsedMB"]),
        init_ms=_float_or_none(metrics.get("initDurationMs")),
        restore_ms=_float_or_none(metrics.get("restoreDurationMs")),
        billed_restore_ms=None if billed_restore is None else int(billed_restore),
        status=_JSON_STATUS.get(str(record.get("status", "success")), "error"),
        error_type=_str_or_none(record.get("errorType")),
        trace_id=trace_id,
        timestamp_ms=stamp,
    )


def _json_init_report(record: dict[str, object], stamp: int | None) -> InitReport:
    metrics = record["metrics"]
    if not isinstance(metrics, dict):
        raise TypeError("platform.initReport without metrics")
    return InitReport(
        init_ms=float(metrics["durationMs"]),
        phase=str(record.get("phase", "init")),
        status=str(record.get("status", "success")),
        error_type=_str_or_none(record.get("errorType")),
        timestamp_ms=stamp,
    )


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(str(value))


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _root_trace(header: str) -> str:
    for part in header.split(";"):
        if part.startswith("Root="):
            return part[len("Root=") :]
    return header


def _iso_ms(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None
