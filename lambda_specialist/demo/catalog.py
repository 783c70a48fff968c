"""The thirteen functions of Tidewater Goods: configuration, role, retention and workload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lambda_specialist.demo.resources import (
    BASIC_EXECUTION,
    DYNAMODB_STREAM_EXECUTION,
    SQS_QUEUE_EXECUTION,
    XRAY_WRITE,
    policy_document,
)
from lambda_specialist.demo.wiring import IMAGES_BUCKET
from lambda_specialist.demo.workload import DurationCurve, FunctionProfile, Workload

__all__ = ["CUSTOMER_SYNC_ENV", "LAYER_NAME", "FunctionSpec", "function_specs"]

LAYER_NAME = "shared-deps"
# Secret-looking environment values, all fake. The Stripe-style key is assembled so that no
# secret scanner mistakes this source file for a leaked live key.
_STRIPE_KEY = "sk_" + "live_" + "FAKEcanary4242TidewaterNotARealKey"
CUSTOMER_SYNC_ENV = {
    "DB_PASSWORD": "fake-canary-db-password-7Qm2",
    "STRIPE_API_KEY": _STRIPE_KEY,
    "DATABASE_URL": "postgres://app:fake-canary-pg-secret@db.internal:5432/shop",
    "LOG_LEVEL": "INFO",
    "TABLE_NAME": "customers",
}


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
            name=self.name,
            runtime=self.runtime,
            memory_mb=self.memory_mb,
            timeout_s=self.timeout_s,
            is_traced=self.tracing == "Active",
            workload=self.workload,
            region=region,
            reserved_concurrency=self.reserved_concurrency,
        )


def function_specs(*, region: str, account_id: str) -> tuple[FunctionSpec, ...]:
    """Return the thirteen functions of the scenario, in seed order."""
    arn = f"{region}:{account_id}"
    return (
        *_api_and_schedule_specs(arn),
        *_event_source_specs(),
        *_notify_specs(arn),
        *_exposed_specs(),
        *_healthy_x86_specs(),
        *_healthy_arm_specs(),
    )


def _api_and_schedule_specs(arn: str) -> tuple[FunctionSpec, ...]:
    return (
        FunctionSpec(
            name="orders-api",
            runtime="python3.12",
            team="checkout",
            service="orders",
            inline_policies={
                "orders-table": policy_document(
                    _statement(
                        ["dynamodb:GetItem", "dynamodb:PutItem"],
                        f"arn:aws:dynamodb:{arn}:table/orders",
                    )
                )
            },
            workload=Workload(
                per_day=2000,
                duration_ms=(300.0, 1200.0),
                memory_used_mb=(72, 112),
                cold_start_rate=0.08,
                init_ms=(600.0, 900.0),
                timeouts_per_day=(2, 4),
            ),
        ),
        FunctionSpec(
            name="legacy-invoice-export",
            runtime="python3.9",
            team="finance",
            service="invoicing",
            memory_mb=512,
            timeout_s=300,
            workload=Workload(
                per_day=1,
                shape="nightly",
                duration_ms=(140_000.0, 260_000.0),
                memory_used_mb=(380, 490),
                cold_start_rate=1.0,
                init_ms=(900.0, 1400.0),
                out_of_memory_runs=(2, 3),
            ),
        ),
    )


def _event_source_specs() -> tuple[FunctionSpec, ...]:
    return (
        FunctionSpec(
            name="inventory-stream-processor",
            runtime="python3.12",
            team="catalog",
            service="inventory",
            managed_policies=(DYNAMODB_STREAM_EXECUTION,),
            workload=Workload(per_day=250, duration_ms=(40.0, 260.0), memory_used_mb=(62, 88)),
        ),
        FunctionSpec(
            name="payment-queue-worker",
            runtime="python3.12",
            team="payments",
            service="payments",
            timeout_s=60,
            managed_policies=(SQS_QUEUE_EXECUTION,),
            workload=Workload(
                per_day=180,
                duration_ms=(1_200.0, 14_000.0),
                memory_used_mb=(84, 118),
            ),
        ),
        FunctionSpec(
            name="thumbnail-generator",
            runtime="python3.12",
            team="media",
            service="product-images",
            memory_mb=1024,
            timeout_s=30,
            inline_policies={
                "product-images": policy_document(
                    _statement(["s3:GetObject", "s3:PutObject"], f"arn:aws:s3:::{IMAGES_BUCKET}/*")
                )
            },
            # CPU-bound on two threads (resize and encode in parallel); tried at 1,536 and
            # 3,008 MB earlier in the window before settling back at 1,024 MB.
            workload=Workload(
                per_day=150,
                memory_used_mb=(300, 620),
                cold_start_rate=0.12,
                init_ms=(450.0, 800.0),
                curve=DurationCurve(io_ms=150.0, cpu_ms=2_400.0, threads=2),
                memory_history=((0.3, 1_536), (0.55, 3_008)),
            ),
        ),
    )


def _notify_specs(arn: str) -> tuple[FunctionSpec, ...]:
    failures = f"arn:aws:sqs:{arn}:notify-email-failures"
    return (
        FunctionSpec(
            name="notify-email",
            runtime="python3.12",
            team="notifications",
            service="notifications",
            inline_policies={
                "failure-destination": policy_document(_statement(["sqs:SendMessage"], failures))
            },
            # Waits on the mail provider: halving memory from 256 MB changed nothing.
            workload=Workload(
                per_day=250,
                curve=DurationCurve(io_ms=180.0, cpu_ms=2.0),
                memory_history=((0.4, 256),),
            ),
        ),
        FunctionSpec(
            name="notify-sms",
            runtime="python3.12",
            team="notifications",
            service="notifications",
            workload=Workload(per_day=120, duration_ms=(100.0, 650.0)),
        ),
        FunctionSpec(
            name="notify-analytics",
            runtime="nodejs22.x",
            handler="index.handler",
            team="notifications",
            service="analytics",
            workload=Workload(per_day=250, duration_ms=(30.0, 150.0), init_ms=(140.0, 260.0)),
        ),
    )


def _exposed_specs() -> tuple[FunctionSpec, ...]:
    return (
        FunctionSpec(
            name="promo-webhook",
            runtime="nodejs22.x",
            handler="index.handler",
            team="growth",
            service="promotions",
            workload=Workload(
                per_day=60,
                duration_ms=(20.0, 120.0),
                cold_start_rate=0.3,
                init_ms=(160.0, 300.0),
            ),
        ),
        FunctionSpec(
            name="customer-sync",
            runtime="python3.11",
            team="crm",
            service="customers",
            role_name="customer-sync-role",
            environment=CUSTOMER_SYNC_ENV,
            inline_policies={
                "customer-sync-access": policy_document(
                    _statement(["s3:*"], "*"),
                    _statement(["iam:PassRole"], "*"),
                )
            },
            workload=Workload(
                per_day=24,
                shape="flat",
                duration_ms=(400.0, 2_200.0),
                memory_used_mb=(90, 122),
                cold_start_rate=0.9,
                init_ms=(300.0, 520.0),
            ),
        ),
    )


def _healthy_x86_specs() -> tuple[FunctionSpec, ...]:
    traced = (BASIC_EXECUTION, XRAY_WRITE)
    return (
        FunctionSpec(
            name="pdf-renderer",
            runtime="python3.12",
            team="documents",
            service="invoice-pdfs",
            memory_mb=1024,
            timeout_s=30,
            tracing="Active",
            managed_policies=traced,
            log_retention_days=30,
            layers=(LAYER_NAME,),
            # Half waiting on S3, half rendering on one thread; raised from 512 MB mid-window.
            workload=Workload(
                per_day=200,
                memory_used_mb=(220, 420),
                cold_start_rate=0.05,
                init_ms=(350.0, 600.0),
                curve=DurationCurve(io_ms=400.0, cpu_ms=500.0),
                memory_history=((0.5, 512),),
            ),
        ),
    )


def _healthy_arm_specs() -> tuple[FunctionSpec, ...]:
    traced = (BASIC_EXECUTION, XRAY_WRITE)
    return (
        FunctionSpec(
            name="recommendations",
            runtime="python3.13",
            architecture="arm64",
            team="personalization",
            service="recommendations",
            memory_mb=1769,
            timeout_s=15,
            tracing="Active",
            managed_policies=traced,
            log_retention_days=30,
            # Single-threaded scoring, CPU-bound; raised from 1,024 MB mid-window.
            workload=Workload(
                per_day=500,
                memory_used_mb=(180, 260),
                cold_start_rate=0.02,
                init_ms=(300.0, 500.0),
                curve=DurationCurve(io_ms=15.0, cpu_ms=110.0),
                memory_history=((0.5, 1_024),),
            ),
        ),
        FunctionSpec(
            name="health-check",
            runtime="python3.13",
            architecture="arm64",
            team="platform",
            service="monitoring",
            memory_mb=256,
            timeout_s=10,
            tracing="Active",
            managed_policies=traced,
            log_retention_days=14,
            reserved_concurrency=5,
            workload=Workload(
                per_day=288,
                shape="flat",
                duration_ms=(15.0, 60.0),
                memory_used_mb=(48, 60),
                cold_start_rate=0.01,
                init_ms=(150.0, 250.0),
            ),
        ),
    )


def _statement(actions: list[str], resource: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}
