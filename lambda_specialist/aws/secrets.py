"""Read the product's own secrets from Secrets Manager (for the Lambda deployment)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import SecretStr

from lambda_specialist.errors import InvalidInputError

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext
    from lambda_specialist.config import Settings

__all__ = ["SECRET_KEYS", "with_secrets_from_manager"]

SECRET_KEYS = ("slack_signing_secret", "slack_bot_token", "http_token")


def with_secrets_from_manager(settings: Settings, ctx: AwsContext) -> Settings:
    """Return ``settings`` with the secrets in ``settings.secrets_arn`` filled in."""
    if not settings.secrets_arn:
        return settings
    response = ctx.call("secretsmanager", "get_secret_value", SecretId=settings.secrets_arn)
    try:
        values = json.loads(response.get("SecretString") or "{}")
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"Secret {settings.secrets_arn} is not a JSON object. Store it as "
            '{"slack_signing_secret": "...", "slack_bot_token": "...", "http_token": "..."}.'
        ) from exc
    found = {k: SecretStr(str(values[k])) for k in SECRET_KEYS if values.get(k)}
    return settings.model_copy(update=found)
