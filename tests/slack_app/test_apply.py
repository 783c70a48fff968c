"""Writes from Slack: a plan with buttons; only allow-listed users apply, and only fresh plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from lambda_specialist.config import Settings
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.slack_app.app import build_slack_app
from tests.slack_app.conftest import (
    RecordingLazyRunner,
    action_body,
    dispatch,
    sign,
    slash_body,
)
from tests.slack_app.fake_slack import FakeSlack


@pytest.fixture
def writable_app(
    slack_settings: Settings, lazy: RecordingLazyRunner, fresh_account: MockAccount
) -> App:
    app = build_slack_app(slack_settings.model_copy(update={"allow_writes": True}))
    app.listener_runner.lazy_listener_runner = lazy
    return app


def tracing_mode(account: MockAccount) -> str:
    config = account.context().call(
        "lambda", "get_function_configuration", FunctionName="orders-api"
    )
    return str((config.get("TracingConfig") or {}).get("Mode"))


def plan_id(app: App, lazy: RecordingLazyRunner, fake: FakeSlack) -> str:
    body = slash_body("tracing orders-api", f"{fake.url}/response/plan")
    dispatch(app, body, sign(body))
    lazy.run_all()
    (posted,) = fake.received("/response/plan")
    buttons = [e for b in posted.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == ["lambda_apply", "lambda_cancel"]
    return str(buttons[0]["value"])


def press(
    app: App,
    lazy: RecordingLazyRunner,
    fake: FakeSlack,
    action: str,
    value: str,
    user: str = "U_APPLIER",
) -> list[dict[str, Any]]:
    seen = len(fake.posts)
    body = action_body(action, value, f"{fake.url}/response/press", user=user)
    response = dispatch(app, body, sign(body))
    assert response.status == 200
    lazy.run_all()
    return [
        p.body
        for p in fake.posts[seen:]
        if p.path.startswith(("/response/press", "/api/chat.postMessage"))
    ]


def test_the_tracing_command_posts_a_plan_and_changes_nothing(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
) -> None:
    plan_id(writable_app, lazy, fake_slack)

    assert tracing_mode(fresh_account) == "PassThrough"


def test_apply_by_an_allowed_user_turns_tracing_on_and_answers_in_the_thread(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
    slack_settings: Settings,
) -> None:
    posted = press(
        writable_app, lazy, fake_slack, "lambda_apply", plan_id(writable_app, lazy, fake_slack)
    )

    (answer,) = posted
    assert tracing_mode(fresh_account) == "Active"
    assert (answer["thread_ts"], answer["channel"]) == ("111.222", "C1")
    assert "To roll back" in json.dumps(answer["blocks"])
    (record,) = [
        json.loads(line) for line in Path(slack_settings.audit_log).read_text().splitlines()
    ]
    assert record["requested_by"] == "slack:U_APPLIER"


def test_apply_by_someone_else_changes_nothing(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
) -> None:
    posted = press(
        writable_app,
        lazy,
        fake_slack,
        "lambda_apply",
        plan_id(writable_app, lazy, fake_slack),
        user="U_INTERN",
    )

    assert tracing_mode(fresh_account) == "PassThrough"
    assert posted[0]["response_type"] == "ephemeral"
    assert "allow-list" in posted[0]["text"]


def test_a_tampered_plan_id_changes_nothing(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
) -> None:
    plan_id(writable_app, lazy, fake_slack)

    posted = press(writable_app, lazy, fake_slack, "lambda_apply", "forged-plan-id")

    assert tracing_mode(fresh_account) == "PassThrough"
    assert "unknown, expired or already used" in posted[0]["text"]


def test_a_plan_is_applied_at_most_once(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
) -> None:
    plan = plan_id(writable_app, lazy, fake_slack)
    press(writable_app, lazy, fake_slack, "lambda_apply", plan)

    posted = press(writable_app, lazy, fake_slack, "lambda_apply", plan)

    assert "unknown, expired or already used" in posted[-1]["text"]


def test_a_plan_whose_state_changed_is_not_applied(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
) -> None:
    plan = plan_id(writable_app, lazy, fake_slack)
    fresh_account.context().call(
        "iam",
        "attach_role_policy",
        RoleName="orders-api-role",
        PolicyArn="arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    )

    posted = press(writable_app, lazy, fake_slack, "lambda_apply", plan)

    assert tracing_mode(fresh_account) == "PassThrough"
    assert "changed since this plan" in posted[0]["text"]


def test_cancel_forgets_the_plan(
    writable_app: App,
    lazy: RecordingLazyRunner,
    fake_slack: FakeSlack,
    fresh_account: MockAccount,
) -> None:
    plan = plan_id(writable_app, lazy, fake_slack)
    press(writable_app, lazy, fake_slack, "lambda_cancel", plan)

    posted = press(writable_app, lazy, fake_slack, "lambda_apply", plan)

    assert tracing_mode(fresh_account) == "PassThrough"
    assert "unknown, expired or already used" in posted[-1]["text"]
