"""AWS failures become errors that say what to do next, keeping the AWS error code."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    NoCredentialsError,
    UnauthorizedSSOTokenError,
)

from lambda_specialist.aws.errors import translate_error
from lambda_specialist.errors import (
    AccessDeniedError,
    CredentialsError,
    EndpointError,
    ResourceNotFoundError,
    ThrottledError,
    UnsupportedOperationError,
)


def client_error(code: str, message: str = "", status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "GetFunction",
    )


def translate(exc: Exception, profile: str | None = "dev") -> Exception:
    return translate_error(
        exc, service="lambda", operation="GetFunction", profile=profile, region="eu-west-1"
    )


def test_access_denied_names_the_action_from_the_message() -> None:
    error = translate(
        client_error(
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/x is not authorized to perform: lambda:GetFunction on x",
        )
    )

    assert isinstance(error, AccessDeniedError)
    assert (error.action, error.code) == ("lambda:GetFunction", "AccessDeniedException")


def test_access_denied_without_an_action_in_the_message_derives_it() -> None:
    error = translate_error(
        client_error("AccessDenied"),
        service="monitoring",
        operation="GetMetricData",
        profile=None,
        region="us-east-1",
    )

    assert isinstance(error, AccessDeniedError)
    assert error.action == "cloudwatch:GetMetricData"


def test_expired_sso_session_names_the_login_command() -> None:
    error = translate(UnauthorizedSSOTokenError())

    assert isinstance(error, CredentialsError)
    assert "aws sso login --profile dev" in str(error)


def test_no_credentials_points_to_the_mock_account() -> None:
    error = translate(NoCredentialsError(), profile=None)

    assert isinstance(error, CredentialsError)
    assert error.code == "NoCredentials"


def test_throttling_that_outlasted_retries_is_its_own_error() -> None:
    assert isinstance(
        translate(client_error("TooManyRequestsException", status=429)), ThrottledError
    )


def test_not_found_keeps_the_aws_code() -> None:
    error = translate(client_error("ResourceNotFoundException", "Function not found", 404))

    assert isinstance(error, ResourceNotFoundError)
    assert error.code == "ResourceNotFoundException"


def test_an_api_the_endpoint_lacks_is_unsupported() -> None:
    error = translate(client_error("404", "Not yet implemented", 404))

    assert isinstance(error, UnsupportedOperationError)


def test_a_timeout_is_an_endpoint_error() -> None:
    assert isinstance(translate(ConnectTimeoutError(endpoint_url="http://x")), EndpointError)


@pytest.mark.parametrize("code", ["ExpiredToken", "UnrecognizedClientException"])
def test_rejected_credentials_are_credential_errors(code: str) -> None:
    assert isinstance(translate(client_error(code)), CredentialsError)


def test_a_bare_http_404_without_an_aws_code_is_unsupported() -> None:
    error = translate(client_error("404", "<!doctype html><title>404 Not Found</title>", 404))

    assert isinstance(error, UnsupportedOperationError)
