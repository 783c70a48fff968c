"""What the checks read: the facts gathered about one function, and reads that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "ApiStageFacts",
    "EventTargetFacts",
    "FunctionFacts",
    "LayerFacts",
    "MappingFacts",
    "PolicyDocument",
    "RoleFacts",
    "S3NotificationFacts",
    "SubscriptionFacts",
    "TriggerFacts",
    "Unavailable",
]

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Unavailable:
    """A read that could not be made, and the permission that would allow it."""

    reason: str
    permission: str | None = None


@dataclass(frozen=True)
class PolicyDocument:
    """One IAM policy document attached to a role, inline or managed."""

    name: str
    arn: str | None
    document: JsonDict


@dataclass(frozen=True)
class RoleFacts:
    """The execution role and its policies."""

    name: str
    arn: str
    attached: tuple[PolicyDocument, ...] = ()
    inline: tuple[PolicyDocument, ...] = ()

    @property
    def documents(self) -> tuple[PolicyDocument, ...]:
        """Every policy document of the role, inline first."""
        return self.inline + self.attached


@dataclass(frozen=True)
class MappingFacts:
    """An event source mapping, and for SQS the source queue's attributes."""

    mapping: JsonDict
    queue_attributes: JsonDict | None = None

    @property
    def source_arn(self) -> str:
        """The ARN of the stream or queue."""
        return str(self.mapping.get("EventSourceArn", ""))

    @property
    def source_type(self) -> str:
        """One of dynamodb, kinesis, sqs, kafka, mq, docdb or other."""
        arn = self.source_arn
        for marker, kind in (
            (":dynamodb:", "dynamodb"),
            (":kinesis:", "kinesis"),
            (":sqs:", "sqs"),
            (":kafka:", "kafka"),
            (":mq:", "mq"),
            (":rds:", "docdb"),
        ):
            if marker in arn:
                return kind
        return "kafka" if self.mapping.get("SelfManagedEventSource") else "other"


@dataclass(frozen=True)
class SubscriptionFacts:
    """An SNS subscription that delivers to the function."""

    topic_arn: str
    subscription_arn: str
    attributes: JsonDict


@dataclass(frozen=True)
class TriggerFacts:
    """A push trigger found in the function's resource policy."""

    service: str
    source_arn: str | None
    source_account: str | None
    statement_id: str


@dataclass(frozen=True)
class LayerFacts:
    """A layer version attached to the function."""

    arn: str
    code_size: int
    compatible_runtimes: tuple[str, ...] | None
    compatible_architectures: tuple[str, ...] | None


@dataclass(frozen=True)
class EventTargetFacts:
    """An EventBridge rule target that invokes the function."""

    rule: str
    target_id: str
    dead_letter_arn: str | None
    retry_policy: JsonDict | None


@dataclass(frozen=True)
class S3NotificationFacts:
    """An S3 bucket notification that invokes the function."""

    bucket: str
    events: tuple[str, ...]
    prefix: str
    suffix: str


@dataclass(frozen=True)
class ApiStageFacts:
    """An API Gateway REST stage in front of the function."""

    api_id: str
    stage: str
    tracing_enabled: bool


@dataclass(frozen=True)
class FunctionFacts:
    """Everything read about one function; reads that failed are listed in ``unavailable``."""

    config: JsonDict
    today: date
    tags: dict[str, str] = field(default_factory=dict)
    reserved_concurrency: int | None = None
    policy_statements: tuple[JsonDict, ...] = ()
    triggers: tuple[TriggerFacts, ...] = ()
    mappings: tuple[MappingFacts, ...] = ()
    url_config: JsonDict | None = None
    async_config: JsonDict | None = None
    role: RoleFacts | None = None
    subscriptions: tuple[SubscriptionFacts, ...] = ()
    layers: tuple[LayerFacts, ...] = ()
    log_group: JsonDict | None = None
    recursion: str | None = None
    runtime_update_mode: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    event_targets: tuple[EventTargetFacts, ...] = ()
    s3_notifications: tuple[S3NotificationFacts, ...] = ()
    stream_consumers: dict[str, int] = field(default_factory=dict)
    layer_policies: dict[str, tuple[JsonDict, ...]] = field(default_factory=dict)
    provisioned: tuple[JsonDict, ...] = ()
    aliases: tuple[JsonDict, ...] = ()
    api_stages: tuple[ApiStageFacts, ...] = ()
    unavailable: dict[str, Unavailable] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The function name."""
        return str(self.config["FunctionName"])

    @property
    def runtime(self) -> str | None:
        """The runtime identifier, or None for container images."""
        value = self.config.get("Runtime")
        return str(value) if value else None

    @property
    def architecture(self) -> str:
        """x86_64 or arm64."""
        return str((self.config.get("Architectures") or ["x86_64"])[0])

    @property
    def timeout(self) -> int:
        """The function timeout in seconds."""
        return int(self.config.get("Timeout", 3))

    @property
    def environment(self) -> dict[str, str]:
        """The environment variables (in-process only: values never leave the process)."""
        env = self.config.get("Environment") or {}
        return dict(env.get("Variables") or {})

    @property
    def trigger_services(self) -> set[str]:
        """The services that push events to the function, from its resource policy."""
        return {t.service for t in self.triggers}

    @property
    def is_api_facing(self) -> bool:
        """Whether API Gateway or a function URL invokes the function."""
        return "apigateway" in self.trigger_services or self.url_config is not None

    @property
    def is_async_invoked(self) -> bool:
        """Whether S3, SNS, EventBridge or another async source invokes the function."""
        return bool(self.trigger_services & {"s3", "sns", "events", "scheduler", "iot", "ses"})
