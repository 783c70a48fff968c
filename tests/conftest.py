"""Shared fixtures: one embedded mock account per test process, seeded once.

moto keeps its state per process, so every test in a process shares one server. Read-only
tests share the seeded account; a test that changes the account uses ``fresh_account``,
which resets and re-seeds it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.demo.server import MockAccount, start_seeded

# Tests never read a developer's real AWS configuration.
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)
for _name in list(os.environ):
    # LAMBDA_SPECIALIST_TEST_* are the opt-in switches of marked tests, not settings.
    if _name.startswith("LAMBDA_SPECIALIST_") and not _name.startswith("LAMBDA_SPECIALIST_TEST_"):
        os.environ.pop(_name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def mock_account() -> Iterator[MockAccount]:
    account = start_seeded()
    yield account
    account.stop()


@pytest.fixture
def fresh_account(mock_account: MockAccount) -> Iterator[MockAccount]:
    """The mock account for a test that changes it; reset and re-seeded afterwards."""
    yield mock_account
    mock_account.reset()
    mock_account.seed()


@pytest.fixture
def settings(mock_account: MockAccount) -> Settings:
    return mock_account.settings()


@pytest.fixture
def factory(settings: Settings) -> Iterator[ClientFactory]:
    f = ClientFactory(settings)
    yield f
    f.close()
