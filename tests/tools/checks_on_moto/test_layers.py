"""Layer checks (LY-01, LY-02, LY-03, LY-08, LY-09) on layer versions published in moto."""

from __future__ import annotations

from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario

FOREIGN_ACCOUNT = "901234567890"


def six_layers(aws: MotoAccount) -> None:
    layers = [aws.layer(f"lib-{n}", CompatibleArchitectures=["arm64"]) for n in range(6)]
    aws.function(Layers=layers)


def one_fitting_layer(aws: MotoAccount) -> None:
    aws.function(Layers=[fitting_layer(aws)])


def an_x86_layer_on_an_arm64_function(aws: MotoAccount) -> None:
    layer = aws.layer(
        "native", CompatibleArchitectures=["x86_64"], CompatibleRuntimes=["python3.13"]
    )
    aws.function(Layers=[layer])


def a_layer_built_for_another_python(aws: MotoAccount) -> None:
    layer = aws.layer("deps", CompatibleArchitectures=["arm64"], CompatibleRuntimes=["python3.11"])
    aws.function(Layers=[layer])


def a_layer_from_another_account(aws: MotoAccount) -> None:
    own = fitting_layer(aws)
    aws.function(Layers=[own])
    # moto 5.2 looks a layer ARN up by name in the function's own account and stores that
    # account's ARN, so a function cannot reference another account's layer; answer the
    # configuration AWS returns for one.
    foreign = own.replace(aws.account_id, FOREIGN_ACCOUNT)
    aws.amend_configuration(Layers=[{"Arn": foreign, "CodeSize": 1024}])


def a_layer_shared_with_everyone(aws: MotoAccount) -> None:
    layer = fitting_layer(aws)
    aws.client("lambda").add_layer_version_permission(
        LayerName="deps",
        VersionNumber=1,
        StatementId="public",
        Action="lambda:GetLayerVersion",
        Principal="*",
    )
    aws.function(Layers=[layer])


def a_layer_shared_with_one_account(aws: MotoAccount) -> None:
    layer = fitting_layer(aws)
    aws.client("lambda").add_layer_version_permission(
        LayerName="deps",
        VersionNumber=1,
        StatementId="partner",
        Action="lambda:GetLayerVersion",
        Principal=FOREIGN_ACCOUNT,
    )
    aws.function(Layers=[layer])


def fitting_layer(aws: MotoAccount) -> str:
    return aws.layer("deps", CompatibleArchitectures=["arm64"], CompatibleRuntimes=["python3.13"])


FIRING: dict[str, Scenario] = {
    "LY-01": six_layers,
    "LY-02": an_x86_layer_on_an_arm64_function,
    "LY-03": a_layer_built_for_another_python,
    "LY-08": a_layer_from_another_account,
    "LY-09": a_layer_shared_with_everyone,
}
QUIET: dict[str, Scenario] = {
    "LY-01": one_fitting_layer,
    "LY-02": one_fitting_layer,
    "LY-03": one_fitting_layer,
    "LY-08": one_fitting_layer,
    "LY-09": a_layer_shared_with_one_account,
}


def test_a_fitting_own_layer_raises_no_finding(aws: MotoAccount) -> None:
    one_fitting_layer(aws)

    assert aws.finding_ids() == set()
