"""Slack's signature is checked on every request; the ack does no tool work."""

from __future__ import annotations

import time

import pytest
from slack_bolt import App

from tests.slack_app.conftest import RecordingLazyRunner, dispatch, sign, slash_body
from tests.slack_app.fake_slack import FakeSlack


def test_a_signed_command_is_acknowledged_before_any_tool_runs(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack
) -> None:
    body = slash_body("inspect orders-api", f"{fake_slack.url}/response/1")

    response = dispatch(slack_app, body, sign(body))

    assert response.status == 200
    assert "Working on" in response.body
    assert fake_slack.received("/response") == []
    assert len(lazy.pending) == 1


def test_the_lazy_listener_posts_the_answer_to_the_response_url(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack
) -> None:
    body = slash_body("inspect orders-api", f"{fake_slack.url}/response/1")
    dispatch(slack_app, body, sign(body))

    lazy.run_all()

    (posted,) = fake_slack.received("/response/1")
    assert posted.body["response_type"] == "in_channel"
    assert posted.body["blocks"][0]["text"]["text"].startswith("orders-api:")


@pytest.mark.parametrize(
    "headers",
    [
        {"x-slack-signature": "v0=" + "0" * 64, "x-slack-request-timestamp": "now"},
        "wrong-secret",
        "missing",
        "stale",
    ],
    ids=["bad-signature", "wrong-secret", "missing-headers", "older-than-five-minutes"],
)
def test_requests_that_fail_verification_get_401(
    slack_app: App, lazy: RecordingLazyRunner, fake_slack: FakeSlack, headers: object
) -> None:
    body = slash_body("inspect orders-api", f"{fake_slack.url}/response/1")
    if headers == "wrong-secret":
        sent = sign(body, secret="another-secret")
    elif headers == "missing":
        sent = {"content-type": "application/x-www-form-urlencoded"}
    elif headers == "stale":
        sent = sign(body, timestamp=int(time.time()) - 301)
    else:
        assert isinstance(headers, dict)
        sent = {
            **headers,
            "x-slack-request-timestamp": str(int(time.time())),
            "content-type": "application/x-www-form-urlencoded",
        }

    response = dispatch(slack_app, body, sent)

    assert response.status == 401
    assert lazy.pending == []
