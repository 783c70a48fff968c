"""The embedded account starts quietly, cheaply and with the configuration the product needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import lambda_specialist.demo
from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo import CANARY_VALUES
from lambda_specialist.demo.server import SERVER_ENV, MockAccount

AWS_ACCESS_KEY = r"(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"
SLACK_TOKEN = r"xox[abprs]-[A-Za-z0-9-]{10,}"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_importing_the_demo_package_does_not_import_moto() -> None:
    result = run_python("""
        import sys
        import lambda_specialist.demo
        print(sorted(name for name in sys.modules if name.split(".")[0] == "moto"))
    """)

    assert result.stdout == "[]\n"


def test_the_running_account_sets_the_moto_environment_it_needs(
    mock_account: MockAccount,
) -> None:
    assert {name: os.environ.get(name) for name in SERVER_ENV} == SERVER_ENV


def test_the_account_serves_on_loopback(mock_account: MockAccount) -> None:
    assert mock_account.endpoint_url.startswith("http://127.0.0.1:")


def test_lambda_runs_without_docker(ctx: AwsContext) -> None:
    answer = ctx.call("lambda", "invoke", FunctionName="health-check", Payload=b'{"ping": 1}')

    assert (answer["StatusCode"], answer.get("FunctionError"), answer["Payload"].read()) == (
        200,
        None,
        b'{"ping": 1}',
    )


def test_aws_managed_policies_are_loaded(ctx: AwsContext) -> None:
    policy = ctx.call(
        "iam", "get_policy", PolicyArn="arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
    )

    assert policy["Policy"]["PolicyName"] == "AWSXRayDaemonWriteAccess"


def test_canary_values_are_seeded_into_the_account(ctx: AwsContext) -> None:
    variables = ctx.call("lambda", "get_function_configuration", FunctionName="customer-sync")[
        "Environment"
    ]["Variables"]

    assert set(CANARY_VALUES) <= set(variables.values())


def test_every_canary_value_is_obviously_fake() -> None:
    assert all("fake" in value.lower() or "canary" in value.lower() for value in CANARY_VALUES)


def test_the_stripe_key_canary_has_the_shape_of_a_live_key() -> None:
    assert [value for value in CANARY_VALUES if value.startswith("sk_live_")] != []


def test_no_seeded_environment_value_looks_like_an_aws_key_or_slack_token(
    ctx: AwsContext,
) -> None:
    values = [
        value
        for function in ctx.paginate("lambda", "list_functions", "Functions")
        for value in function.get("Environment", {}).get("Variables", {}).values()
    ]

    assert [v for v in values if re.search(AWS_ACCESS_KEY, v) or re.search(SLACK_TOKEN, v)] == []


def test_the_demo_source_holds_no_key_shaped_literal() -> None:
    package = Path(lambda_specialist.demo.__file__).parent
    sources = {path.name: path.read_text() for path in package.glob("*.py")}

    assert [
        name
        for name, text in sources.items()
        if re.search(AWS_ACCESS_KEY, text) or re.search(SLACK_TOKEN, text) or "sk_live_" in text
    ] == []
