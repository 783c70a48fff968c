"""Execution-role checks (IA-01, IA-02) on roles and policies created in moto's IAM."""

from __future__ import annotations

from lambda_specialist.tools.models import Severity
from tests.tools.checks_on_moto.conftest import (
    WRITE_LOGS,
    WRITE_TRACES,
    MotoAccount,
    Scenario,
)

EVERYTHING = {"Effect": "Allow", "Action": "*", "Resource": "*"}
ALL_OF_S3 = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
READ_ONE_TABLE = {
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem", "dynamodb:Query"],
    "Resource": "arn:aws:dynamodb:us-east-1:*:table/orders",
}
PASS_ANY_ROLE = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}


def a_role_allowed_everything(aws: MotoAccount) -> None:
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, EVERYTHING))


def a_role_scoped_to_one_table(aws: MotoAccount) -> None:
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, READ_ONE_TABLE))


def a_role_that_may_pass_any_role(aws: MotoAccount) -> None:
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, PASS_ANY_ROLE))


def a_role_that_may_pass_one_role(aws: MotoAccount) -> None:
    one = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": aws.arn("iam", "role/worker").replace(":us-east-1:", "::"),
    }
    aws.function(role_statements=(WRITE_TRACES, WRITE_LOGS, one))


FIRING: dict[str, Scenario] = {
    "IA-01": a_role_allowed_everything,
    "IA-02": a_role_that_may_pass_any_role,
}
QUIET: dict[str, Scenario] = {
    "IA-01": a_role_scoped_to_one_table,
    "IA-02": a_role_that_may_pass_one_role,
}


def test_a_full_wildcard_is_critical_and_a_service_wildcard_high(aws: MotoAccount) -> None:
    role = aws.role("app-role", (WRITE_TRACES, WRITE_LOGS, EVERYTHING), managed=(ALL_OF_S3,))
    aws.function(Role=role)

    found = {(f.evidence["policy"], f.severity) for f in aws.inspect().findings if f.id == "IA-01"}

    assert found == {("inline", Severity.CRITICAL), ("app-role-managed-0", Severity.HIGH)}


def test_a_managed_policy_is_read_through_its_default_version(aws: MotoAccount) -> None:
    role = aws.role("app-role", (WRITE_TRACES, WRITE_LOGS), managed=(PASS_ANY_ROLE,))
    aws.function(Role=role)

    (finding,) = [f for f in aws.inspect().findings if f.id == "IA-02"]

    assert finding.evidence["policy"] == "app-role-managed-0"
