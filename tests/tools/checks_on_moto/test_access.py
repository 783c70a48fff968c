"""Access checks (FN-01..FN-04) on moto's resource policies and function URLs."""

from __future__ import annotations

from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario


def anyone_may_invoke(aws: MotoAccount) -> None:
    aws.function()
    aws.allow("*")


def only_the_organization_may_invoke(aws: MotoAccount) -> None:
    aws.function()
    aws.allow("*", PrincipalOrgID="o-a1b2c3d4e5")


def a_url_without_authentication(aws: MotoAccount) -> None:
    aws.function()
    aws.client("lambda").create_function_url_config(FunctionName="app", AuthType="NONE")


def a_url_signed_with_iam(aws: MotoAccount) -> None:
    aws.function()
    aws.client("lambda").create_function_url_config(FunctionName="app", AuthType="AWS_IAM")


def a_url_open_to_every_origin(aws: MotoAccount) -> None:
    aws.function()
    aws.client("lambda").create_function_url_config(
        FunctionName="app", AuthType="AWS_IAM", Cors={"AllowOrigins": ["*"]}
    )


def a_url_open_to_one_origin(aws: MotoAccount) -> None:
    aws.function()
    aws.client("lambda").create_function_url_config(
        FunctionName="app", AuthType="AWS_IAM", Cors={"AllowOrigins": ["https://shop.example"]}
    )


def a_public_url_allowing_only_invoke_function_url(aws: MotoAccount) -> None:
    a_url_without_authentication(aws)
    aws.allow("*", action="lambda:InvokeFunctionUrl", FunctionUrlAuthType="NONE")


def a_public_url_allowing_both_actions(aws: MotoAccount) -> None:
    a_public_url_allowing_only_invoke_function_url(aws)
    aws.allow("*", action="lambda:InvokeFunction", PrincipalOrgID="o-a1b2c3d4e5")


FIRING: dict[str, Scenario] = {
    "FN-01": anyone_may_invoke,
    "FN-02": a_url_without_authentication,
    "FN-03": a_url_open_to_every_origin,
    "FN-04": a_public_url_allowing_only_invoke_function_url,
}
QUIET: dict[str, Scenario] = {
    "FN-01": only_the_organization_may_invoke,
    "FN-02": a_url_signed_with_iam,
    "FN-03": a_url_open_to_one_origin,
    "FN-04": a_public_url_allowing_both_actions,
}


def test_a_public_url_statement_is_not_mistaken_for_a_public_invoke_grant(
    aws: MotoAccount,
) -> None:
    a_public_url_allowing_only_invoke_function_url(aws)

    assert aws.finding_ids() & {"FN-01", "FN-02", "FN-04"} == {"FN-02", "FN-04"}
