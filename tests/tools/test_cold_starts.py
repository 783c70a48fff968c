"""analyze_cold_starts on the seeded account: rates, INIT cost and which fixes pay."""

from __future__ import annotations

import pytest

from lambda_specialist.demo.server import MockAccount
from lambda_specialist.tools.cold_starts import ColdStartAnalysis, analyze_cold_starts


@pytest.fixture(scope="module")
def orders(mock_account: MockAccount) -> ColdStartAnalysis:
    return analyze_cold_starts(mock_account.context(), function_name="orders-api")


def test_orders_api_starts_cold_on_six_to_ten_percent_of_invocations(
    orders: ColdStartAnalysis,
) -> None:
    assert 0.06 <= orders.cold_start_rate <= 0.10
    assert all(row.invocations > 0 for row in orders.daily)


def test_orders_api_init_takes_600_to_900_ms_and_is_billed(orders: ColdStartAnalysis) -> None:
    assert orders.init_p50_ms is not None and orders.init_p99_ms is not None
    assert (600 <= orders.init_p50_ms <= orders.init_p99_ms <= 900, orders.init_billed) == (
        True,
        "yes",
    )
    assert 0 < orders.init_share_of_billed_time < 0.2


def test_provisioned_concurrency_is_not_advised_for_a_mostly_idle_api(
    orders: ColdStartAnalysis,
) -> None:
    actions = {action.action: action for action in orders.actions}

    assert (actions["provisioned_concurrency"].applies, actions["snapstart"].applies) == (
        False,
        True,
    )
    assert actions["provisioned_concurrency"].monthly_cost_delta_usd is not None
    assert actions["provisioned_concurrency"].monthly_cost_delta_usd > 0


def test_snapstart_is_not_offered_to_a_nodejs_function(mock_account: MockAccount) -> None:
    result = analyze_cold_starts(mock_account.context(), function_name="promo-webhook")
    snapstart = next(action for action in result.actions if action.action == "snapstart")

    assert (snapstart.applies, snapstart.why) == (
        False,
        "nodejs22.x does not support SnapStart",
    )


def test_the_timeouts_of_orders_api_are_counted(orders: ColdStartAnalysis) -> None:
    assert orders.timeouts > 0
