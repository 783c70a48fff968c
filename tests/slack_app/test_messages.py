"""What each subcommand posts, pinned, and within Slack's limits."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from lambda_specialist.demo.scenario import CANARY_VALUES
from lambda_specialist.slack_app.blocks import MAX_BLOCKS, MAX_FIELDS, MAX_HEADER, MAX_SECTION
from tests.slack_app.conftest import RecordingLazyRunner, dispatch, sign, slash_body
from tests.slack_app.fake_slack import FakeSlack
from tests.tools.test_review_snapshots import normalize

SNAPSHOTS = Path(__file__).parent / "snapshots"
COMMANDS = {
    "inspect": "inspect customer-sync",
    "audit": "audit --prefix notify-",
    "list": "list --runtime nodejs22.x",
    "help": "help",
    "unknown": "frobnicate",
    "missing": "inspect",
    "not-found": "inspect orders-apx",
}


def run(app: App, lazy: RecordingLazyRunner, fake: FakeSlack, text: str) -> dict[str, Any]:
    body = slash_body(text, f"{fake.url}/response/1")
    ack = dispatch(app, body, sign(body))
    lazy.run_all()
    answer = fake.received("/response/1")
    return {
        "ack": json.loads(ack.body) if ack.body.startswith("{") else ack.body,
        "answer": answer[-1].body if answer else None,
    }


def within_limits(message: dict[str, Any]) -> None:
    blocks = message.get("blocks") or []
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= MAX_SECTION
            assert len(block.get("fields", [])) <= MAX_FIELDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_subcommand_posts_its_pinned_message(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack, name: str
) -> None:
    posted = run(slack_app, lazy, fake_slack, COMMANDS[name])

    for message in (posted["ack"], posted["answer"]):
        if isinstance(message, dict):
            within_limits(message)
    assert [v for v in CANARY_VALUES if v in json.dumps(posted)] == []
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(normalize(posted), indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"No snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it.")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


def test_usage_errors_are_ephemeral_and_run_nothing(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack
) -> None:
    posted = run(slack_app, lazy, fake_slack, "inspect")

    assert posted["ack"]["response_type"] == "ephemeral"
    assert posted["answer"] is None


def test_the_memory_chart_is_uploaded_beside_the_answer(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack
) -> None:
    posted = run(slack_app, lazy, fake_slack, "memory pdf-renderer")

    uploads = fake_slack.received("/upload/F1")
    assert posted["answer"]["response_type"] == "in_channel"
    assert [u for u in uploads if b"\x89PNG" in u.raw[:400]]
    assert fake_slack.received("/api/files.completeUploadExternal")
