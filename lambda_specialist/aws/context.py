"""AWS sessions, cached clients and concurrent reads for one account, region and identity."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, Field

from lambda_specialist.aws.errors import translate_error
from lambda_specialist.errors import AwsError, InvalidInputError

if TYPE_CHECKING:
    from lambda_specialist.config import Settings

__all__ = ["AccountContext", "AwsContext", "AwsTarget", "ClientFactory", "JsonDict"]

logger = logging.getLogger(__name__)

JsonDict = dict[str, Any]
T = TypeVar("T")

DEFAULT_REGION = "us-east-1"
MOCK_ACCOUNT_ID = "123456789012"
_REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
_ROLE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")


class AccountContext(BaseModel):
    """Which account, region and profile a result was read from."""

    account_id: str = Field(description="The 12-digit AWS account ID.")
    region: str = Field(description="The region read.")
    profile: str | None = Field(default=None, description="The AWS profile used, if any.")
    role_arn: str | None = Field(default=None, description="The role assumed, if any.")
    is_mock: bool = Field(description="True when this is the embedded mock account.")


@dataclass(frozen=True)
class AwsTarget:
    """The identity and place a call reads: profile, region and an optional role."""

    profile: str | None
    region: str
    role_arn: str | None = None


class ClientFactory:
    """Build sessions and clients once per target, with retries, timeouts and a pool.

    Created once per process by a surface and passed down; nothing here touches AWS until a
    tool asks for a client.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._sessions: dict[AwsTarget, Any] = {}
        self._clients: dict[tuple[AwsTarget, str], Any] = {}
        self._accounts: dict[AwsTarget, str] = {}
        self._executor = ThreadPoolExecutor(
            max_workers=settings.max_concurrency, thread_name_prefix="aws-read"
        )

    def context(
        self, *, region: str | None = None, profile: str | None = None, role_arn: str | None = None
    ) -> AwsContext:
        """Return a context for this call, checking per-call overrides against the settings."""
        target = self._resolve_target(region=region, profile=profile, role_arn=role_arn)
        return AwsContext(self, target)

    def client(self, target: AwsTarget, service: str) -> Any:
        """Return the cached client for ``service`` at ``target``, creating it once."""
        key = (target, service)
        with self._lock:
            if key not in self._clients:
                session = self._session(target)
                self._clients[key] = session.client(
                    service,
                    region_name=target.region,
                    config=self._config(),
                    endpoint_url=self.settings.endpoint_url or None,
                )
            return self._clients[key]

    def account_id(self, target: AwsTarget) -> str:
        """Return the account ID for ``target``, asking STS once."""
        with self._lock:
            known = self._accounts.get(target)
        if known:
            return known
        identity = AwsContext(self, target).call("sts", "get_caller_identity")
        account = str(identity["Account"])
        with self._lock:
            self._accounts[target] = account
        return account

    def submit(self, fn: Callable[[], T]) -> Any:
        """Run ``fn`` on the shared read pool and return its future."""
        return self._executor.submit(fn)

    def close(self) -> None:
        """Stop the read pool."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _resolve_target(
        self, *, region: str | None, profile: str | None, role_arn: str | None
    ) -> AwsTarget:
        settings = self.settings
        if region is not None:
            if not _REGION_PATTERN.match(region):
                raise InvalidInputError(
                    f"'{region}' is not an AWS region name. Use a name such as 'us-east-1'."
                )
            if settings.allowed_regions and region not in settings.allowed_regions:
                raise InvalidInputError(
                    f"Region '{region}' is not allowed for this server. Allowed: "
                    f"{', '.join(settings.allowed_regions)} (LAMBDA_SPECIALIST_ALLOWED_REGIONS)."
                )
        if profile not in (None, settings.profile, *settings.allowed_profiles):
            raise InvalidInputError(
                f"Profile '{profile}' may not be chosen per call. Add it to "
                "LAMBDA_SPECIALIST_ALLOWED_PROFILES, or start the server with --profile."
            )
        if role_arn is not None:
            if not settings.allow_role_arn:
                raise InvalidInputError(
                    "This server does not assume roles per call. Set "
                    "LAMBDA_SPECIALIST_ALLOW_ROLE_ARN=true to allow role_arn."
                )
            if not _ROLE_ARN_PATTERN.match(role_arn):
                raise InvalidInputError(
                    f"'{role_arn}' is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)."
                )
        chosen_profile = profile or settings.profile
        chosen_region = region or settings.region or self._profile_region(chosen_profile)
        if not _REGION_PATTERN.match(chosen_region):
            raise InvalidInputError(
                f"'{chosen_region}' is not an AWS region name. Use --region (or "
                "LAMBDA_SPECIALIST_REGION) with a name such as 'us-east-1'."
            )
        return AwsTarget(profile=chosen_profile, region=chosen_region, role_arn=role_arn)

    def _profile_region(self, profile: str | None) -> str:
        if self.settings.mock:
            return DEFAULT_REGION
        session = self._session(AwsTarget(profile=profile, region=DEFAULT_REGION))
        return str(session.region_name or DEFAULT_REGION)

    def _session(self, target: AwsTarget) -> Any:
        base = AwsTarget(profile=target.profile, region=target.region)
        if target in self._sessions:
            return self._sessions[target]
        import boto3
        from botocore import exceptions as bx

        try:
            if self.settings.mock:
                session = boto3.Session(
                    aws_access_key_id="mock",
                    aws_secret_access_key="mock",
                    region_name=target.region,
                )
            else:
                session = boto3.Session(profile_name=target.profile, region_name=target.region)
        except bx.ProfileNotFound as exc:
            raise translate_error(
                exc,
                service="sts",
                operation="session",
                profile=target.profile,
                region=target.region,
            ) from exc
        if target.role_arn:
            session = self._assumed_session(self._sessions.get(base) or session, target)
        self._sessions[target] = session
        return session

    def _assumed_session(self, base: Any, target: AwsTarget) -> Any:
        import boto3

        sts = base.client(
            "sts",
            region_name=target.region,
            config=self._config(),
            endpoint_url=self.settings.endpoint_url or None,
        )
        try:
            creds = sts.assume_role(RoleArn=target.role_arn, RoleSessionName="lambda-specialist")
        except Exception as exc:
            raise translate_error(
                exc,
                service="sts",
                operation="AssumeRole",
                profile=target.profile,
                region=target.region,
            ) from exc
        c = creds["Credentials"]
        return boto3.Session(
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
            region_name=target.region,
        )

    def _config(self) -> Any:
        from botocore.config import Config

        settings = self.settings
        return Config(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},
            max_pool_connections=max(10, settings.max_concurrency * 2),
            # moto's server answers 500 to gzipped bodies (large PutMetricData).
            disable_request_compression=bool(settings.mock or settings.endpoint_url),
            user_agent_extra="lambda-specialist",
        )


class AwsContext:
    """One call's view of AWS: a target, its cached clients and a concurrent-read helper."""

    def __init__(self, factory: ClientFactory, target: AwsTarget) -> None:
        self.factory = factory
        self.target = target

    @property
    def region(self) -> str:
        """The region this context reads."""
        return self.target.region

    def describe(self) -> AccountContext:
        """Return the account context every result carries (one STS call, cached)."""
        return AccountContext(
            account_id=self.factory.account_id(self.target),
            region=self.target.region,
            profile=self.target.profile,
            role_arn=self.target.role_arn,
            is_mock=self.factory.settings.mock,
        )

    def call(self, service: str, operation: str, **kwargs: Any) -> JsonDict:
        """Call ``service.operation`` and return its response, translating failures."""
        started = time.perf_counter()
        try:
            with self._translated(service, operation):
                client = self.factory.client(self.target, service)
                response: JsonDict = getattr(client, operation)(**kwargs)
        finally:
            logger.debug(
                "aws call: %s.%s %.0f ms",
                service,
                operation,
                (time.perf_counter() - started) * 1000,
            )
        response.pop("ResponseMetadata", None)
        return response

    def paginate(
        self, service: str, operation: str, key: str, *, limit: int | None = None, **kwargs: Any
    ) -> list[JsonDict]:
        """Return every item under ``key`` across pages of ``operation`` (up to ``limit``)."""
        items: list[JsonDict] = []
        for page in self._pages(service, operation, **kwargs):
            items.extend(page.get(key, []))
            if limit is not None and len(items) >= limit:
                return items[:limit]
        return items

    def gather(self, calls: Mapping[str, Callable[[], T]]) -> dict[str, T | AwsError]:
        """Run independent reads concurrently; each value is a result or the AwsError it hit."""
        return self.launch(calls)()

    def launch(self, calls: Mapping[str, Callable[[], T]]) -> Callable[[], dict[str, T | AwsError]]:
        """Start reads now and return a function that waits for them (for reads off the path)."""
        futures = {name: self.factory.submit(fn) for name, fn in calls.items()}
        return lambda: self._collect(futures)

    @staticmethod
    def _collect(futures: Mapping[str, Any]) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except AwsError as exc:
                results[name] = exc
        return results

    def _pages(self, service: str, operation: str, **kwargs: Any) -> Iterator[JsonDict]:
        client = self.factory.client(self.target, service)
        with self._translated(service, operation):
            pages = iter(client.get_paginator(operation).paginate(**kwargs))
        while True:
            with self._translated(service, operation):
                page = next(pages, None)
            if page is None:
                return
            yield page

    @contextmanager
    def _translated(self, service: str, operation: str) -> Iterator[None]:
        """Turn botocore failures inside the block into domain errors that say what to do."""
        try:
            yield
        except AwsError:
            raise
        except Exception as exc:
            if not _is_botocore_error(exc):
                raise
            raise translate_error(
                exc,
                service=service,
                operation=_pascal(operation),
                profile=self.target.profile,
                region=self.target.region,
            ) from exc


def _is_botocore_error(exc: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, BotoCoreError | ClientError)


def _pascal(operation: str) -> str:
    return "".join(part.capitalize() for part in operation.split("_"))
