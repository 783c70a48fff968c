"""The write tools through real MCP clients (both protocol eras) and the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Literal

import pytest
from mcp import Client
from mcp.types import ElicitResult

from lambda_specialist.config import Settings
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.server.app import build_server
from lambda_specialist.tools.audit_log import JsonLinesAuditStore
from lambda_specialist.tools.tracing import TracingChange
from tests.e2e.conftest import CLI, child_env
from tests.tools.write_support import account_state

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]
APPLY = {"function_name": "orders-api", "apply": True}


def writable(account: MockAccount, tmp_path: Path) -> Settings:
    return account.settings(allow_writes=True, audit_log=str(tmp_path / "audit.jsonl"))


Action = Literal["accept", "decline", "cancel"]


def answering(action: Action, confirm: bool, asked: list[str]) -> Any:
    async def callback(context: Any, params: Any) -> ElicitResult:
        asked.append(params.message)
        content: dict[str, str | int | float | bool | list[str] | None] | None = (
            {"confirm": confirm} if action == "accept" else None
        )
        return ElicitResult(action=action, content=content)

    return callback


def tracing_mode(account: MockAccount) -> str:
    config = account.context().call(
        "lambda", "get_function_configuration", FunctionName="orders-api"
    )
    return str(config["TracingConfig"]["Mode"])


@pytest.mark.parametrize("mode", MODES)
async def test_write_tools_declare_truthful_annotations(settings: Settings, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}

    hints = {
        name: annotations.model_dump(exclude_none=True)
        for name in ("enable_tracing", "disable_tracing", "apply_memory")
        if (annotations := tools[name].annotations) is not None
    }
    assert {
        name: (h["read_only_hint"], h["destructive_hint"], h["idempotent_hint"])
        for name, h in hints.items()
    } == {
        "enable_tracing": (False, False, True),
        "disable_tracing": (False, True, True),
        "apply_memory": (False, True, True),
    }
    assert "confirmation" not in tools["enable_tracing"].input_schema["properties"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_that_accepts_the_confirmation_applies(
    fresh_account: MockAccount, tmp_path: Path, mode: str
) -> None:
    asked: list[str] = []
    server = build_server(writable(fresh_account, tmp_path))
    async with Client(
        server, mode=mode, elicitation_callback=answering("accept", True, asked)
    ) as c:
        result = await c.call_tool("enable_tracing", APPLY)

    change = TracingChange.model_validate(result.structured_content)
    assert (change.changed, change.approval, tracing_mode(fresh_account)) == (
        True,
        "confirmed",
        "Active",
    )
    assert len(asked) == 1
    assert len(JsonLinesAuditStore(tmp_path / "audit.jsonl").read()) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("accept", False)])
async def test_a_client_that_declines_changes_nothing(
    fresh_account: MockAccount, tmp_path: Path, mode: str, action: Action, confirm: bool
) -> None:
    asked: list[str] = []
    before = account_state(fresh_account.context(), "orders-api")
    server = build_server(writable(fresh_account, tmp_path))
    async with Client(
        server, mode=mode, elicitation_callback=answering(action, confirm, asked)
    ) as client:
        result = await client.call_tool("enable_tracing", APPLY)

    change = TracingChange.model_validate(result.structured_content)
    assert (change.changed, change.approval, len(asked)) == (False, "declined", 1)
    assert account_state(fresh_account.context(), "orders-api") == before


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_without_elicitation_applies_on_the_explicit_argument_alone(
    fresh_account: MockAccount, tmp_path: Path, mode: str
) -> None:
    server = build_server(writable(fresh_account, tmp_path))
    async with Client(server, mode=mode) as client:
        planned = await client.call_tool("enable_tracing", {"function_name": "orders-api"})
        applied = await client.call_tool("enable_tracing", APPLY)
        undone = await client.call_tool("disable_tracing", APPLY)

    assert (planned.is_error, planned.structured_content["changed"]) == (False, False)
    assert (applied.structured_content["changed"], applied.structured_content["approval"]) == (
        True,
        "argument",
    )
    assert undone.structured_content["tracing_mode"] == "PassThrough"
    assert tracing_mode(fresh_account) == "PassThrough"


@pytest.mark.parametrize("mode", MODES)
async def test_apply_on_a_read_only_server_is_a_tool_error_and_asks_nothing(
    fresh_account: MockAccount, settings: Settings, mode: str
) -> None:
    asked: list[str] = []
    before = account_state(fresh_account.context(), "orders-api")
    server = build_server(settings)
    async with Client(
        server, mode=mode, elicitation_callback=answering("accept", True, asked)
    ) as c:
        result = await c.call_tool("apply_memory", {**APPLY, "memory_mb": 512})

    assert (result.is_error, asked) == (True, [])
    assert "--allow-writes" in str(result.content[0].model_dump())
    assert account_state(fresh_account.context(), "orders-api") == before


def test_the_cli_applies_enable_tracing_on_a_fresh_mock_with_writes_allowed(
    tmp_path: Path,
) -> None:
    args = ["call", "enable_tracing", "--mock", "--json", "--args", json.dumps(APPLY)]
    env = child_env(tmp_path)
    denied = subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    allowed = subprocess.run(
        [*CLI, *args, "--allow-writes"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )

    result = json.loads(allowed.stdout)
    assert (denied.returncode, allowed.returncode) == (1, 0)
    assert (result["changed"], result["tracing_mode"]) == (True, "Active")
    assert [s["call"]["operation"] for s in result["rollback"]["steps"]] == [
        "update_function_configuration",
        "detach_role_policy",
    ]
    assert (tmp_path / "audit-log.jsonl").exists()
