"""Runtime lifecycle checks (RT-01..RT-04) on functions created in moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lambda_specialist.knowledge.runtimes import RUNTIMES
from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario, fires


def runtime_where(days_from_today: tuple[int, int], *, os: str | None = None) -> str:
    """The first runtime of the table whose deprecation is within the given days from today."""
    today = datetime.now(UTC).date()
    low, high = days_from_today
    for runtime in RUNTIMES.values():
        days = (runtime.deprecation - today).days
        if low < days <= high and (os is None or runtime.os == os):
            return runtime.identifier
    pytest.skip(f"no runtime deprecates {low}..{high} days from {today}{' on ' + os if os else ''}")


def a_deprecated_runtime(aws: MotoAccount) -> None:
    aws.function(Runtime="python3.8")


def a_runtime_deprecating_soon(aws: MotoAccount) -> None:
    aws.function(Runtime=runtime_where((0, 180)))


def a_runtime_on_amazon_linux_2(aws: MotoAccount) -> None:
    aws.function(Runtime=runtime_where((0, 100 * 365), os="AL2"))


def a_current_runtime(aws: MotoAccount) -> None:
    aws.function(Runtime=runtime_where((365, 100 * 365), os="AL2023"))


def a_pinned_runtime_version(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 does not implement GetRuntimeManagementConfig: answer as AWS does.
    aws.answer(
        "lambda",
        "GetRuntimeManagementConfig",
        {
            "UpdateRuntimeOn": "Manual",
            "RuntimeVersionArn": "arn:aws:lambda:us-east-1::runtime:0f1e2d3c",
        },
    )


def runtime_updates_on_auto(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 does not implement GetRuntimeManagementConfig: answer as AWS does.
    aws.answer("lambda", "GetRuntimeManagementConfig", {"UpdateRuntimeOn": "Auto"})


FIRING: dict[str, Scenario] = {
    "RT-01": a_deprecated_runtime,
    "RT-02": a_runtime_deprecating_soon,
    "RT-03": a_runtime_on_amazon_linux_2,
    "RT-04": a_pinned_runtime_version,
}
QUIET: dict[str, Scenario] = {
    "RT-01": a_current_runtime,
    "RT-02": a_current_runtime,
    "RT-03": a_current_runtime,
    "RT-04": runtime_updates_on_auto,
}


def test_a_deprecated_runtime_is_not_also_reported_as_deprecating_or_on_al2(
    aws: MotoAccount,
) -> None:
    a_deprecated_runtime(aws)

    assert aws.finding_ids() & {"RT-01", "RT-02", "RT-03"} == {"RT-01"}


def test_an_unimplemented_runtime_management_read_leaves_rt_04_not_evaluated(
    aws: MotoAccount,
) -> None:
    aws.function()

    result = aws.inspect()

    assert [n.check_id for n in result.not_evaluated if n.check_id == "RT-04"] == ["RT-04"]
    assert not fires("RT-04", result)


def test_the_deprecation_date_in_the_finding_comes_from_the_runtime_table(
    aws: MotoAccount,
) -> None:
    a_deprecated_runtime(aws)

    (finding,) = [f for f in aws.inspect().findings if f.id == "RT-01"]

    assert finding.evidence["deprecated_on"] == RUNTIMES["python3.8"].deprecation.isoformat()
    assert timedelta(0) < datetime.now(UTC).date() - RUNTIMES["python3.8"].deprecation
