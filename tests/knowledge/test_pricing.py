"""Prices, tiers, INIT billing eras and CPU share, checked against hand-computed values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lambda_specialist.knowledge.compute import core_count, vcpu_share
from lambda_specialist.knowledge.pricing import (
    billed_init_since,
    duration_cost,
    invocation_cost,
    pc_break_even_utilization,
    prices_for,
    provisioned_cost,
)
from lambda_specialist.tools.logparse import ReportRecord


def test_one_second_at_1024_mb_on_x86_costs_the_gb_second_price_plus_a_request() -> None:
    cost = invocation_cost(
        memory_mb=1024, billed_ms=1000, architecture="x86_64", region="us-east-1"
    )

    assert cost == pytest.approx(0.0000002 + 0.0000166667)


def test_200_ms_at_512_mb_on_arm64_uses_the_arm_price() -> None:
    cost = invocation_cost(memory_mb=512, billed_ms=200, architecture="arm64", region="us-east-1")

    assert cost == pytest.approx(0.0000002 + 0.0000133334 * 0.5 * 0.2)


def test_ephemeral_storage_above_512_mb_is_charged_per_gb_second() -> None:
    cost = invocation_cost(
        memory_mb=128, billed_ms=1000, architecture="x86_64", region="us-east-1", ephemeral_mb=2048
    )

    assert cost == pytest.approx(0.0000002 + 0.0000166667 * 0.125 + 0.0000000309 * 1.5)


def test_a_surcharged_region_has_its_own_duration_and_request_price() -> None:
    cost = invocation_cost(
        memory_mb=1024, billed_ms=1000, architecture="x86_64", region="eu-south-1"
    )

    assert cost == pytest.approx(0.00000023 + 0.0000195172)


def test_an_unlisted_region_is_priced_as_us_east_1_and_flagged() -> None:
    prices = prices_for("ap-east-2")

    assert (prices.x86_gbs, prices.is_listed) == (0.0000166667, False)


@pytest.mark.parametrize(
    ("architecture", "gb_seconds", "expected"),
    [
        ("x86_64", 7e9, 0.0000166667 * (6e9 + 1e9 * 0.9)),
        ("x86_64", 16e9, 0.0000166667 * (6e9 + 9e9 * 0.9 + 1e9 * 0.8)),
        ("arm64", 7e9, 0.0000133334 * 7e9),
        ("arm64", 8e9, 0.0000133334 * (7.5e9 + 0.5e9 * 0.9)),
    ],
)
def test_monthly_duration_cost_applies_the_volume_tiers(
    architecture: str, gb_seconds: float, expected: float
) -> None:
    cost = duration_cost(gb_seconds, architecture=architecture, region="us-east-1")

    assert cost == pytest.approx(expected)


def test_init_is_billed_since_august_2025_for_zip_functions_on_managed_runtimes() -> None:
    assert (
        billed_init_since("Zip", "python3.12"),
        billed_init_since("Image", None),
        billed_init_since("Zip", "provided.al2023"),
    ) == (datetime(2025, 8, 1, tzinfo=UTC), None, None)


def test_the_billed_duration_of_each_era_prices_a_cold_start_differently() -> None:
    before = ReportRecord("a", 100.0, 100, 1024, 80, init_ms=500.0)
    after = ReportRecord("b", 100.0, 600, 1024, 80, init_ms=500.0)
    costs = [
        invocation_cost(
            memory_mb=r.memory_mb, billed_ms=r.billed_ms, architecture="x86_64", region="us-east-1"
        )
        for r in (before, after)
    ]

    assert (before.bills_init, after.bills_init) == (False, True)
    assert costs == pytest.approx([0.0000002 + 0.0000166667 * 0.1, 0.0000002 + 0.0000166667 * 0.6])


def test_provisioned_concurrency_breaks_even_at_sixty_percent_utilization_on_x86() -> None:
    assert pc_break_even_utilization("x86_64", "us-east-1") == pytest.approx(
        0.0000041667 / (0.0000166667 - 0.0000097222)
    )


def test_provisioned_concurrency_bills_allocation_in_five_minute_steps() -> None:
    cost = provisioned_cost(
        memory_mb=1024, concurrency=2, hours=1.01, executed_gb_seconds=100, architecture="x86_64"
    )

    assert cost == pytest.approx(2 * 1 * 3900 * 0.0000041667 + 100 * 0.0000097222)


@pytest.mark.parametrize(
    ("memory_mb", "cores"), [(128, 2), (3008, 2), (3009, 3), (5308, 4), (7077, 5), (10240, 6)]
)
def test_the_core_count_steps_up_at_the_measured_sizes(memory_mb: int, cores: int) -> None:
    assert core_count(memory_mb) == cores


def test_1769_mb_is_one_vcpu() -> None:
    assert (vcpu_share(1769), round(vcpu_share(10240), 2)) == (1.0, 5.79)
