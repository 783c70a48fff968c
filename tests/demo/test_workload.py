"""The seeded logs and metrics tell each function's story, consistently with each other."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo import FUNCTION_NAMES
from lambda_specialist.demo.scenario import function_specs
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.demo.workload import (
    LINES_PER_DAY,
    WINDOW_HOURS,
    build_logs,
    generate_invocations,
    window_hours,
)

TRACED = {"pdf-renderer", "recommendations", "health-check"}
REPORT = re.compile(
    r"^REPORT RequestId: [0-9a-f-]{36}\tDuration: (?P<duration>\d+\.\d\d) ms\t"
    r"Billed Duration: \d+ ms\tMemory Size: (?P<memory>\d+) MB\t"
    r"Max Memory Used: (?P<used>\d+) MB\t(Init Duration: \d+\.\d\d ms\t)?"
    r"(Status: (timeout|error\tError Type: Runtime\.OutOfMemory)\t)?\n"
    r"(XRAY TraceId: 1-[0-9a-f]{8}-[0-9a-f]{24}\tSegmentId: [0-9a-f]{16}\tSampled: true\t\n)?$"
)
INIT_START = re.compile(
    r"^INIT_START Runtime Version: (python|nodejs):[\d.]+\.v\d+\t"
    r"Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$"
)
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def logs(mock_account: MockAccount) -> dict[str, list[dict[str, Any]]]:
    """Every stored log event of every seeded function."""
    ctx = mock_account.context()
    return {
        name: ctx.paginate(
            "logs", "filter_log_events", "events", logGroupName=f"/aws/lambda/{name}"
        )
        for name in FUNCTION_NAMES
    }


def reports(events: list[dict[str, Any]]) -> list[str]:
    return [event["message"] for event in events if event["message"].startswith("REPORT")]


def metric_sum(ctx: AwsContext, name: str, metric: str) -> float:
    end = datetime.now(UTC) + timedelta(hours=1)
    points = ctx.call(
        "cloudwatch",
        "get_metric_statistics",
        Namespace="AWS/Lambda",
        MetricName=metric,
        Dimensions=[{"Name": "FunctionName", "Value": name}],
        StartTime=end - timedelta(days=15),
        EndTime=end,
        Period=86_400,
        Statistics=["Sum"],
    )["Datapoints"]
    return float(sum(point["Sum"] for point in points))


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_every_platform_line_has_the_lambda_text_format(
    logs: dict[str, list[dict[str, Any]]], name: str
) -> None:
    odd = [
        event["message"]
        for event in logs[name]
        if not (
            REPORT.match(event["message"])
            or INIT_START.match(event["message"])
            or "Task timed out after" in event["message"]
        )
    ]

    assert odd == []


def test_orders_api_cold_starts_are_six_to_ten_percent_of_invocations(
    logs: dict[str, list[dict[str, Any]]],
) -> None:
    lines = reports(logs["orders-api"])
    share = sum("Init Duration" in line for line in lines) / len(lines)

    assert 0.06 <= share <= 0.10


def test_orders_api_cold_starts_take_600_to_900_ms(logs: dict[str, list[dict[str, Any]]]) -> None:
    inits = [
        float(value)
        for line in reports(logs["orders-api"])
        for value in re.findall(r"Init Duration: (\d+\.\d\d) ms", line)
    ]

    assert (min(inits) >= 600, max(inits) <= 900) == (True, True)


def test_orders_api_times_out_at_three_seconds_a_few_times_a_day(
    logs: dict[str, list[dict[str, Any]]],
) -> None:
    timeouts = [line for line in reports(logs["orders-api"]) if "Status: timeout" in line]
    per_day = Counter(
        event["timestamp"] // DAY_MS
        for event in logs["orders-api"]
        if "Status: timeout" in event["message"]
    )

    assert all("Duration: 3000.00 ms" in line for line in timeouts)
    assert 2 <= sum(per_day.values()) / len(per_day) <= 4


def test_legacy_invoice_export_ran_out_of_memory_two_or_three_times(
    logs: dict[str, list[dict[str, Any]]],
) -> None:
    lines = reports(logs["legacy-invoice-export"])
    out_of_memory = [line for line in lines if "Runtime.OutOfMemory" in line]

    assert len(out_of_memory) in {2, 3}
    assert all("Max Memory Used: 512 MB" in line for line in out_of_memory)


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_every_cold_start_is_announced_by_an_init_start_line(
    logs: dict[str, list[dict[str, Any]]], name: str
) -> None:
    messages = [event["message"] for event in logs[name]]

    assert sum(m.startswith("INIT_START") for m in messages) == sum(
        "Init Duration" in m for m in messages
    )


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_only_traced_functions_log_xray_trace_ids(
    logs: dict[str, list[dict[str, Any]]], name: str
) -> None:
    lines = reports(logs[name])
    traced = {"XRAY TraceId" in line for line in lines}

    assert traced == {name in TRACED}


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_no_function_stores_much_more_than_the_daily_line_cap(
    logs: dict[str, list[dict[str, Any]]], name: str
) -> None:
    per_day = Counter(event["timestamp"] // DAY_MS for event in logs[name])

    assert max(per_day.values()) <= LINES_PER_DAY * 1.1


def test_every_log_event_is_from_the_last_fourteen_days(
    logs: dict[str, list[dict[str, Any]]],
) -> None:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    stamps = [event["timestamp"] for events in logs.values() for event in events]

    assert (min(stamps) > now_ms - 14 * DAY_MS, max(stamps) <= now_ms) == (True, True)


@pytest.mark.parametrize("name", ["orders-api", "legacy-invoice-export"])
def test_the_errors_metric_counts_every_failure_in_the_logs(
    ctx: AwsContext, logs: dict[str, list[dict[str, Any]]], name: str
) -> None:
    failures = sum("Status:" in line for line in reports(logs[name]))

    assert metric_sum(ctx, name, "Errors") == failures


def test_orders_api_is_invoked_about_two_thousand_times_a_day(ctx: AwsContext) -> None:
    per_day = metric_sum(ctx, "orders-api", "Invocations") / (WINDOW_HOURS / 24)

    assert 1800 <= per_day <= 2200


def test_every_function_reports_all_five_lambda_metrics(ctx: AwsContext) -> None:
    metrics = ctx.paginate("cloudwatch", "list_metrics", "Metrics", Namespace="AWS/Lambda")
    seen = {(m["Dimensions"][0]["Value"], m["MetricName"]) for m in metrics}

    assert seen == {
        (name, metric)
        for name in FUNCTION_NAMES
        for metric in ("Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions")
    }


def test_the_window_is_the_hours_before_now_truncated_to_the_hour() -> None:
    now = datetime(2026, 3, 14, 15, 9, 26, tzinfo=UTC)
    hours = window_hours(now)

    assert (len(hours), hours[0], hours[-1]) == (
        WINDOW_HOURS,
        datetime(2026, 2, 28, 17, tzinfo=UTC),
        datetime(2026, 3, 14, 14, tzinfo=UTC),
    )


def test_the_same_function_and_window_generate_the_same_log_lines() -> None:
    [spec] = [
        s
        for s in function_specs(region="us-east-1", account_id="123456789012")
        if s.name == "orders-api"
    ]
    hours = window_hours(datetime(2026, 3, 14, 15, tzinfo=UTC))

    def generate() -> Any:
        rng = random.Random(spec.name)
        invocations = generate_invocations(spec.profile("us-east-1"), hours, rng)
        return build_logs(spec.profile("us-east-1"), invocations, rng)

    assert generate() == generate()
