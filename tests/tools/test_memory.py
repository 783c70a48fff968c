"""suggest_memory on the seeded account: each known duration curve yields its optimal size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from botocore.stub import Stubber

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo.resources import code_package
from lambda_specialist.demo.scenario import function_specs
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.demo.workload import DurationCurve
from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError
from lambda_specialist.knowledge.pricing import invocation_cost
from lambda_specialist.tools.log_evidence import ComputeOptimizerView, read_compute_optimizer
from lambda_specialist.tools.memory import MemorySuggestion, suggest_memory
from lambda_specialist.tools.memory_model import candidate_sizes

PROBE = "memory-probe"
CURVES = {
    spec.name: (spec.workload.curve, spec.memory_mb)
    for spec in function_specs(region="us-east-1", account_id="123456789012")
    if spec.workload.curve is not None
}


def true_scores(curve: DurationCurve, sizes: list[int], strategy: str) -> dict[int, float]:
    """Score every size from the known curve alone, relative to the best (1.0 is optimal)."""
    costs = {
        m: invocation_cost(
            memory_mb=m, billed_ms=curve.median_ms(m), architecture="arm64", region="us-east-1"
        )
        for m in sizes
    }
    times = {m: curve.median_ms(m) for m in sizes}
    weight = 1.0 if strategy == "cost" else 0.5
    scores = {
        m: weight * costs[m] / min(costs.values()) + (1 - weight) * times[m] / min(times.values())
        for m in sizes
    }
    return {m: score / min(scores.values()) for m, score in scores.items()}


@pytest.fixture(scope="module")
def suggestions(mock_account: MockAccount) -> dict[tuple[str, str], MemorySuggestion]:
    ctx = mock_account.context()
    return {
        (name, strategy): suggest_memory(ctx, function_name=name, strategy=strategy)
        for name in CURVES
        for strategy in ("balanced", "cost")
    }


@pytest.fixture(scope="module")
def probe(mock_account: MockAccount) -> Iterator[str]:
    """A function with a version and an alias, and no log group; deleted afterwards."""
    ctx = mock_account.context()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = ctx.call(
        "iam", "create_role", RoleName=f"{PROBE}-role", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    ctx.call(
        "lambda",
        "create_function",
        FunctionName=PROBE,
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": code_package("app.handler", "python3.12")},
        MemorySize=256,
    )
    version = ctx.call("lambda", "publish_version", FunctionName=PROBE)["Version"]
    ctx.call("lambda", "create_alias", FunctionName=PROBE, Name="live", FunctionVersion=version)
    yield PROBE
    ctx.call("lambda", "delete_function", FunctionName=PROBE)
    ctx.call("iam", "delete_role", RoleName=f"{PROBE}-role")


@pytest.mark.parametrize("strategy", ["balanced", "cost"])
@pytest.mark.parametrize("name", sorted(CURVES))
def test_each_known_curve_gets_a_size_within_two_percent_of_its_true_optimum(
    suggestions: dict[tuple[str, str], MemorySuggestion], name: str, strategy: str
) -> None:
    result = suggestions[(name, strategy)]
    curve, current = CURVES[name]
    assert curve is not None
    scores = true_scores(curve, candidate_sizes(result.memory_floor_mb, current), strategy)

    assert (result.verdict in ("change", "keep"), result.confidence) == (True, "high")
    assert scores[result.recommended_memory_mb] <= 1.02


@pytest.mark.parametrize(
    ("name", "bottleneck"),
    [
        ("notify-email", "io-bound"),
        ("pdf-renderer", "mixed"),
        ("recommendations", "cpu-bound-single-threaded"),
        ("thumbnail-generator", "cpu-bound-multi-threaded"),
    ],
)
def test_the_bottleneck_class_is_read_from_earlier_memory_sizes(
    suggestions: dict[tuple[str, str], MemorySuggestion], name: str, bottleneck: str
) -> None:
    result = suggestions[(name, "balanced")]

    assert (result.bottleneck, result.evidence.sizes_observed >= 2) == (bottleneck, True)


def test_the_fitted_model_recovers_the_mixed_curve_of_pdf_renderer(
    suggestions: dict[tuple[str, str], MemorySuggestion],
) -> None:
    model = suggestions[("pdf-renderer", "balanced")].model
    assert model is not None
    # The spread around the curve is skewed: its median is about 1.07 times the curve.
    assert (model.io_ms / 400, model.cpu_ms / 500) == (
        pytest.approx(1.07, rel=0.1),
        pytest.approx(1.07, rel=0.1),
    )


def test_one_memory_size_is_not_enough_for_a_balanced_answer(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="orders-api")

    assert (result.verdict, result.recommended_memory_mb, result.bottleneck) == (
        "insufficient_evidence",
        128,
        "unknown",
    )
    assert len(result.evidence_gaps) == 1


def test_one_memory_size_is_enough_for_the_cheapest_safe_size(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="orders-api", strategy="cost")

    assert (result.verdict, result.recommended_memory_mb, result.confidence) == (
        "change",
        128,
        "medium",
    )


def test_out_of_memory_kills_raise_the_floor_above_the_size_that_failed(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="legacy-invoice-export", strategy="cost")

    assert (result.memory_floor_mb, result.recommended_memory_mb > 512) == (576, True)
    assert result.risks[0].startswith("out-of-memory kills")


def test_a_p99_limit_rules_out_the_slow_sizes(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="pdf-renderer", strategy="cost", max_p99_ms=2500)
    chosen = next(c for c in result.candidates if c.memory_mb == result.recommended_memory_mb)

    assert (chosen.p99_ms <= 2500, result.recommended_memory_mb > 512) == (True, True)


def test_without_arm64_the_architecture_stays(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="pdf-renderer", consider_arm64=False)

    assert result.recommended_architecture == "x86_64"


def test_compute_optimizer_is_reported_unavailable_on_the_mock(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="notify-email")

    assert (result.compute_optimizer, result.compute_optimizer_note) == (
        None,
        "Compute Optimizer not consulted: it is not available on the embedded mock account",
    )


def test_a_function_without_a_log_group_gets_a_clear_answer(ctx_: AwsContext, probe: str) -> None:
    result = suggest_memory(ctx_, function_name=probe)

    assert (result.verdict, result.evidence.report_lines) == ("insufficient_evidence", 0)
    assert result.evidence_gaps[0].startswith(f"log group /aws/lambda/{probe} does not exist")


def test_a_window_without_logs_gets_a_clear_answer(ctx_: AwsContext) -> None:
    result = suggest_memory(ctx_, function_name="orders-api", now=datetime(2020, 1, 1, tzinfo=UTC))

    assert (result.verdict, result.evidence_gaps[0].startswith("no REPORT lines")) == (
        "insufficient_evidence",
        True,
    )


def test_an_alias_arn_reads_that_alias_configuration(ctx_: AwsContext, probe: str) -> None:
    arn = f"arn:aws:lambda:us-east-1:123456789012:function:{probe}:live"
    result = suggest_memory(ctx_, function_name=arn)

    assert (result.function_name, result.qualifier, result.current_memory_mb) == (
        probe,
        "live",
        256,
    )


def test_an_unknown_alias_is_not_found(ctx_: AwsContext, probe: str) -> None:
    with pytest.raises(ResourceNotFoundError):
        suggest_memory(ctx_, function_name=f"123456789012:function:{probe}:nope")


@pytest.mark.parametrize(
    "arguments",
    [{"balanced_weight": 1.5}, {"max_timeout_share": 0}, {"days": 0}, {"max_events": 5}],
)
def test_arguments_out_of_range_are_refused(ctx_: AwsContext, arguments: dict[str, float]) -> None:
    with pytest.raises(InvalidInputError):
        suggest_memory(ctx_, function_name="orders-api", **arguments)  # type: ignore[arg-type]


def test_compute_optimizer_recommendations_are_read_with_the_lambda_enums(
    ctx_: AwsContext,
) -> None:
    # moto has no Compute Optimizer backend (its server answers 500), so the read is stubbed.
    arn = "arn:aws:lambda:us-east-1:123456789012:function:orders-api"
    client = ctx_.factory.client(ctx_.target, "compute-optimizer")
    response = {
        "lambdaFunctionRecommendations": [
            {
                "functionArn": arn,
                "finding": "NotOptimized",
                "findingReasonCodes": ["MemoryOverprovisioned"],
                "memorySizeRecommendationOptions": [
                    {
                        "rank": 2,
                        "memorySize": 256,
                        "projectedUtilizationMetrics": [],
                    },
                    {
                        "rank": 1,
                        "memorySize": 192,
                        "projectedUtilizationMetrics": [
                            {"name": "Duration", "statistic": "Expected", "value": 310.0}
                        ],
                        "savingsOpportunity": {
                            "savingsOpportunityPercentage": 20.0,
                            "estimatedMonthlySavings": {"currency": "USD", "value": 1.25},
                        },
                    },
                ],
            }
        ]
    }
    with Stubber(client) as stub:
        stub.add_response("get_lambda_function_recommendations", response, {"functionArns": [arn]})
        view = read_compute_optimizer(ctx_, arn)

    assert view == ComputeOptimizerView(
        finding="NotOptimized",
        reasons=["MemoryOverprovisioned"],
        recommended_mb=192,
        projected_duration_ms=310.0,
        monthly_savings_usd=1.25,
    )


@pytest.fixture
def ctx_(mock_account: MockAccount) -> AwsContext:
    return mock_account.context()
