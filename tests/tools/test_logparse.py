"""Every platform line shape Lambda writes parses to exact values; unknown shapes are counted."""

from __future__ import annotations

import json

from lambda_specialist.tools.logparse import (
    InitReport,
    InitStart,
    ParsedLogs,
    ReportRecord,
    TimeoutLine,
    parse_lines,
)

RID = "8f5a3c1e-2b4d-4e6f-9a0b-1c2d3e4f5a6b"


def one_report(line: str) -> ReportRecord:
    parsed = parse_lines([line])
    assert (parsed.malformed, len(parsed.reports)) == (0, 1)
    return parsed.reports[0]


def test_a_warm_report_line_parses() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 102.25 ms\tBilled Duration: 103 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 71 MB\t\n"
    )

    assert one_report(line) == ReportRecord(RID, 102.25, 103, 128, 71)


def test_a_cold_report_line_carries_the_init_duration() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 300000.00 ms\tBilled Duration: 300587 ms\t"
        "Memory Size: 1024 MB\tMax Memory Used: 338 MB\tInit Duration: 586.78 ms\t"
    )
    record = one_report(line)

    assert record == ReportRecord(RID, 300000.0, 300587, 1024, 338, init_ms=586.78)
    assert (record.is_cold, record.bills_init) == (True, True)


def test_a_cold_start_from_before_init_billing_is_recognized() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 12.10 ms\tBilled Duration: 13 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 150.00 ms\t"
    )

    assert one_report(line).bills_init is False


def test_a_snapstart_restore_line_carries_restore_and_billed_restore() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 20.50 ms\tBilled Duration: 21 ms\t"
        "Memory Size: 512 MB\tMax Memory Used: 150 MB\tRestore Duration: 350.25 ms\t"
        "Billed Restore Duration: 120 ms\t"
    )
    record = one_report(line)

    assert record == ReportRecord(RID, 20.5, 21, 512, 150, restore_ms=350.25, billed_restore_ms=120)
    assert record.is_cold is True


def test_a_timeout_report_line_has_status_timeout() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 90 MB\tStatus: timeout\t"
    )

    assert one_report(line) == ReportRecord(RID, 3000.0, 3000, 128, 90, status="timeout")


def test_an_out_of_memory_report_line_has_status_error_and_error_type() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 1500.00 ms\tBilled Duration: 1500 ms\t"
        "Memory Size: 512 MB\tMax Memory Used: 512 MB\tStatus: error\t"
        "Error Type: Runtime.OutOfMemory\t"
    )
    record = one_report(line)

    assert record == ReportRecord(
        RID, 1500.0, 1500, 512, 512, status="error", error_type="Runtime.OutOfMemory"
    )
    assert record.is_out_of_memory is True


def test_xray_fields_on_the_next_line_give_the_trace_id() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 50.00 ms\tBilled Duration: 50 ms\t"
        "Memory Size: 256 MB\tMax Memory Used: 60 MB\t\n"
        "XRAY TraceId: 1-65f1a2b3-0123456789abcdef01234567\tSegmentId: 0123456789abcdef\t"
        "Sampled: true\t\n"
    )

    assert one_report(line).trace_id == "1-65f1a2b3-0123456789abcdef01234567"


def test_an_old_line_with_stray_spaces_and_100_ms_billing_parses() -> None:
    line = (
        f"REPORT RequestId: {RID}\tDuration: 12.34 ms\tBilled Duration: 100 ms \t"
        "Memory Size: 128 MB\tMax Memory Used: 18 MB\t"
    )

    assert one_report(line) == ReportRecord(RID, 12.34, 100, 128, 18)


def test_a_line_whose_tabs_became_spaces_parses() -> None:
    line = (
        f"REPORT RequestId: {RID} Duration: 12.34 ms Billed Duration: 100 ms "
        "Memory Size: 128 MB Max Memory Used: 18 MB"
    )

    assert one_report(line) == ReportRecord(RID, 12.34, 100, 128, 18)


def test_the_separate_task_timed_out_line_parses() -> None:
    line = f"2026-03-14T15:09:26.123Z {RID} Task timed out after 3.00 seconds\n\n"

    assert parse_lines([(line, 1000)]).timeouts == [TimeoutLine(RID, 3.0, 1000)]


def test_init_start_gives_the_runtime_version() -> None:
    line = (
        "INIT_START Runtime Version: python:3.12.v45\t"
        "Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n"
    )

    assert parse_lines([line]).init_starts == [InitStart("python:3.12.v45")]


def test_an_init_report_timeout_and_its_rerun_in_the_invoke_phase_parse() -> None:
    lines = [
        "INIT_REPORT Init Duration: 9999.76 ms\tPhase: init\tStatus: timeout",
        "INIT_REPORT Init Duration: 1200.50 ms\tPhase: invoke\tStatus: error\t"
        "Error Type: Runtime.ExitError",
    ]

    assert parse_lines(lines).init_reports == [
        InitReport(9999.76, "init", "timeout"),
        InitReport(1200.5, "invoke", "error", "Runtime.ExitError"),
    ]


def test_a_json_platform_report_parses_with_its_timestamp_and_trace() -> None:
    event = {
        "time": "2025-10-01T12:00:00.000Z",
        "type": "platform.report",
        "record": {
            "requestId": RID,
            "status": "success",
            "metrics": {
                "durationMs": 120.5,
                "billedDurationMs": 700,
                "memorySizeMB": 512,
                "maxMemoryUsedMB": 90,
                "initDurationMs": 578.9,
            },
            "tracing": {"type": "X-Amzn-Trace-Id", "value": "Root=1-abc-def;Parent=12;Sampled=1"},
        },
    }

    assert one_report(json.dumps(event)) == ReportRecord(
        RID, 120.5, 700, 512, 90, init_ms=578.9, trace_id="1-abc-def", timestamp_ms=1759320000000
    )


def test_a_json_timeout_and_a_json_failure_map_to_timeout_and_error() -> None:
    def record(status: str) -> str:
        metrics = {
            "durationMs": 3000.0,
            "billedDurationMs": 3000,
            "memorySizeMB": 128,
            "maxMemoryUsedMB": 60,
        }
        body = {"requestId": RID, "status": status, "metrics": metrics}
        if status == "failure":
            body["errorType"] = "Runtime.OutOfMemory"
        return json.dumps({"time": None, "type": "platform.report", "record": body})

    parsed = parse_lines([record("timeout"), record("failure")])

    assert [(r.status, r.error_type) for r in parsed.reports] == [
        ("timeout", None),
        ("error", "Runtime.OutOfMemory"),
    ]


def test_json_init_report_and_init_start_parse() -> None:
    lines = [
        json.dumps(
            {
                "time": "2025-10-01T12:00:00.000Z",
                "type": "platform.initReport",
                "record": {
                    "initializationType": "on-demand",
                    "phase": "init",
                    "status": "timeout",
                    "metrics": {"durationMs": 10000.0},
                },
            }
        ),
        json.dumps(
            {
                "time": "2025-10-01T12:00:00.000Z",
                "type": "platform.initStart",
                "record": {
                    "initializationType": "snap-start",
                    "phase": "init",
                    "runtimeVersion": "python:3.13.v27",
                },
            }
        ),
    ]
    parsed = parse_lines(lines)

    assert (parsed.init_reports, parsed.init_starts) == (
        [InitReport(10000.0, "init", "timeout", timestamp_ms=1759320000000)],
        [InitStart("python:3.13.v27", "snap-start", 1759320000000)],
    )


def test_unknown_shapes_are_counted_never_raised() -> None:
    lines = [
        "REPORT RequestId: broken",
        '{"type": "platform.report", "record": {"requestId": "x"}}',
        "START RequestId: x Version: $LATEST",
        '{"level": "INFO", "message": "application log"}',
        "not json {",
    ]

    assert parse_lines(lines) == ParsedLogs(
        other_lines=3,
        malformed=2,
        malformed_samples=[lines[0], lines[1]],
    )
