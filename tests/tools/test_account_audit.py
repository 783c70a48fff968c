"""audit_account reviews every function of the seeded account, worst first."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.demo.scenario import FUNCTION_NAMES, HEALTHY_FUNCTIONS
from lambda_specialist.errors import InvalidInputError
from lambda_specialist.tools.account_audit import AccountAudit, audit_account
from lambda_specialist.tools.inspection import inspect_function


@pytest.fixture(scope="module")
def full_audit(mock_account: Any) -> AccountAudit:
    factory = ClientFactory(mock_account.settings())
    return audit_account(factory.context())


def test_the_audit_reviews_every_function_and_lists_every_seeded_problem(
    full_audit: AccountAudit,
) -> None:
    audit = full_audit

    fired = {tally.id for tally in audit.by_check}
    assert audit.functions_reviewed == len(FUNCTION_NAMES)
    assert audit.failed == []
    assert {
        "RT-01",
        "ES-01",
        "ES-02",
        "SQ-01",
        "SQ-02",
        "AS-01",
        "AS-03",
        "FN-02",
        "FN-07",
        "IA-01",
        "IA-02",
        "TR-01",
    } <= fired


def test_the_worst_function_comes_first_and_healthy_ones_last(full_audit: AccountAudit) -> None:
    names = [row.name for row in full_audit.functions]
    assert names[0] == "customer-sync"
    assert set(names[-len(HEALTHY_FUNCTIONS) :]) == set(HEALTHY_FUNCTIONS)


def test_filters_narrow_the_audit(factory: ClientFactory) -> None:
    by_prefix = audit_account(factory.context(), name_prefix="notify-")
    by_runtime = audit_account(factory.context(), runtime="nodejs22.x")

    assert [r.name for r in by_prefix.functions] == [
        "notify-analytics",
        "notify-sms",
        "notify-email",
    ]
    assert sorted(r.name for r in by_runtime.functions) == ["notify-analytics", "promo-webhook"]


def test_a_tag_filter_reads_tags(factory: ClientFactory) -> None:
    payments = audit_account(factory.context(), tag="service=payments")
    nothing = audit_account(factory.context(), tag="team=nobody-has-this")

    assert [r.name for r in payments.functions] == ["payment-queue-worker"]
    assert nothing.functions_reviewed == 0


def test_a_tag_filter_without_a_key_is_refused(factory: ClientFactory) -> None:
    with pytest.raises(InvalidInputError):
        audit_account(factory.context(), tag="=x")


def test_progress_is_reported_for_every_function(factory: ClientFactory) -> None:
    seen: list[tuple[int, int]] = []

    audit_account(
        factory.context(),
        name_prefix="notify-",
        progress=lambda done, total, _: seen.append((done, total)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_denied_optional_read_is_not_evaluated_and_names_the_permission(
    factory: ClientFactory,
) -> None:
    ctx = factory.context()
    sqs = factory.client(ctx.target, "sqs")

    def deny(**_: Any) -> None:
        raise ClientError(
            {
                "Error": {
                    "Code": "AccessDenied",
                    "Message": "User: arn:aws:sts::123456789012:"
                    "assumed-role/auditor/x is not authorized to perform: "
                    "sqs:getqueueattributes",
                },
                "ResponseMetadata": {"HTTPStatusCode": 403},
            },
            "GetQueueAttributes",
        )

    sqs.meta.events.register("before-call.sqs.GetQueueAttributes", deny)
    try:
        review = inspect_function(ctx, function_name="payment-queue-worker")
    finally:
        sqs.meta.events.unregister("before-call.sqs.GetQueueAttributes", deny)

    skipped = {s.check_id: s.missing_permission for s in review.not_evaluated}
    assert skipped["SQ-01"] == skipped["SQ-02"] == "sqs:getqueueattributes"
    assert "SQ-03" in {f.id for f in review.findings}
