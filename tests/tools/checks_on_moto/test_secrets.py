"""Environment secret checks (FN-07, FN-08) on functions created in moto."""

from __future__ import annotations

from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario

# A made-up value with the shape of a Stripe live key; never a real credential.
STRIPE_SHAPED = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"


def a_password_in_the_environment(aws: MotoAccount) -> None:
    aws.function(Environment={"Variables": {"DB_PASSWORD": "correct-horse-battery"}})


def references_to_secrets_only(aws: MotoAccount) -> None:
    secret = aws.arn("secretsmanager", "secret:orders/db-AbCdEf")
    aws.function(Environment={"Variables": {"DB_SECRET_ARN": secret, "LOG_LEVEL": "INFO"}})


def a_secret_under_a_customer_key(aws: MotoAccount) -> None:
    key = aws.client("kms").create_key(Description="app env")["KeyMetadata"]["Arn"]
    aws.function(Environment={"Variables": {"STRIPE_KEY": STRIPE_SHAPED}}, KMSKeyArn=key)


FIRING: dict[str, Scenario] = {
    "FN-07": a_password_in_the_environment,
    "FN-08": a_password_in_the_environment,
}
QUIET: dict[str, Scenario] = {
    "FN-07": references_to_secrets_only,
    "FN-08": a_secret_under_a_customer_key,
}


def test_a_secret_shaped_value_is_found_by_shape_and_reported_by_name_only(
    aws: MotoAccount,
) -> None:
    aws.function(Environment={"Variables": {"PAYMENTS": STRIPE_SHAPED}})

    result = aws.inspect()
    (finding,) = [f for f in result.findings if f.id == "FN-07"]

    assert finding.evidence["variables"] == ["PAYMENTS"]
    assert STRIPE_SHAPED not in result.model_dump_json()
