"""Signed Slack requests, a recording lazy runner and the loopback fake Slack API."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr
from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner

from lambda_specialist.config import Settings
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.slack_app.app import build_slack_app
from tests.slack_app.fake_slack import FakeSlack

SIGNING_SECRET = "test-signing-secret-not-real"
BOT_TOKEN = "test-bot-token-not-real"


class RecordingLazyRunner(LazyListenerRunner):
    """Keep lazy work instead of starting it, so a test can run it when it chooses."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("tests.slack.lazy")
        self.pending: list[tuple[Callable[..., None], BoltRequest]] = []

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.pending.append((function, request))

    def run_all(self) -> None:
        while self.pending:
            function, request = self.pending.pop(0)
            self.run(function, request)


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": f"v0={digest}",
        "content-type": "application/x-www-form-urlencoded",
    }


def slash_body(text: str, response_url: str, user: str = "U_APPLIER") -> str:
    return urlencode(
        {
            "command": "/lambda",
            "text": text,
            "response_url": response_url,
            "user_id": user,
            "user_name": "dev",
            "channel_id": "C1",
            "team_id": "T1",
            "trigger_id": "1.2.3",
            "token": "legacy-unused",
        }
    )


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_settings(mock_account: MockAccount, fake_slack: FakeSlack, tmp_path: Path) -> Settings:
    return mock_account.settings(
        plan_store=str(tmp_path / "plans.sqlite"),
        audit_log=str(tmp_path / "audit.jsonl"),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_api_url=f"{fake_slack.url}/api/",
        slack_appliers=["U_APPLIER"],
    )


@pytest.fixture
def lazy() -> RecordingLazyRunner:
    return RecordingLazyRunner()


@pytest.fixture
def slack_app(slack_settings: Settings, lazy: RecordingLazyRunner) -> App:
    app = build_slack_app(slack_settings)
    app.listener_runner.lazy_listener_runner = lazy
    return app


def dispatch(app: App, body: str, headers: dict[str, str]) -> Any:
    return app.dispatch(BoltRequest(body=body, headers=headers))


def action_body(action_id: str, value: str, response_url: str, user: str = "U_APPLIER") -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": "111.222"},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {
                "action_id": action_id,
                "value": value,
                "type": "button",
                "block_id": "b1",
                "action_ts": "1",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})
