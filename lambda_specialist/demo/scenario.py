"""Tidewater Goods: the small online shop seeded into the embedded mock account."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from lambda_specialist.demo.resources import (
    BASIC_EXECUTION,
    DYNAMODB_STREAM_EXECUTION,
    SQS_QUEUE_EXECUTION,
    XRAY_WRITE,
    code_package,
    create_log_group,
    create_role,
    layer_package,
    policy_document,
    put_log_days,
    put_metric_data,
)
from lambda_specialist.demo.wiring import IMAGES_BUCKET, wire_event_sources
from lambda_specialist.demo.workload import (
    FunctionProfile,
    Workload,
    build_log_days,
    build_metric_data,
    generate_invocations,
    window_hours,
)

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
LAYER_NAME = "shared-deps"
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
)
HEALTHY_FUNCTIONS = ("pdf-renderer", "recommendations", "health-check")
# Secret-looking environment values, all fake. The Stripe-style key is assembled so that no
# secret scanner mistakes this source file for a leaked live key.
_STRIPE_KEY = "sk_" + "live_" + "FAKEcanary4242TidewaterNotARealKey"
_CUSTOMER_SYNC_ENV = {
    "DB_PASSWORD": "fake-canary-db-password-7Qm2",
    "STRIPE_API_KEY": _STRIPE_KEY,
    "DATABASE_URL": "postgres://app:fake-canary-pg-secret@db.internal:5432/shop",
    "LOG_LEVEL": "INFO",
    "TABLE_NAME": "customers",
}
# Every secret-like environment value seeded, for tests that check none leaks into output.
# LOG_LEVEL=INFO and TABLE_NAME=customers are left out: they are ordinary words that
# legitimately appear in results.
CANARY_VALUES = tuple(
    value for key, value in _CUSTOMER_SYNC_ENV.items() if key not in {"LOG_LEVEL", "TABLE_NAME"}
)


@dataclass(frozen=True)
class FunctionSpec:
    """One seeded function: its configuration, role, log retention and workload."""

    name: str
    runtime: str
    team: str
    service: str
    workload: Workload
    handler: str = "app.handler"
    architecture: str = "x86_64"
    memory_mb: int = 128
    timeout_s: int = 3
    tracing: str = "PassThrough"
    managed_policies: tuple[str, ...] = (BASIC_EXECUTION,)
    inline_policies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)
    log_retention_days: int | None = None
    reserved_concurrency: int | None = None
    layers: tuple[str, ...] = ()
    role_name: str = ""

    @property
    def role(self) -> str:
        """The name of the function's execution role."""
        return self.role_name or f"{self.name}-role"

    def profile(self, region: str) -> FunctionProfile:
        """Return what the workload generator needs about this function."""
        return FunctionProfile(
            name=self.name, runtime=self.runtime, memory_mb=self.memory_mb,
            timeout_s=self.timeout_s, is_traced=self.tracing == "Active",
            workload=self.workload, region=region,
            reserved_concurrency=self.reserved_concurrency,
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


def function_specs(*, region: str, account_id: str) -> tuple[FunctionSpec, ...]:
    """Return the thirteen functions of the scenario, in seed order."""
    arn = f"{region}:{account_id}"
    return (
        *_problem_specs(arn),
        *_notify_specs(arn),
        *_exposed_specs(),
        *_healthy_specs(),
    )


def seed(ctx: AwsContext, *, now: datetime | None = None) -> SeedReport:
    """Seed Tidewater Goods into an empty account, deterministically.

    Args:
        ctx: The account to seed; in practice the embedded mock account.
        now: The end of the seeded window of logs and metrics (truncated to the hour); the
            current time if None. It must be within the last hour or so: CloudWatch accepts
            log events of the last 14 days only.

    Returns:
        The report of what was created.
    """
    started = time.perf_counter()
    account_id = ctx.describe().account_id
    specs = function_specs(region=ctx.region, account_id=account_id)
    hours = window_hours(now or datetime.now(UTC))

    layers = {LAYER_NAME: _publish_layer(ctx)}
    functions = {spec.name: _create_function(ctx, spec, layers) for spec in specs}
    wire_event_sources(ctx, functions, account_id=account_id)
    log_events, datums = _seed_telemetry(ctx, specs, hours)

    report = SeedReport(
        company=COMPANY, account_id=account_id, region=ctx.region, functions=tuple(functions),
        log_events=log_events, metric_datums=datums, window_start=hours[0],
        window_end=hours[-1] + timedelta(hours=1),
        seconds=round(time.perf_counter() - started, 3),
    )
    logger.info("demo seed: %d functions, %d log events, %d datums in %.2f s",
                len(report.functions), log_events, datums, report.seconds)
    return report


def _publish_layer(ctx: AwsContext) -> str:
    layer = ctx.call(
        "lambda", "publish_layer_version", LayerName=LAYER_NAME,
        Description="Shared Python helpers for Tidewater Goods services.",
        Content={"ZipFile": layer_package()},
        CompatibleRuntimes=["python3.12", "python3.13"],
        CompatibleArchitectures=["x86_64"],
    )
    return str(layer["LayerVersionArn"])


def _create_function(ctx: AwsContext, spec: FunctionSpec, layers: Mapping[str, str]) -> str:
    tags = {"team": spec.team, "service": spec.service}
    role_arn = create_role(ctx, spec.role, managed=spec.managed_policies,
                           inline=spec.inline_policies, tags=tags)
    extra: dict[str, Any] = {}
    if spec.environment:
        extra["Environment"] = {"Variables": dict(spec.environment)}
    if spec.layers:
        extra["Layers"] = [layers[name] for name in spec.layers]

    function = ctx.call(
        "lambda", "create_function", FunctionName=spec.name, Runtime=spec.runtime,
        Role=role_arn, Handler=spec.handler, Code={"ZipFile": code_package(spec.handler,
                                                                           spec.runtime)},
        Architectures=[spec.architecture], MemorySize=spec.memory_mb, Timeout=spec.timeout_s,
        TracingConfig={"Mode": spec.tracing}, Tags=tags,
        Description=f"{COMPANY} {spec.service} ({spec.team} team).", **extra,
    )
    if spec.reserved_concurrency is not None:
        ctx.call("lambda", "put_function_concurrency", FunctionName=spec.name,
                 ReservedConcurrentExecutions=spec.reserved_concurrency)
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
        days = build_log_days(profile, invocations, rng)
        log_events += put_log_days(ctx, f"/aws/lambda/{spec.name}", days)
        data.extend(build_metric_data(profile, invocations, hours))
    return log_events, put_metric_data(ctx, "AWS/Lambda", data)


def _statement(actions: list[str], resource: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def _problem_specs(arn: str) -> tuple[FunctionSpec, ...]:
    return (
        FunctionSpec(
            name="orders-api", runtime="python3.12", team="checkout", service="orders",
            inline_policies={"orders-table": policy_document(_statement(
                ["dynamodb:GetItem", "dynamodb:PutItem"], f"arn:aws:dynamodb:{arn}:table/orders"
            ))},
            workload=Workload(
                per_day=2000, duration_ms=(300.0, 1200.0), memory_used_mb=(72, 112),
                cold_start_rate=0.08, init_ms=(600.0, 900.0), timeouts_per_day=(2, 4),
            ),
        ),
        FunctionSpec(
            name="legacy-invoice-export", runtime="python3.9", team="finance",
            service="invoicing", memory_mb=512, timeout_s=300,
            workload=Workload(
                per_day=1, shape="nightly", duration_ms=(140_000.0, 260_000.0),
                memory_used_mb=(380, 490), cold_start_rate=1.0, init_ms=(900.0, 1400.0),
                out_of_memory_runs=(2, 3),
            ),
        ),
        FunctionSpec(
            name="inventory-stream-processor", runtime="python3.12", team="catalog",
            service="inventory", managed_policies=(DYNAMODB_STREAM_EXECUTION,),
            workload=Workload(per_day=400, duration_ms=(40.0, 260.0), memory_used_mb=(62, 88)),
        ),
        FunctionSpec(
            name="payment-queue-worker", runtime="python3.12", team="payments",
            service="payments", timeout_s=60, managed_policies=(SQS_QUEUE_EXECUTION,),
            workload=Workload(
                per_day=300, duration_ms=(1_200.0, 14_000.0), memory_used_mb=(84, 118),
            ),
        ),
        FunctionSpec(
            name="thumbnail-generator", runtime="python3.12", team="media",
            service="product-images", memory_mb=1024, timeout_s=30,
            inline_policies={"product-images": policy_document(_statement(
                ["s3:GetObject", "s3:PutObject"], f"arn:aws:s3:::{IMAGES_BUCKET}/*"
            ))},
            workload=Workload(
                per_day=150, duration_ms=(900.0, 4_200.0), memory_used_mb=(300, 620),
                cold_start_rate=0.12, init_ms=(450.0, 800.0),
            ),
        ),
    )


def _notify_specs(arn: str) -> tuple[FunctionSpec, ...]:
    failures = f"arn:aws:sqs:{arn}:notify-email-failures"
    return (
        FunctionSpec(
            name="notify-email", runtime="python3.12", team="notifications",
            service="notifications",
            inline_policies={"failure-destination": policy_document(
                _statement(["sqs:SendMessage"], failures)
            )},
            workload=Workload(per_day=400, duration_ms=(80.0, 420.0)),
        ),
        FunctionSpec(
            name="notify-sms", runtime="python3.12", team="notifications",
            service="notifications",
            workload=Workload(per_day=120, duration_ms=(100.0, 650.0)),
        ),
        FunctionSpec(
            name="notify-analytics", runtime="nodejs22.x", handler="index.handler",
            team="notifications", service="analytics",
            workload=Workload(per_day=400, duration_ms=(30.0, 150.0), init_ms=(140.0, 260.0)),
        ),
    )


def _exposed_specs() -> tuple[FunctionSpec, ...]:
    return (
        FunctionSpec(
            name="promo-webhook", runtime="nodejs22.x", handler="index.handler", team="growth",
            service="promotions",
            workload=Workload(
                per_day=60, duration_ms=(20.0, 120.0), cold_start_rate=0.3,
                init_ms=(160.0, 300.0),
            ),
        ),
        FunctionSpec(
            name="customer-sync", runtime="python3.11", team="crm", service="customers",
            role_name="customer-sync-role", environment=_CUSTOMER_SYNC_ENV,
            inline_policies={"customer-sync-access": policy_document(
                _statement(["s3:*"], "*"), _statement(["iam:PassRole"], "*"),
            )},
            workload=Workload(
                per_day=24, shape="flat", duration_ms=(400.0, 2_200.0),
                memory_used_mb=(90, 122), cold_start_rate=0.9, init_ms=(300.0, 520.0),
            ),
        ),
    )


def _healthy_specs() -> tuple[FunctionSpec, ...]:
    traced = (BASIC_EXECUTION, XRAY_WRITE)
    return (
        FunctionSpec(
            name="pdf-renderer", runtime="python3.12", team="documents", service="invoice-pdfs",
            memory_mb=1024, timeout_s=30, tracing="Active", managed_policies=traced,
            log_retention_days=30, layers=(LAYER_NAME,),
            workload=Workload(
                per_day=200, duration_ms=(700.0, 2_600.0), memory_used_mb=(220, 420),
                cold_start_rate=0.05, init_ms=(350.0, 600.0),
            ),
        ),
        FunctionSpec(
            name="recommendations", runtime="python3.13", architecture="arm64",
            team="personalization", service="recommendations", memory_mb=1769, timeout_s=15,
            tracing="Active", managed_policies=traced, log_retention_days=30,
            workload=Workload(
                per_day=800, duration_ms=(60.0, 240.0), memory_used_mb=(180, 260),
                cold_start_rate=0.02, init_ms=(300.0, 500.0),
            ),
        ),
        FunctionSpec(
            name="health-check", runtime="python3.13", architecture="arm64", team="platform",
            service="monitoring", memory_mb=256, timeout_s=10, tracing="Active",
            managed_policies=traced, log_retention_days=14, reserved_concurrency=5,
            workload=Workload(
                per_day=288, shape="flat", duration_ms=(15.0, 60.0), memory_used_mb=(48, 60),
                cold_start_rate=0.01, init_ms=(150.0, 250.0),
            ),
        ),
    )
