"""Settings for every surface, read once per process."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Process-wide settings: explicit argument, then environment, then default.

    Environment variables (prefix ``LAMBDA_SPECIALIST_``):
        PROFILE, REGION, ENDPOINT_URL: which account and endpoint to read.
        ALLOWED_PROFILES, ALLOWED_REGIONS: what a single call may switch to (JSON lists).
        ALLOW_ROLE_ARN: whether a single call may assume a role.
        ALLOW_WRITES: whether this process may apply changes at all.
        MOCK: run against the embedded mock account.
        HTTP_TOKEN: bearer token required by the HTTP transport.
        SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL, SLACK_APPLIERS: the Slack app.
        AUDIT_LOG: where applied changes are recorded.
        SECRETS_ARN: a Secrets Manager secret to read the secrets from (on Lambda).
        STORE_TABLE: a DynamoDB table for pending plans and the audit log (on Lambda).
    """

    model_config = SettingsConfigDict(env_prefix="LAMBDA_SPECIALIST_", extra="ignore")

    profile: str | None = Field(default=None, description="AWS profile; default chain if unset.")
    region: str | None = Field(default=None, description="AWS region; the profile's if unset.")
    endpoint_url: str | None = Field(default=None, description="An AWS-compatible endpoint.")
    allowed_profiles: list[str] = Field(
        default_factory=list, description="Profiles a single call may switch to."
    )
    allowed_regions: list[str] = Field(
        default_factory=list, description="Regions a single call may switch to; empty is any."
    )
    allow_role_arn: bool = Field(default=False, description="Whether a call may assume a role.")
    allow_writes: bool = Field(default=False, description="Whether this process may apply.")
    mock: bool = Field(default=False, description="Use the embedded mock account.")
    http_token: SecretStr | None = Field(default=None, description="Bearer token for HTTP.")
    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_api_url: str | None = None
    slack_appliers: list[str] = Field(default_factory=list)
    audit_log: str = Field(default="audit-log.jsonl", description="JSON-lines audit log path.")
    connect_timeout: float = Field(default=5.0, description="Seconds to open an AWS connection.")
    read_timeout: float = Field(default=20.0, description="Seconds to wait for an AWS answer.")
    max_attempts: int = Field(default=8, ge=1, description="Attempts per AWS call (adaptive).")
    max_concurrency: int = Field(default=16, ge=1, description="Concurrent AWS reads per call.")
    secrets_arn: str | None = Field(
        default=None, description="Secrets Manager secret with the Slack and HTTP secrets."
    )
    plan_store: str = Field(
        default="pending-plans.sqlite", description="SQLite file for Slack plans awaiting Apply."
    )
    store_table: str | None = Field(
        default=None, description="DynamoDB table for pending plans and the audit log."
    )
