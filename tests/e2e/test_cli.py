"""The command line's contract: JSON on stdout, exit 0 / 1 / 2, nothing secret printed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from lambda_specialist.demo.scenario import CANARY_VALUES
from lambda_specialist.demo.server import MockAccount
from tests.e2e.conftest import CLI, child_env, mock_env

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools.json"


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_call_inspect_function_with_mock_prints_the_structured_result(tmp_path: Path) -> None:
    done = run(
        [
            "call",
            "inspect_function",
            "--mock",
            "--json",
            "--args",
            '{"function_name": "payment-queue-worker"}',
        ],
        child_env(tmp_path),
    )

    result = json.loads(done.stdout)
    assert done.returncode == 0
    assert result["context"]["is_mock"] is True
    assert {"SQ-01", "SQ-02"} <= {f["id"] for f in result["findings"]}


def test_an_unknown_function_is_a_domain_error_on_one_line(
    mock_account: MockAccount, tmp_path: Path
) -> None:
    done = run(
        ["call", "inspect_function", "--json", "--args", '{"function_name": "nope"}'],
        mock_env(tmp_path, mock_account),
    )

    assert (done.returncode, done.stdout, len(done.stderr.strip().splitlines())) == (1, "", 1)


@pytest.mark.parametrize(
    "args",
    [
        ["call", "no_such_tool", "--json"],
        ["call", "inspect_function", "--json", "--args", "{not json"],
        ["call", "inspect_function", "--json", "--args", "[1]"],
        ["call", "inspect_function", "--json", "--args", "{}"],
        ["call", "inspect_function", "--json", "--args", '{"function_name": 5}'],
        ["call", "inspect_function", "--json", "--args", '{"function_name": "x", "regoin": "y"}'],
        ["serve", "--transport", "carrier-pigeon"],
        ["serve", "--transport", "http", "--port", "99999"],
    ],
    ids=[
        "unknown-tool",
        "bad-json",
        "not-object",
        "missing-arg",
        "wrong-type",
        "misspelt-arg",
        "bad-flag",
        "bad-port",
    ],
)
def test_usage_errors_exit_2(args: list[str], mock_account: MockAccount, tmp_path: Path) -> None:
    done = run(args, mock_env(tmp_path, mock_account))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_tools_json_matches_the_snapshot(tmp_path: Path) -> None:
    done = run(["tools", "--json"], child_env(tmp_path))

    listing = json.loads(done.stdout)
    assert {"name", "title", "description", "input_schema", "output_schema", "annotations"} == set(
        listing["tools"][0]
    )
    assert listing == json.loads(SNAPSHOT.read_text())


def test_no_environment_value_is_printed_for_any_seeded_function(
    mock_account: MockAccount, tmp_path: Path
) -> None:
    env = mock_env(tmp_path, mock_account)
    outputs = [
        run(["-vv", "call", "inspect_function", "--args", json.dumps({"function_name": name})], env)
        for name in ("customer-sync", "orders-api")
    ]

    text = "".join(o.stdout + o.stderr for o in outputs)
    assert [o.returncode for o in outputs] == [0, 0]
    assert [v for v in CANARY_VALUES if v in text] == []
