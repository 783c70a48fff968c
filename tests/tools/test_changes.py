"""The change framework: plan without mutating, apply with guards, verify, audit, roll back."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.stub import Stubber

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.errors import AccessDeniedError, WritesNotAllowedError
from lambda_specialist.tools.audit_log import JsonLinesAuditStore
from lambda_specialist.tools.changes import (
    Approval,
    ChangeFailedError,
    ChangePlan,
    ChangeRunner,
)
from lambda_specialist.tools.plans import config_step
from lambda_specialist.tools.tracing import enable_tracing
from tests.tools.write_support import (
    FlakyContext,
    account_state,
    propagation_error,
    stable,
)

ORDERS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api"


@pytest.fixture
def ctx(factory: ClientFactory) -> AwsContext:
    return factory.context()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def runner(tmp_path: Path, sleeps: list[float]) -> ChangeRunner:
    return ChangeRunner(
        allow_writes=True, audit=JsonLinesAuditStore(tmp_path / "audit.jsonl"), sleep=sleeps.append
    )


def memory_plan(name: str, arn: str, before: int, after: int) -> ChangePlan:
    return ChangePlan(
        steps=[config_step(name, arn, "MemorySize", before=before, after=after, why="test")]
    )


def test_a_plan_without_apply_leaves_the_account_byte_for_byte_unchanged(
    fresh_account: MockAccount, ctx: AwsContext, tmp_path: Path
) -> None:
    read_only = ChangeRunner(allow_writes=False, audit=JsonLinesAuditStore(tmp_path / "a.jsonl"))
    before = account_state(ctx, "orders-api")

    result = enable_tracing(ctx, read_only, function_name="orders-api")

    assert (result.changed, result.approval, len(result.plan.steps)) == (
        False,
        Approval.PLAN_ONLY,
        2,
    )
    assert account_state(ctx, "orders-api") == before
    assert not (tmp_path / "a.jsonl").exists()


def test_apply_on_a_read_only_process_raises_and_changes_nothing(
    fresh_account: MockAccount, ctx: AwsContext, tmp_path: Path
) -> None:
    read_only = ChangeRunner(allow_writes=False, audit=JsonLinesAuditStore(tmp_path / "a.jsonl"))
    before = account_state(ctx, "orders-api")

    with pytest.raises(WritesNotAllowedError, match="--allow-writes"):
        enable_tracing(ctx, read_only, function_name="orders-api", apply=True)

    assert account_state(ctx, "orders-api") == before


def test_a_declined_confirmation_returns_the_plan_and_changes_nothing(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    before = account_state(ctx, "orders-api")

    result = enable_tracing(
        ctx, runner, function_name="orders-api", apply=True, approval=Approval.DECLINED
    )

    assert (result.changed, result.approval, result.applied_steps) == (
        False,
        Approval.DECLINED,
        [],
    )
    assert account_state(ctx, "orders-api") == before


def test_the_update_request_resends_environment_and_layers_and_waits_for_lambda(
    factory: ClientFactory, runner: ChangeRunner, sleeps: list[float]
) -> None:
    # moto answers UpdateFunctionConfiguration with LastUpdateStatus Successful at once and
    # (without the demo shim) drops TracingConfig, so the exact request and the InProgress
    # wait are asserted against botocore's Stubber instead of the mock.
    ctx = factory.context()
    client = factory.client(ctx.target, "lambda")
    env = {"Variables": {"TABLE_NAME": "customers"}}
    layers = [{"Arn": "arn:aws:lambda:us-east-1:123456789012:layer:shared-deps:1"}]
    name = {"FunctionName": "customer-sync"}

    def config(mode: str, status: str = "Successful") -> dict[str, object]:
        return {
            "FunctionName": "customer-sync",
            "TracingConfig": {"Mode": mode},
            "Environment": env,
            "Layers": layers,
            "RevisionId": "r1",
            "LastUpdateStatus": status,
        }

    plan = ChangePlan(
        steps=[
            config_step(
                "customer-sync",
                "arn:fn",
                "TracingConfig.Mode",
                before="PassThrough",
                after="Active",
                why="test",
            )
        ]
    )
    with Stubber(client) as stub:
        stub.add_response("get_function_configuration", config("PassThrough"), name)
        stub.add_response("get_function_configuration", config("PassThrough"), name)
        stub.add_response(
            "update_function_configuration",
            config("Active", "InProgress"),
            {
                "FunctionName": "customer-sync",
                "TracingConfig": {"Mode": "Active"},
                "Environment": env,
                "Layers": [layers[0]["Arn"]],
                "RevisionId": "r1",
            },
        )
        stub.add_response("get_function_configuration", config("Active", "InProgress"), name)
        stub.add_response("get_function_configuration", config("Active"), name)
        stub.add_response("get_function_configuration", config("Active"), name)
        outcome = runner.run(ctx, plan, tool="test", apply=True)
        stub.assert_no_pending_responses()

    assert (outcome.changed, sleeps) == (True, [runner.poll_interval_s])


def test_apply_verifies_audits_and_returns_a_rollback_that_restores_the_state(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner, tmp_path: Path
) -> None:
    before = account_state(ctx, "customer-sync")
    arn = before["config"]["FunctionArn"]

    outcome = runner.run(ctx, memory_plan("customer-sync", arn, 128, 512), tool="t", apply=True)
    changed = account_state(ctx, "customer-sync")
    runner.run(ctx, outcome.rollback, tool="t", apply=True)

    assert (changed["config"]["MemorySize"], changed["config"]["Environment"]) == (
        512,
        before["config"]["Environment"],
    )
    assert stable(account_state(ctx, "customer-sync")) == stable(before)
    records = JsonLinesAuditStore(tmp_path / "audit.jsonl").read()
    assert [(r.tool, [(c.field, c.before, c.after) for c in r.changes]) for r in records] == [
        ("t", [("MemorySize", 128, 512)]),
        ("t", [("MemorySize", 512, 128)]),
    ]
    assert records[0].who == "arn:aws:sts::123456789012:user/moto"


def test_applying_the_same_plan_twice_changes_nothing_the_second_time(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner
) -> None:
    arn = account_state(ctx, "orders-api")["config"]["FunctionArn"]
    plan = memory_plan("orders-api", arn, 128, 256)

    first = runner.run(ctx, plan, tool="t", apply=True)
    second = runner.run(ctx, plan, tool="t", apply=True)

    assert (first.changed, second.changed, len(second.skipped_steps)) == (True, False, 1)
    assert (second.audit_record, second.rollback.steps) == (None, [])


def test_the_propagation_error_after_a_grant_is_retried_with_backoff(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner, sleeps: list[float]
) -> None:
    flaky = FlakyContext(ctx, "update_function_configuration", propagation_error())

    result = enable_tracing(flaky, runner, function_name="orders-api", apply=True)

    assert (result.changed, result.tracing_mode, flaky.failures) == (True, "Active", 1)
    assert sleeps == [runner.retry_delays_s[0]]


def test_a_permanent_error_halfway_names_what_changed_and_how_to_undo_it(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner, tmp_path: Path
) -> None:
    denied = AccessDeniedError(
        "Access denied: the caller may not perform lambda:UpdateFunctionConfiguration.",
        code="AccessDeniedException",
        action="lambda:UpdateFunctionConfiguration",
    )
    flaky = FlakyContext(ctx, "update_function_configuration", denied, times=None)

    with pytest.raises(ChangeFailedError) as caught:
        enable_tracing(flaky, runner, function_name="orders-api", apply=True)

    error = caught.value
    assert [s.call.operation for s in error.applied_steps] == ["attach_role_policy"]
    assert [s.call.operation for s in error.rollback.steps] == ["detach_role_policy"]
    assert "step 2 of 2" in str(error) and "detach_role_policy" in str(error)
    state = account_state(ctx, "orders-api")
    assert (state["config"]["TracingConfig"]["Mode"], len(state["attached"])) == (
        "PassThrough",
        2,
    )
    assert flaky.failures == 1
    records = JsonLinesAuditStore(tmp_path / "audit.jsonl").read()
    assert [c.operation for r in records for c in r.changes] == ["iam:attach_role_policy"]
