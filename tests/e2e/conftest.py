"""Helpers for driving the product the way users do: subprocesses with a controlled environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lambda_specialist.demo.server import MockAccount

REPO = Path(__file__).resolve().parents[2]
INSPECTOR = REPO / ".tools" / "node_modules" / ".bin" / "inspector"


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with no real AWS configuration: fake HOME, no profiles, no credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LAMBDA_SPECIALIST_"))}
    env.update(
        {
            "HOME": str(tmp_path),
            "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def mock_env(tmp_path: Path, account: MockAccount, **extra: str) -> dict[str, str]:
    """An environment that points the product at the already-running mock account."""
    return child_env(
        tmp_path,
        LAMBDA_SPECIALIST_MOCK="true",
        LAMBDA_SPECIALIST_ENDPOINT_URL=account.endpoint_url,
        LAMBDA_SPECIALIST_REGION=account.region,
        **extra,
    )


CLI = [sys.executable, "-m", "lambda_specialist.cli"]


@pytest.fixture
def inspector() -> Path:
    if not INSPECTOR.exists():
        pytest.skip(
            "MCP Inspector not installed: npm install --prefix .tools "
            "@modelcontextprotocol/inspector@2.12.0 (.ci/run does this)"
        )
    return INSPECTOR
