"""enable_tracing and disable_tracing against the mock account."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.errors import InvalidInputError
from lambda_specialist.knowledge.adot import adot_layer, runtime_family
from lambda_specialist.tools.audit_log import JsonLinesAuditStore
from lambda_specialist.tools.changes import ChangeRunner
from lambda_specialist.tools.tracing import (
    XRAY_INLINE_POLICY_NAME,
    PermissionGrant,
    disable_tracing,
    enable_tracing,
)
from lambda_specialist.tools.tracing_chain import UpstreamLink
from tests.tools.write_support import account_state, stable

XRAY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"


@pytest.fixture
def ctx(factory: ClientFactory) -> AwsContext:
    return factory.context()


@pytest.fixture
def runner(tmp_path: Path) -> ChangeRunner:
    return ChangeRunner(
        allow_writes=True, audit=JsonLinesAuditStore(tmp_path / "audit.jsonl"), sleep=lambda s: None
    )


def test_the_plan_grants_the_permission_then_turns_tracing_on(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    result = enable_tracing(ctx, runner, function_name="orders-api")

    assert [(s.call.operation, s.field, s.before, s.after) for s in result.plan.steps] == [
        ("attach_role_policy", f"AttachedPolicies[{XRAY}]", False, True),
        ("update_function_configuration", "TracingConfig.Mode", "PassThrough", "Active"),
    ]
    assert (result.role_can_write_traces, result.missing_actions) == (
        False,
        ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    )
    assert [s.call.operation for s in result.rollback.steps] == [
        "update_function_configuration",
        "detach_role_policy",
    ]


def test_the_api_gateway_the_mock_does_not_hold_is_reported_not_evaluated(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    result = enable_tracing(ctx, runner, function_name="orders-api")

    assert result.upstream == [
        UpstreamLink(
            source="API Gateway API a1b2c3d4e5",
            status="not_evaluated",
            detail="The function's resource policy names API a1b2c3d4e5, but no REST or HTTP "
            "API with that ID exists in this account and region.",
        )
    ]


def test_instrumentation_names_the_adot_layer_for_the_region_and_architecture(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    guide = enable_tracing(ctx, runner, function_name="recommendations").instrumentation

    assert guide is not None
    assert (guide.adot_layer_arn_prefix, guide.environment, str(guide.xray_sdk_end_of_support)) == (
        "arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython",
        {"AWS_LAMBDA_EXEC_WRAPPER": "/opt/otel-instrument"},
        "2027-02-25",
    )


def test_adot_layers_follow_the_regional_publisher_and_the_architecture() -> None:
    python = adot_layer("python", region="af-south-1", architecture="arm64")
    dotnet = adot_layer("dotnet", region="eu-west-1", architecture="arm64")

    assert (python and python.arn_prefix, dotnet and dotnet.arn_prefix) == (
        "arn:aws:lambda:af-south-1:904233096616:layer:AWSOpenTelemetryDistroPython",
        "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-arm64-ver-0-115-0",
    )
    assert (
        runtime_family("ruby3.3"),
        adot_layer("ruby", region="us-east-1", architecture="x86_64"),
    ) == (
        "ruby",
        None,
    )


def test_a_function_already_traced_with_permission_needs_no_change(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    result = enable_tracing(ctx, runner, function_name="pdf-renderer", apply=True)

    assert (result.plan.steps, result.changed, result.tracing_mode) == ([], False, "Active")


def test_enable_then_its_rollback_restores_the_function_and_role_exactly(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    before = account_state(ctx, "customer-sync")

    result = enable_tracing(ctx, runner, function_name="customer-sync", apply=True)
    traced = account_state(ctx, "customer-sync")
    runner.run(ctx, result.rollback, tool="rollback", apply=True)

    assert (traced["config"]["TracingConfig"], traced["config"]["Environment"]) == (
        {"Mode": "Active"},
        before["config"]["Environment"],
    )
    assert XRAY in [p["PolicyArn"] for p in traced["attached"]]
    assert stable(account_state(ctx, "customer-sync")) == stable(before)


def test_the_inline_grant_adds_a_least_privilege_statement(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    enable_tracing(
        ctx, runner, function_name="orders-api", apply=True, permission=PermissionGrant.INLINE
    )

    state = account_state(ctx, "orders-api")
    assert state["inline"][XRAY_INLINE_POLICY_NAME]["Statement"] == [
        {
            "Sid": "WriteTraces",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            "Resource": "*",
        }
    ]
    assert enable_tracing(ctx, runner, function_name="orders-api").role_can_write_traces


def test_disable_keeps_the_permission_unless_asked(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    kept = disable_tracing(ctx, runner, function_name="health-check", apply=True)
    removed = disable_tracing(
        ctx, runner, function_name="recommendations", apply=True, remove_permission=True
    )

    assert [s.call.operation for s in kept.applied_steps] == ["update_function_configuration"]
    assert [s.call.operation for s in removed.applied_steps] == [
        "update_function_configuration",
        "detach_role_policy",
    ]
    assert XRAY in [p["PolicyArn"] for p in account_state(ctx, "health-check")["attached"]]
    assert XRAY not in [p["PolicyArn"] for p in account_state(ctx, "recommendations")["attached"]]


def test_publish_alias_publishes_latest_and_moves_the_alias(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    version = ctx.call("lambda", "publish_version", FunctionName="orders-api")["Version"]
    ctx.call(
        "lambda", "create_alias", FunctionName="orders-api", Name="live", FunctionVersion=version
    )

    result = enable_tracing(
        ctx, runner, function_name="orders-api", apply=True, publish_alias="live"
    )
    alias = ctx.call("lambda", "get_alias", FunctionName="orders-api", Name="live")
    served = ctx.call(
        "lambda",
        "get_function_configuration",
        FunctionName="orders-api",
        Qualifier=alias["FunctionVersion"],
    )
    runner.run(ctx, result.rollback, tool="rollback", apply=True)

    assert alias["FunctionVersion"] != version
    assert served["TracingConfig"] == {"Mode": "Active"}
    assert (
        ctx.call("lambda", "get_alias", FunctionName="orders-api", Name="live")["FunctionVersion"]
        == version
    )
    assert any("not undone" in note for note in result.rollback.notes)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"function_name": "orders-api", "publish_alias": "nope"}, "no alias 'nope'"),
        (
            {"function_name": "arn:aws:lambda:us-east-1:123456789012:function:orders-api:7"},
            "$LATEST",
        ),
    ],
)
def test_aliases_and_versions_that_cannot_be_changed_are_refused(
    ctx: AwsContext, runner: ChangeRunner, arguments: dict[str, str], problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem.replace("$", r"\$")):
        enable_tracing(ctx, runner, **arguments)  # type: ignore[arg-type]
