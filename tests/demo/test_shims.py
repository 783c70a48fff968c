"""Each shim makes moto behave as AWS does; without it, moto shows the gap."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.demo import FUNCTION_NAMES
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.demo.shims import (
    SHIM_NAMES,
    install_shims,
    installed_shims,
    remove_shims,
)
from lambda_specialist.errors import AwsError, ResourceNotFoundError

READY_TWO = {
    "RequestedProvisionedConcurrentExecutions": 2,
    "AvailableProvisionedConcurrentExecutions": 2,
    "AllocatedProvisionedConcurrentExecutions": 2,
    "Status": "READY",
}


@contextlib.contextmanager
def shim_removed(name: str) -> Iterator[None]:
    remove_shims([name])
    try:
        yield
    finally:
        install_shims()


@pytest.fixture
def single_attempt_ctx(mock_account: MockAccount) -> Iterator[AwsContext]:
    """A context that does not retry, for calls that fail with a server error."""
    factory = ClientFactory(mock_account.settings(max_attempts=1))
    yield factory.context()
    factory.close()


@pytest.fixture
def version(ctx: AwsContext, probe_functions: tuple[str, ...]) -> str:
    """A published version of the first probe function."""
    return str(ctx.call("lambda", "publish_version", FunctionName=probe_functions[0])["Version"])


def tracing_mode(ctx: AwsContext, name: str) -> str:
    return str(
        ctx.call("lambda", "get_function_configuration", FunctionName=name)["TracingConfig"]["Mode"]
    )


def test_the_mock_account_runs_with_every_shim_installed(mock_account: MockAccount) -> None:
    assert installed_shims() == SHIM_NAMES


def test_update_function_configuration_applies_the_tracing_mode(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    name = probe_functions[0]
    ctx.call(
        "lambda",
        "update_function_configuration",
        FunctionName=name,
        TracingConfig={"Mode": "Active"},
    )
    after_enable = tracing_mode(ctx, name)
    ctx.call(
        "lambda",
        "update_function_configuration",
        FunctionName=name,
        TracingConfig={"Mode": "PassThrough"},
    )

    assert (after_enable, tracing_mode(ctx, name)) == ("Active", "PassThrough")


def test_update_function_configuration_rejects_an_unknown_tracing_mode(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    with pytest.raises(AwsError) as raised:
        ctx.call(
            "lambda",
            "update_function_configuration",
            FunctionName=probe_functions[0],
            TracingConfig={"Mode": "Sometimes"},
        )

    assert raised.value.code == "ValidationException"


def test_without_the_shim_moto_ignores_tracing_mode_updates(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    name = probe_functions[1]
    with shim_removed("tracing-config-updates"):
        ctx.call(
            "lambda",
            "update_function_configuration",
            FunctionName=name,
            TracingConfig={"Mode": "Active"},
        )
        mode = tracing_mode(ctx, name)

    assert mode == "PassThrough"


def test_list_functions_returns_max_items_and_a_next_marker(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    page = ctx.call("lambda", "list_functions", MaxItems=5)

    assert (len(page["Functions"]), "NextMarker" in page) == (5, True)


def test_list_functions_pages_cover_every_function_exactly_once(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    names = [
        function["FunctionName"]
        for function in ctx.paginate(
            "lambda", "list_functions", "Functions", PaginationConfig={"PageSize": 4}
        )
    ]

    assert sorted(names) == sorted([*FUNCTION_NAMES, *probe_functions])


def test_list_functions_rejects_a_marker_it_did_not_issue(ctx: AwsContext) -> None:
    with pytest.raises(AwsError) as raised:
        ctx.call("lambda", "list_functions", Marker="not*a*marker", MaxItems=2)

    assert raised.value.code == "InvalidParameterValueException"


def test_without_the_shim_moto_ignores_max_items(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    with shim_removed("list-functions-paging"):
        page = ctx.call("lambda", "list_functions", MaxItems=5)

    assert (len(page["Functions"]), "NextMarker" in page) == (
        len(FUNCTION_NAMES) + len(probe_functions),
        False,
    )


def test_provisioned_concurrency_config_is_ready_as_soon_as_it_is_put(
    ctx: AwsContext, probe_functions: tuple[str, ...], version: str
) -> None:
    name = probe_functions[0]
    ctx.call(
        "lambda",
        "put_provisioned_concurrency_config",
        FunctionName=name,
        Qualifier=version,
        ProvisionedConcurrentExecutions=2,
    )
    config = ctx.call(
        "lambda", "get_provisioned_concurrency_config", FunctionName=name, Qualifier=version
    )
    ctx.call(
        "lambda", "delete_provisioned_concurrency_config", FunctionName=name, Qualifier=version
    )

    assert {key: value for key, value in config.items() if key != "LastModified"} == READY_TWO


def test_provisioned_concurrency_configs_are_listed_with_the_qualified_arn(
    ctx: AwsContext, probe_functions: tuple[str, ...], version: str
) -> None:
    name = probe_functions[0]
    ctx.call(
        "lambda",
        "put_provisioned_concurrency_config",
        FunctionName=name,
        Qualifier=version,
        ProvisionedConcurrentExecutions=2,
    )
    listed = ctx.call("lambda", "list_provisioned_concurrency_configs", FunctionName=name)
    ctx.call(
        "lambda", "delete_provisioned_concurrency_config", FunctionName=name, Qualifier=version
    )

    arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}:{version}"
    assert [
        {key: value for key, value in item.items() if key != "LastModified"}
        for item in listed["ProvisionedConcurrencyConfigs"]
    ] == [{"FunctionArn": arn, **READY_TWO}]


def test_a_deleted_provisioned_concurrency_config_is_not_found(
    ctx: AwsContext, probe_functions: tuple[str, ...], version: str
) -> None:
    name = probe_functions[0]
    ctx.call(
        "lambda",
        "put_provisioned_concurrency_config",
        FunctionName=name,
        Qualifier=version,
        ProvisionedConcurrentExecutions=1,
    )
    ctx.call(
        "lambda", "delete_provisioned_concurrency_config", FunctionName=name, Qualifier=version
    )

    with pytest.raises(ResourceNotFoundError) as raised:
        ctx.call(
            "lambda", "get_provisioned_concurrency_config", FunctionName=name, Qualifier=version
        )
    assert raised.value.code == "ProvisionedConcurrencyConfigNotFoundException"


def test_provisioned_concurrency_on_latest_is_rejected(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    with pytest.raises(AwsError) as raised:
        ctx.call(
            "lambda",
            "put_provisioned_concurrency_config",
            FunctionName=probe_functions[0],
            Qualifier="$LATEST",
            ProvisionedConcurrentExecutions=1,
        )

    assert raised.value.code == "InvalidParameterValueException"


def test_without_the_shim_moto_has_no_provisioned_concurrency(
    single_attempt_ctx: AwsContext, probe_functions: tuple[str, ...], version: str
) -> None:
    with shim_removed("provisioned-concurrency"), pytest.raises(AwsError) as raised:
        single_attempt_ctx.call(
            "lambda",
            "get_provisioned_concurrency_config",
            FunctionName=probe_functions[0],
            Qualifier=version,
        )

    # 500 once the server has the shim's route (moto has no handler), 404 before.
    assert raised.value.code in {"500", "404"}


@pytest.mark.parametrize(
    "value", [0, 1_700_000_000, 1_764_777_600.125, "2025-11-03T10:00:00Z", "1764777600"]
)
def test_epoch_timestamps_parse_to_the_datetime_moto_itself_returns(value: Any) -> None:
    from moto.core import parse

    shimmed = parse.default_timestamp_parser(value)
    with shim_removed("epoch-timestamps"):
        original = parse.default_timestamp_parser(value)

    assert (shimmed, shimmed.tzinfo, type(shimmed)) == (original, None, datetime)


def test_without_the_shim_moto_parses_epoch_timestamps_through_dateutil() -> None:
    from moto.core import parse

    shimmed = parse.default_timestamp_parser
    with shim_removed("epoch-timestamps"):
        original = parse.default_timestamp_parser

    assert (shimmed.__module__, original.__module__) == (
        "lambda_specialist.demo.shims",
        "moto.core.parse",
    )


def test_installing_the_shims_twice_changes_nothing() -> None:
    from moto.awslambda.responses import LambdaResponse

    before = LambdaResponse.list_functions
    installed_again = install_shims()

    assert (installed_again, LambdaResponse.list_functions) == ((), before)


def test_a_function_url_permission_conditions_on_the_auth_type(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    statement = add_public_url_permission(ctx, probe_functions[0], "probe-url-shimmed")

    assert (statement.get("Condition"), "FunctionUrlAuthType" in statement) == (
        {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
        False,
    )


def test_without_the_shim_moto_leaves_the_auth_type_outside_the_condition(
    ctx: AwsContext, probe_functions: tuple[str, ...]
) -> None:
    with shim_removed("function-url-auth-condition"):
        statement = add_public_url_permission(ctx, probe_functions[1], "probe-url-unshimmed")

    assert (statement.get("Condition"), statement.get("FunctionUrlAuthType")) == (None, "NONE")


def add_public_url_permission(ctx: AwsContext, name: str, sid: str) -> dict[str, object]:
    ctx.call(
        "lambda",
        "add_permission",
        FunctionName=name,
        StatementId=sid,
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    policy = json.loads(ctx.call("lambda", "get_policy", FunctionName=name)["Policy"])
    ctx.call("lambda", "remove_permission", FunctionName=name, StatementId=sid)
    [statement] = [s for s in policy["Statement"] if s["Sid"] == sid]
    return dict(statement)
