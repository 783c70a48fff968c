"""The moto setup itself: a healthy function is clean, and every check has both scenarios."""

from __future__ import annotations

import importlib

import pytest

from lambda_specialist.tools.checks import CATALOGUE
from tests.tools.checks_on_moto.conftest import MotoAccount

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
