"""The moto setup itself: a healthy function is clean, and every check has both scenarios."""

from __future__ import annotations

import importlib

import pytest

from lambda_specialist.tools.checks import CATALOGUE
from tests.tools.checks_on_moto.conftest import MotoAccount, fires, stays_quiet

FAMILY_MODULES = (
    "access",
    "async_invoke",
    "configuration",
    "event_sources",
    "layers",
    "operations",
    "permissions",
    "runtime",
    "secrets",
    "tracing",
)


def test_the_healthy_function_has_no_findings(aws: MotoAccount) -> None:
    aws.function()

    assert aws.finding_ids() == set()


def test_only_the_reads_moto_lacks_are_not_evaluated(aws: MotoAccount) -> None:
    aws.function()

    skipped = {n.check_id: n.reason for n in aws.inspect().not_evaluated}

    assert skipped == {
        "AS-06": "the endpoint does not implement GetFunctionRecursionConfig",
        "RT-04": "the endpoint does not implement GetRuntimeManagementConfig",
    }


@pytest.mark.parametrize("table", ["FIRING", "QUIET"])
def test_every_check_of_the_catalogue_has_a_moto_scenario(table: str) -> None:
    covered: set[str] = set()
    for name in FAMILY_MODULES:
        module = importlib.import_module(f"tests.tools.checks_on_moto.test_{name}")
        covered |= set(getattr(module, table))

    assert covered == set(CATALOGUE)


def _scenarios(table: str) -> list[tuple[str, str]]:
    return [
        (name, check_id)
        for name in FAMILY_MODULES
        for check_id in sorted(getattr(_family(name), table))
    ]


def _family(name: str) -> object:
    return importlib.import_module(f"tests.tools.checks_on_moto.test_{name}")


@pytest.mark.parametrize(("family", "check_id"), _scenarios("FIRING"))
def test_the_check_fires_on_the_faulty_setup(aws: MotoAccount, family: str, check_id: str) -> None:
    _family(family).FIRING[check_id](aws)

    assert fires(check_id, aws.inspect())


@pytest.mark.parametrize(("family", "check_id"), _scenarios("QUIET"))
def test_the_check_stays_quiet_on_the_healthy_variant(
    aws: MotoAccount, family: str, check_id: str
) -> None:
    _family(family).QUIET[check_id](aws)

    assert stays_quiet(check_id, aws.inspect())
