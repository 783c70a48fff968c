"""Seeding twice with the same "now" gives the same account, quietly, and reports its time."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo import FUNCTION_NAMES, SeedReport
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.errors import ResourceNotFoundError

# Values AWS (and moto) generate afresh for every resource, so they differ between seeds.
VOLATILE_KEYS = {
    "LastModified",
    "RevisionId",
    "UUID",
    "RoleId",
    "CreateDate",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "SubscriptionArn",
    "creationTime",
    "arn",
    "logGroupArn",
    "storedBytes",
    "firstEventTimestamp",
    "lastEventTimestamp",
    "lastIngestionTime",
    "uploadSequenceToken",
    "ingestionTime",
    "eventId",
    "Location",
    "CreationDateTime",
    "LatestStreamLabel",
    "LatestStreamArn",
    "TableId",
    "TableArn",
    "StreamArn",
    "EventSourceArn",
    "EventSourceMappingArn",
    "LastProcessedResult",
    "StateTransitionReason",
    "CreatedDate",
}


@dataclass(frozen=True)
class SeedRun:
    """One seed of a clean account: its report and a snapshot of what it created."""

    report: SeedReport
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class TwoSeeds:
    """Two seeds with the same "now", and what they printed on stdout."""

    first: SeedRun
    second: SeedRun
    stdout: str


@pytest.fixture(scope="module")
def two_seeds(
    mock_account: MockAccount,
    stdout_capture: Callable[[], contextlib.AbstractContextManager[Any]],
) -> TwoSeeds:
    """Reset and seed the account twice with the same "now"; it stays seeded afterwards."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    runs = []
    with stdout_capture() as captured:
        for _ in range(2):
            mock_account.reset()
            report = mock_account.seed(now=now)
            runs.append(SeedRun(report=report, snapshot=snapshot(mock_account.context())))
    return TwoSeeds(first=runs[0], second=runs[1], stdout=captured.text)


def test_two_seeds_with_the_same_now_create_the_same_resources(two_seeds: TwoSeeds) -> None:
    first = {key: value for key, value in two_seeds.first.snapshot.items() if key != "logs"}
    second = {key: value for key, value in two_seeds.second.snapshot.items() if key != "logs"}

    assert first == second


def test_two_seeds_with_the_same_now_write_the_same_log_lines(two_seeds: TwoSeeds) -> None:
    assert two_seeds.first.snapshot["logs"] == two_seeds.second.snapshot["logs"]


def test_two_seeds_with_the_same_now_report_the_same_counts(two_seeds: TwoSeeds) -> None:
    def counts(report: SeedReport) -> dict[str, Any]:
        return report.model_dump(exclude={"seconds"})

    assert counts(two_seeds.first.report) == counts(two_seeds.second.report)


def test_seeding_prints_nothing_on_stdout(two_seeds: TwoSeeds) -> None:
    assert two_seeds.stdout == ""


def test_the_seed_reports_how_long_it_took(two_seeds: TwoSeeds) -> None:
    seconds = [two_seeds.first.report.seconds, two_seeds.second.report.seconds]

    assert all(0 < value < 60 for value in seconds)


def test_the_seeded_window_ends_at_the_given_hour_and_spans_almost_two_weeks(
    two_seeds: TwoSeeds,
) -> None:
    report = two_seeds.first.report

    assert (report.window_end - report.window_start, report.window_end.minute) == (
        timedelta(hours=334),
        0,
    )


def snapshot(ctx: AwsContext) -> dict[str, Any]:
    """Return what the seed created, without the values every seed generates afresh."""
    functions = {}
    for name in FUNCTION_NAMES:
        functions[name] = {
            "configuration": ctx.call("lambda", "get_function_configuration", FunctionName=name),
            "policy": _policy(ctx, name),
            "mappings": ctx.call("lambda", "list_event_source_mappings", FunctionName=name),
            "invoke": ctx.call("lambda", "list_function_event_invoke_configs", FunctionName=name),
        }
    roles = {
        role["RoleName"]: {
            "role": role,
            "attached": ctx.call("iam", "list_attached_role_policies", RoleName=role["RoleName"]),
            "inline": ctx.call("iam", "list_role_policies", RoleName=role["RoleName"]),
        }
        for role in ctx.paginate("iam", "list_roles", "Roles")
    }
    result = {
        "functions": functions,
        "roles": roles,
        "queues": ctx.call("sqs", "list_queues"),
        "metrics": _metrics(ctx, "orders-api"),
        "logs": {name: _log_events(ctx, name) for name in FUNCTION_NAMES},
    }
    cleaned: dict[str, Any] = _without_volatile(result)
    return cleaned


def _policy(ctx: AwsContext, name: str) -> Any:
    try:
        return json.loads(ctx.call("lambda", "get_policy", FunctionName=name)["Policy"])
    except ResourceNotFoundError:
        return None


def _metrics(ctx: AwsContext, name: str) -> list[dict[str, Any]]:
    end = datetime.now(UTC)
    points = ctx.call(
        "cloudwatch",
        "get_metric_statistics",
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=[{"Name": "FunctionName", "Value": name}],
        StartTime=end - timedelta(days=15),
        EndTime=end,
        Period=3600,
        Statistics=["SampleCount", "Sum", "Maximum"],
    )["Datapoints"]
    return sorted(points, key=lambda point: point["Timestamp"])


def _log_events(ctx: AwsContext, name: str) -> list[tuple[str, int, str]]:
    events = ctx.paginate("logs", "filter_log_events", "events", logGroupName=f"/aws/lambda/{name}")
    return [(event["logStreamName"], event["timestamp"], event["message"]) for event in events]


def _without_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_without_volatile(item) for item in value]
    return value
