"""Streamable HTTP: a bearer token, DNS-rebinding protection, no open non-loopback bind."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from lambda_specialist.demo.server import MockAccount
from tests.e2e.conftest import CLI, mock_env

TOKEN = "test-bearer-token-not-a-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def http_server(mock_account: MockAccount, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = mock_env(tmp_path, mock_account, LAMBDA_SPECIALIST_HTTP_TOKEN=TOKEN)
    process = subprocess.Popen(
        [*CLI, "serve", "--transport", "http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_client_with_the_token_inspects_a_function(http_server: str, mode: str) -> None:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http,
        Client(streamable_http_client(http_server, http_client=http), mode=mode) as client,
    ):
        result = await client.call_tool("inspect_function", {"function_name": "promo-webhook"})

    assert {"FN-02", "FN-03"} <= {f["id"] for f in result.structured_content["findings"]}


def test_a_request_without_the_token_is_refused(http_server: str) -> None:
    response = httpx.post(http_server, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})

    assert response.status_code == 401
    assert TOKEN not in response.text


def test_a_foreign_host_header_is_refused(http_server: str) -> None:
    response = httpx.post(
        http_server,
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Host": "evil.example:80",
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
        },
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    )

    assert response.status_code == 421


def test_binding_beyond_loopback_without_a_token_is_refused(
    mock_account: MockAccount, tmp_path: Path
) -> None:
    done = subprocess.run(
        [*CLI, "serve", "--transport", "http", "--host", "0.0.0.0", "--port", str(free_port())],
        env=mock_env(tmp_path, mock_account),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert "LAMBDA_SPECIALIST_HTTP_TOKEN" in done.stderr


def test_the_bearer_scheme_is_case_insensitive(http_server: str) -> None:
    response = httpx.post(
        http_server,
        headers={
            "Authorization": f"bearer {TOKEN}",
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
        },
        json={
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
    )

    assert response.status_code == 200


def test_a_wrong_token_is_refused(http_server: str) -> None:
    response = httpx.post(
        http_server,
        headers={"Authorization": "Bearer not-the-token"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    )

    assert response.status_code == 401
