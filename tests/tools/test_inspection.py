"""inspect_function on the seeded account finds what was seeded, and nothing secret leaks."""

from __future__ import annotations

import pytest

from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.demo.scenario import CANARY_VALUES, FUNCTION_NAMES, HEALTHY_FUNCTIONS
from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.functions import list_functions
from lambda_specialist.tools.inspection import FunctionInspection, inspect_function

SEEDED_PROBLEMS = {
    "orders-api": {"TR-01", "FN-06"},
    "legacy-invoice-export": {"RT-01", "AS-01", "FN-14"},
    "inventory-stream-processor": {"ES-01", "ES-02", "ES-03"},
    "payment-queue-worker": {"SQ-01", "SQ-02", "SQ-03"},
    "thumbnail-generator": {"AS-01"},
    "notify-sms": {"AS-01", "AS-03"},
    "notify-analytics": {"AS-01", "AS-03"},
    "promo-webhook": {"FN-02", "FN-03"},
    "customer-sync": {"FN-07", "FN-08", "IA-01", "IA-02", "RT-03"},
}


def inspect(factory: ClientFactory, name: str) -> FunctionInspection:
    return inspect_function(factory.context(), function_name=name)


@pytest.mark.parametrize("name", sorted(SEEDED_PROBLEMS))
def test_each_seeded_problem_is_found(factory: ClientFactory, name: str) -> None:
    found = {f.id for f in inspect(factory, name).findings}

    assert SEEDED_PROBLEMS[name] <= found


@pytest.mark.parametrize("name", sorted(HEALTHY_FUNCTIONS))
def test_a_healthy_function_has_no_high_or_critical_finding(
    factory: ClientFactory, name: str
) -> None:
    severe = [
        f.id for f in inspect(factory, name).findings if f.severity.value in {"critical", "high"}
    ]

    assert severe == []


def test_orders_api_tracing_finding_is_medium_because_it_is_api_facing(
    factory: ClientFactory,
) -> None:
    result = inspect(factory, "orders-api")

    assert [f.severity.value for f in result.findings if f.id == "TR-01"] == ["medium"]
    assert [s.service for s in result.event_sources] == ["apigateway"]


def test_the_stream_consumer_shows_its_mapping_settings(factory: ClientFactory) -> None:
    result = inspect(factory, "inventory-stream-processor")

    (mapping,) = result.event_sources
    assert (
        mapping.service,
        mapping.details["maximum_retry_attempts"],
        mapping.details["on_failure_destination"],
    ) == ("dynamodb", -1, None)


def test_the_sqs_consumer_reads_the_queue_behind_the_mapping(factory: ClientFactory) -> None:
    result = inspect(factory, "payment-queue-worker")

    (mapping,) = result.event_sources
    assert (mapping.details["visibility_timeout_s"], mapping.details["dead_letter_queue"]) == (
        120,
        None,
    )


def test_every_result_says_which_account_it_read(factory: ClientFactory) -> None:
    context = inspect(factory, "health-check").context

    assert (context.account_id, context.region, context.is_mock) == (
        "123456789012",
        "us-east-1",
        True,
    )


def test_reads_the_mock_cannot_answer_are_not_evaluated(factory: ClientFactory) -> None:
    skipped = {s.check_id for s in inspect(factory, "health-check").not_evaluated}

    assert {"AS-06", "RT-04"} <= skipped


def test_no_environment_value_appears_in_any_inspection(factory: ClientFactory) -> None:
    dumps = "".join(inspect(factory, name).model_dump_json() for name in FUNCTION_NAMES)

    assert [v for v in CANARY_VALUES if v in dumps] == []


def test_environment_variables_are_listed_by_name(factory: ClientFactory) -> None:
    names = inspect(factory, "customer-sync").function.environment_variable_names

    assert "DB_PASSWORD" in names


def test_an_unknown_function_suggests_the_closest_names(factory: ClientFactory) -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        inspect(factory, "orders-apy")

    assert "'orders-api'" in str(caught.value)


def test_a_function_arn_in_another_region_is_refused_with_the_region_to_use(
    factory: ClientFactory,
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        inspect(factory, "arn:aws:lambda:eu-west-1:123456789012:function:orders-api")

    assert "region='eu-west-1'" in str(caught.value)


def test_a_malformed_arn_is_refused(factory: ClientFactory) -> None:
    with pytest.raises(InvalidInputError):
        inspect(factory, "arn:aws:lambda:us-east-1:function:orders-api")


def test_list_functions_sees_every_seeded_function(factory: ClientFactory) -> None:
    result = list_functions(factory.context())

    assert [f.name for f in result.functions] == sorted(FUNCTION_NAMES)


def test_list_functions_filters_by_runtime(factory: ClientFactory) -> None:
    result = list_functions(factory.context(), runtime="python3.9")

    assert [f.name for f in result.functions] == ["legacy-invoice-export"]
