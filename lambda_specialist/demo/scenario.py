"""Tidewater Goods: the small online shop seeded into the embedded mock account."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from lambda_specialist.demo.broken_layer import IMAGE_LABELER, publish_broken_layer
from lambda_specialist.demo.catalog import (
    CUSTOMER_SYNC_ENV,
    LAYER_NAME,
    FunctionSpec,
    function_specs,
)
from lambda_specialist.demo.resources import (
    code_package,
    create_log_group,
    create_role,
    layer_package,
    put_function_logs,
    put_metric_data,
)
from lambda_specialist.demo.wiring import wire_event_sources
from lambda_specialist.demo.workload import (
    build_logs,
    build_metric_data,
    generate_invocations,
    window_hours,
)
from lambda_specialist.errors import InvalidInputError

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = [
    "CANARY_VALUES",
    "COMPANY",
    "FUNCTION_NAMES",
    "HEALTHY_FUNCTIONS",
    "LAYER_NAME",
    "FunctionSpec",
    "SeedReport",
    "function_specs",
    "seed",
]

logger = logging.getLogger(__name__)

COMPANY = "Tidewater Goods"
FUNCTION_NAMES = (
    "orders-api",
    "legacy-invoice-export",
    "inventory-stream-processor",
    "payment-queue-worker",
    "thumbnail-generator",
    "notify-email",
    "notify-sms",
    "notify-analytics",
    "promo-webhook",
    "customer-sync",
    "pdf-renderer",
    "recommendations",
    "health-check",
    "image-labeler",
)
HEALTHY_FUNCTIONS = ("pdf-renderer", "recommendations", "health-check")
# Every secret-like environment value seeded, for tests that check none leaks into output.
# LOG_LEVEL=INFO and TABLE_NAME=customers are left out: they are ordinary words that
# legitimately appear in results.
CANARY_VALUES = tuple(
    value for key, value in CUSTOMER_SYNC_ENV.items() if key not in {"LOG_LEVEL", "TABLE_NAME"}
)


class SeedReport(BaseModel):
    """What a seed created and how long it took."""

    model_config = ConfigDict(frozen=True)

    company: str = Field(description="The seeded company.")
    account_id: str = Field(description="The account seeded.")
    region: str = Field(description="The region seeded.")
    functions: tuple[str, ...] = Field(description="The functions created, in seed order.")
    log_events: int = Field(description="Log events written across all log groups.")
    metric_datums: int = Field(description="AWS/Lambda metric datums written.")
    window_start: datetime = Field(description="The start of the oldest seeded hour.")
    window_end: datetime = Field(description="The end of the newest seeded hour.")
    seconds: float = Field(description="Wall-clock seconds the seed took.")


def seed(ctx: AwsContext, *, now: datetime | None = None) -> SeedReport:
    """Seed Tidewater Goods into an empty account, deterministically.

    The account must load the AWS managed IAM policies (the embedded account does), since
    the roles attach them.

    Args:
        ctx: The embedded mock account to seed.
        now: The end of the seeded window of logs and metrics (truncated to the hour); the
            current time if None. It must be within the last hour or so: CloudWatch accepts
            log events of the last 14 days only.

    Returns:
        The report of what was created.

    Raises:
        InvalidInputError: ``ctx`` is not the embedded mock account.
    """
    started = time.perf_counter()
    account = ctx.describe()
    if not account.is_mock:
        raise InvalidInputError(
            f"The {COMPANY} scenario is seeded only into the embedded mock account, not into "
            f"account {account.account_id}. Start the product with --mock to use it."
        )
    account_id = account.account_id
    specs = (*function_specs(region=ctx.region, account_id=account_id), IMAGE_LABELER)
    hours = window_hours(now or datetime.now(UTC))

    layers = {LAYER_NAME: _publish_layer(ctx), **publish_broken_layer(ctx)}
    functions = {spec.name: _create_function(ctx, spec, layers) for spec in specs}
    wire_event_sources(ctx, functions, account_id=account_id)
    log_events, datums = _seed_telemetry(ctx, specs, hours)

    report = SeedReport(
        company=COMPANY,
        account_id=account_id,
        region=ctx.region,
        functions=tuple(functions),
        log_events=log_events,
        metric_datums=datums,
        window_start=hours[0],
        window_end=hours[-1] + timedelta(hours=1),
        seconds=round(time.perf_counter() - started, 3),
    )
    logger.info(
        "demo seed: %d functions, %d log events, %d datums in %.2f s",
        len(report.functions),
        log_events,
        datums,
        report.seconds,
    )
    return report


def _publish_layer(ctx: AwsContext) -> str:
    layer = ctx.call(
        "lambda",
        "publish_layer_version",
        LayerName=LAYER_NAME,
        Description="Shared Python helpers for Tidewater Goods services.",
        Content={"ZipFile": layer_package()},
        CompatibleRuntimes=["python3.12", "python3.13"],
        CompatibleArchitectures=["x86_64"],
    )
    return str(layer["LayerVersionArn"])


def _create_function(ctx: AwsContext, spec: FunctionSpec, layers: Mapping[str, str]) -> str:
    tags = {"team": spec.team, "service": spec.service}
    role_arn = create_role(
        ctx, spec.role, managed=spec.managed_policies, inline=spec.inline_policies, tags=tags
    )
    extra: dict[str, Any] = {}
    if spec.environment:
        extra["Environment"] = {"Variables": dict(spec.environment)}
    if spec.layers:
        extra["Layers"] = [layers[name] for name in spec.layers]

    function = ctx.call(
        "lambda",
        "create_function",
        FunctionName=spec.name,
        Runtime=spec.runtime,
        Role=role_arn,
        Handler=spec.handler,
        Code={"ZipFile": code_package(spec.handler, spec.runtime)},
        Architectures=[spec.architecture],
        MemorySize=spec.memory_mb,
        Timeout=spec.timeout_s,
        TracingConfig={"Mode": spec.tracing},
        Tags=tags,
        Description=f"{COMPANY} {spec.service} ({spec.team} team).",
        **extra,
    )
    if spec.reserved_concurrency is not None:
        ctx.call(
            "lambda",
            "put_function_concurrency",
            FunctionName=spec.name,
            ReservedConcurrentExecutions=spec.reserved_concurrency,
        )
    create_log_group(ctx, f"/aws/lambda/{spec.name}", retention_days=spec.log_retention_days)
    return str(function["FunctionArn"])


def _seed_telemetry(
    ctx: AwsContext, specs: tuple[FunctionSpec, ...], hours: list[datetime]
) -> tuple[int, int]:
    log_events = 0
    data: list[dict[str, Any]] = []
    for spec in specs:
        profile = spec.profile(ctx.region)
        rng = random.Random(spec.name)
        invocations = generate_invocations(profile, hours, rng)
        logs = build_logs(profile, invocations, rng)
        log_events += put_function_logs(ctx, f"/aws/lambda/{spec.name}", logs)
        data.extend(build_metric_data(profile, invocations, hours))
    return log_events, put_metric_data(ctx, "AWS/Lambda", data)
