"""Pending plans and the audit log in DynamoDB (the Lambda deployment) and SQLite."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.slack_app.pending import (
    DynamoPlanStore,
    PendingPlan,
    PlanStore,
    SqlitePlanStore,
)
from lambda_specialist.tools.audit_log import AuditChange, AuditRecord, DynamoAuditStore


@pytest.fixture
def table(mock_account: MockAccount) -> tuple[AwsContext, str]:
    ctx = mock_account.context()
    name = f"state-{uuid.uuid4().hex[:8]}"
    ctx.call(
        "dynamodb",
        "create_table",
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
    )
    return ctx, name


EXPIRES = time.time() + 600


def plan(plan_id: str = "p1") -> PendingPlan:
    return PendingPlan(
        id=plan_id,
        tool="enable_tracing",
        arguments={"function_name": "f"},
        steps=[
            {
                "resource": "r",
                "field": "TracingConfig.Mode",
                "before": "PassThrough",
                "after": "Active",
            }
        ],
        requested_by="U1",
        channel="C1",
        expires_at=EXPIRES,
    )


def stores(table: tuple[AwsContext, str], tmp_path: Path) -> list[PlanStore]:
    return [DynamoPlanStore(*table), SqlitePlanStore(tmp_path / "plans.sqlite")]


def test_a_stored_plan_comes_back_once(table: tuple[AwsContext, str], tmp_path: Path) -> None:
    for store in stores(table, tmp_path):
        store.put(plan())

        assert (store.take("p1"), store.take("p1")) == (plan(), None)


def test_an_unknown_plan_id_is_none(table: tuple[AwsContext, str], tmp_path: Path) -> None:
    for store in stores(table, tmp_path):
        assert store.take("forged") is None


def test_audit_records_are_appended_to_the_table(table: tuple[AwsContext, str]) -> None:
    ctx, name = table
    record = AuditRecord(
        when=datetime.now(UTC),
        who="arn:aws:iam::123456789012:role/x",
        requested_by="slack:U1",
        tool="enable_tracing",
        account_id="123456789012",
        region="us-east-1",
        is_mock=True,
        changes=[
            AuditChange(
                resource="r",
                field="TracingConfig.Mode",
                before="PassThrough",
                after="Active",
                operation="lambda:UpdateFunctionConfiguration",
            )
        ],
    )

    DynamoAuditStore(ctx, name).append(record)
    DynamoAuditStore(ctx, name).append(record)

    items = ctx.call(
        "dynamodb",
        "query",
        TableName=name,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "audit"}},
    )["Items"]
    assert [AuditRecord.model_validate_json(i["body"]["S"]) for i in items] == [record, record]
