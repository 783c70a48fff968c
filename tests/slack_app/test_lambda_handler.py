"""The Slack app on Lambda: function URL event in, ack out, lazy self-invocation, answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from lambda_specialist.demo.server import MockAccount
from lambda_specialist.slack_app import lambda_handler
from tests.slack_app.conftest import BOT_TOKEN, SIGNING_SECRET, sign, slash_body
from tests.slack_app.fake_slack import FakeSlack


@dataclass
class FakeContext:
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:slack"
    aws_request_id: str = "req-1"
    function_name: str = "slack"


@dataclass
class FakeLambdaClient:
    """Records the self-invocations bolt makes for lazy listeners."""

    invocations: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.invocations.append(kwargs)
        return {"StatusCode": 202}


@pytest.fixture
def handler_env(
    monkeypatch: pytest.MonkeyPatch, mock_account: MockAccount, fake_slack: FakeSlack
) -> Iterator[None]:
    secret = mock_account.context().call(
        "secretsmanager",
        "create_secret",
        Name=f"slack-{id(fake_slack)}",
        SecretString=json.dumps(
            {"slack_signing_secret": SIGNING_SECRET, "slack_bot_token": BOT_TOKEN}
        ),
    )
    for key, value in {
        "LAMBDA_SPECIALIST_MOCK": "true",
        "LAMBDA_SPECIALIST_ENDPOINT_URL": mock_account.endpoint_url,
        "LAMBDA_SPECIALIST_REGION": "us-east-1",
        "LAMBDA_SPECIALIST_SECRETS_ARN": secret["ARN"],
        "LAMBDA_SPECIALIST_SLACK_API_URL": f"{fake_slack.url}/api/",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(lambda_handler, "_handler", None)
    yield
    monkeypatch.setattr(lambda_handler, "_handler", None)


def url_event(body: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": "/",
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {"http": {"method": "POST", "path": "/"}},
        "body": body,
        "isBase64Encoded": False,
    }


def test_the_lambda_handler_acks_then_answers_through_a_self_invocation(
    handler_env: None, fake_slack: FakeSlack
) -> None:
    body = slash_body("inspect payment-queue-worker", f"{fake_slack.url}/response/9")
    lambda_handler._handler = lambda_handler._build()
    fake_lambda = FakeLambdaClient()
    lambda_handler._handler.app.listener_runner.lazy_listener_runner.lambda_client = fake_lambda

    ack = lambda_handler.handler(url_event(body, sign(body)), FakeContext())
    (invocation,) = fake_lambda.invocations
    lambda_handler.handler(json.loads(invocation["Payload"]), FakeContext())

    (answer,) = fake_slack.received("/response/9")
    assert ack["statusCode"] == 200
    assert invocation["InvocationType"] == "Event"
    assert answer.body["blocks"][0]["text"]["text"].startswith("payment-queue-worker:")


def test_the_lambda_handler_rejects_a_bad_signature(
    handler_env: None, fake_slack: FakeSlack
) -> None:
    body = slash_body("inspect orders-api", f"{fake_slack.url}/response/9")

    ack = lambda_handler.handler(url_event(body, sign(body, secret="wrong")), FakeContext())

    assert ack["statusCode"] == 401
