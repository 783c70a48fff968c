"""The MCP Inspector CLI (the TypeScript SDK, handshake era) as an independent client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_specialist.demo.server import MockAccount
from tests.e2e.conftest import mock_env

pytestmark = pytest.mark.inspector


def inspect_cli(
    inspector: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    # The Inspector starts the server with a minimal environment: pass ours explicitly.
    passed = [f"{k}={v}" for k, v in env.items() if k.startswith(("LAMBDA_SPECIALIST_", "AWS_"))]
    command = [
        str(inspector),
        "--cli",
        *(x for kv in passed for x in ("-e", kv)),
        sys.executable,
        "-m",
        "lambda_specialist.cli",
        "serve",
        *args,
    ]
    env = {
        **env,
        "MCP_INSPECTOR_SECRET_STORE": "memory",
        "NO_UPDATE_NOTIFIER": "1",
        "npm_config_update_notifier": "false",
    }
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_inspector_lists_the_tools(
    inspector: Path, mock_account: MockAccount, tmp_path: Path
) -> None:
    done = inspect_cli(inspector, mock_env(tmp_path, mock_account), "--method", "tools/list")

    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["tools"]
    assert {"list_functions", "inspect_function", "audit_account", "enable_tracing"} <= {
        t["name"] for t in listed
    }
    assert all("outputSchema" in t and "annotations" in t for t in listed)


def test_inspector_calls_inspect_function(
    inspector: Path, mock_account: MockAccount, tmp_path: Path
) -> None:
    done = inspect_cli(
        inspector,
        mock_env(tmp_path, mock_account),
        "--method",
        "tools/call",
        "--tool-name",
        "inspect_function",
        "--tool-arg",
        "function_name=inventory-stream-processor",
    )

    result = json.loads(done.stdout)
    assert (done.returncode, result["isError"]) == (0, False)
    assert {"ES-01", "ES-02"} <= {f["id"] for f in result["structuredContent"]["findings"]}


def test_inspector_sees_a_tool_error_for_an_unknown_function(
    inspector: Path, mock_account: MockAccount, tmp_path: Path
) -> None:
    done = inspect_cli(
        inspector,
        mock_env(tmp_path, mock_account),
        "--method",
        "tools/call",
        "--tool-name",
        "inspect_function",
        "--tool-arg",
        "function_name=ordres-api",
    )

    assert done.returncode == 5
    assert "orders-api" in done.stdout


def test_inspector_gets_the_persona_prompt(
    inspector: Path, mock_account: MockAccount, tmp_path: Path
) -> None:
    done = inspect_cli(
        inspector,
        mock_env(tmp_path, mock_account),
        "--method",
        "prompts/get",
        "--prompt-name",
        "lambda_specialist",
    )

    assert done.returncode == 0, done.stderr
    assert "inspect_function" in json.loads(done.stdout)["messages"][0]["content"]["text"]
