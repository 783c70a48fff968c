"""Per-call overrides are checked against the settings; clients are built once per target."""

from __future__ import annotations

import pytest

from lambda_specialist.aws.context import AwsTarget, ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.errors import CredentialsError, InvalidInputError


def factory(**settings: object) -> ClientFactory:
    return ClientFactory(Settings(mock=True, region="us-east-1", **settings))


def test_a_malformed_region_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        factory().context(region="moon-base-1a")


def test_a_region_outside_the_allow_list_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        factory(allowed_regions=["eu-west-1"]).context(region="us-west-2")


def test_an_allowed_region_is_used() -> None:
    assert factory(allowed_regions=["eu-west-1"]).context(region="eu-west-1").region == (
        "eu-west-1"
    )


def test_a_profile_not_on_the_allow_list_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        factory().context(profile="prod")


def test_role_arn_is_refused_unless_enabled() -> None:
    with pytest.raises(InvalidInputError):
        factory().context(role_arn="arn:aws:iam::123456789012:role/audit")


def test_a_malformed_role_arn_is_refused_when_roles_are_enabled() -> None:
    with pytest.raises(InvalidInputError):
        factory(allow_role_arn=True).context(role_arn="arn:aws:iam::12:role/x")


def test_clients_are_cached_per_target_and_service() -> None:
    f = factory(endpoint_url="http://127.0.0.1:9")
    target = AwsTarget(profile=None, region="us-east-1")

    assert f.client(target, "lambda") is f.client(target, "lambda")
    assert f.client(target, "lambda") is not f.client(target, "iam")


def test_clients_use_adaptive_retries_and_explicit_timeouts() -> None:
    client = factory(endpoint_url="http://127.0.0.1:9").client(
        AwsTarget(profile=None, region="us-east-1"), "lambda"
    )
    config = client.meta.config

    assert config.retries == {"mode": "adaptive", "total_max_attempts": 8}
    assert (config.connect_timeout, config.read_timeout) == (5.0, 20.0)
    assert config.max_pool_connections >= 16


def test_no_credentials_at_all_is_a_credentials_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", f"{tmp_path}/none")
    monkeypatch.setenv("AWS_CONFIG_FILE", f"{tmp_path}/none")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    ctx = ClientFactory(Settings(region="us-east-1", endpoint_url="http://127.0.0.1:9")).context()

    with pytest.raises(CredentialsError):
        ctx.call("lambda", "list_functions")
