"""The Slack app on AWS Lambda, behind a function URL.

Bolt acknowledges the request, then invokes this same function asynchronously to run the
lazy listener (the function needs lambda:InvokeFunction on itself). Settings come from the
environment (``LAMBDA_SPECIALIST_*``); the AWS account read is the function's own, through
its execution role.
"""

from __future__ import annotations

from typing import Any

__all__ = ["handler"]

_handler: Any = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point for the Lambda runtime."""
    global _handler
    if _handler is None:
        _handler = _build()
    response: dict[str, Any] = _handler.handle(event, context)
    return response


def _build() -> Any:
    import logging

    from slack_bolt.adapter.aws_lambda import SlackRequestHandler

    from lambda_specialist.aws.context import ClientFactory
    from lambda_specialist.aws.secrets import with_secrets_from_manager
    from lambda_specialist.config import Settings
    from lambda_specialist.redaction import RedactingFilter, register_secrets
    from lambda_specialist.slack_app.app import build_slack_app

    settings = Settings()
    settings = with_secrets_from_manager(settings, ClientFactory(settings).context())
    secrets = (settings.slack_signing_secret, settings.slack_bot_token, settings.http_token)
    register_secrets(s.get_secret_value() for s in secrets if s is not None)
    for log_handler in logging.getLogger().handlers:
        log_handler.addFilter(RedactingFilter())
    app = build_slack_app(settings, process_before_response=True)
    return SlackRequestHandler(app)
