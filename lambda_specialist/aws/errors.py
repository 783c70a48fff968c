"""Translate botocore failures into errors whose message says what to do next."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lambda_specialist.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    ResourceNotFoundError,
    ThrottledError,
    UnsupportedOperationError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["no_credentials_error", "translate_error"]

# IAM service prefixes differ from botocore's endpoint prefixes for a few services.
_IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "runtime.lambda": "lambda"}
_THROTTLE_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
}
_NOT_FOUND_CODES = {
    "ResourceNotFoundException",
    "NoSuchEntity",
    "NoSuchBucket",
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
    "NotFound",
    "NotFoundException",
}
_CREDENTIAL_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
}
_DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}
_ACTION_IN_MESSAGE = re.compile(r"perform: ([a-z0-9-]+:[A-Za-z0-9]+)")


def translate_error(
    exc: Exception, *, service: str, operation: str, profile: str | None, region: str
) -> AwsError:
    """Return the domain error for a botocore exception raised by ``service.operation``."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        return _from_client_error(exc.response, service=service, operation=operation, region=region)
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return no_credentials_error(profile)
    if isinstance(
        exc, bx.SSOTokenLoadError | bx.UnauthorizedSSOTokenError | bx.TokenRetrievalError
    ):
        name = profile or "<your-profile>"
        return CredentialsError(
            f"The AWS SSO session for profile '{name}' has expired or was never started. "
            f"Run 'aws sso login --profile {name}' and try again.",
            code="SSOTokenExpired",
            operation=operation,
        )
    if isinstance(exc, bx.ProfileNotFound):
        return CredentialsError(
            f"The AWS profile '{profile}' is not in your AWS config. "
            "List profiles with 'aws configure list-profiles'.",
            code="ProfileNotFound",
            operation=operation,
        )
    if isinstance(exc, bx.ConnectTimeoutError | bx.ReadTimeoutError):
        return EndpointError(
            f"AWS did not answer {service}:{operation} in {region} in time. "
            "Check the network or raise LAMBDA_SPECIALIST_READ_TIMEOUT, then try again.",
            code="Timeout",
            operation=operation,
        )
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionClosedError):
        return EndpointError(
            f"Could not reach the {service} endpoint in {region} for {operation}. "
            "Check the region name, the network and AWS_ENDPOINT_URL.",
            code="EndpointConnectionError",
            operation=operation,
        )
    return AwsError(
        f"{service}:{operation} failed in {region}: {type(exc).__name__}.",
        code=type(exc).__name__,
        operation=operation,
    )


def no_credentials_error(profile: str | None) -> CredentialsError:
    """Return the error for a machine with no usable AWS credentials."""
    where = f"profile '{profile}'" if profile else "the default credential chain"
    return CredentialsError(
        f"No AWS credentials were found in {where}. Configure them (aws configure, "
        "aws sso login, or environment variables), or try the product on the embedded "
        "mock account with --mock.",
        code="NoCredentials",
    )


def _from_client_error(
    response: Mapping[str, object], *, service: str, operation: str, region: str
) -> AwsError:
    error = response.get("Error")
    code = str(error.get("Code", "")) if isinstance(error, dict) else ""
    message = str(error.get("Message", "")) if isinstance(error, dict) else ""
    metadata = response.get("ResponseMetadata")
    status = metadata.get("HTTPStatusCode", 0) if isinstance(metadata, dict) else 0

    if code in _DENIED_CODES:
        match = _ACTION_IN_MESSAGE.search(message)
        action = match.group(1) if match else f"{_IAM_PREFIX.get(service, service)}:{operation}"
        return AccessDeniedError(
            f"Access denied: the caller may not perform {action} in {region}. "
            f"Grant {action} to the identity in use (see the README's IAM policy).",
            code=code,
            operation=operation,
            action=action,
        )
    if code in _CREDENTIAL_CODES:
        return CredentialsError(
            f"AWS rejected the credentials ({code}). Refresh them (for SSO run "
            "'aws sso login --profile <profile>') and try again.",
            code=code,
            operation=operation,
        )
    if code in _THROTTLE_CODES:
        return ThrottledError(
            f"AWS kept throttling {service}:{operation} in {region} after every retry. "
            "Wait a minute, or lower LAMBDA_SPECIALIST_MAX_CONCURRENCY, and try again.",
            code=code,
            operation=operation,
        )
    # An endpoint without the route (moto, some AWS-compatible stores) answers a bare HTTP
    # status with no AWS error code; AWS itself always names the error.
    if (not code or code.isdigit()) and status in {404, 405, 501}:
        return UnsupportedOperationError(
            f"The endpoint does not implement {service}:{operation}.",
            code=code or str(status),
            operation=operation,
        )
    if code in _NOT_FOUND_CODES or (status == 404 and not _looks_unimplemented(message)):
        return ResourceNotFoundError(
            f"{service}:{operation} found nothing in {region}: {_first_sentence(message)}",
            code=code or "NotFound",
            operation=operation,
        )
    if _looks_unimplemented(message) or (
        code in {"NotImplemented", "InternalFailure"} and (status in {404, 500, 501})
    ):
        return UnsupportedOperationError(
            f"The endpoint does not implement {service}:{operation}.",
            code=code or "NotImplemented",
            operation=operation,
        )
    return AwsError(
        f"{service}:{operation} failed in {region} with {code or status}: "
        f"{_first_sentence(message)}",
        code=code,
        operation=operation,
    )


def _looks_unimplemented(message: str) -> bool:
    lowered = message.lower()
    return "not yet implemented" in lowered or "not implemented" in lowered


def _first_sentence(message: str) -> str:
    text = message.strip() or "no detail given."
    return text if text.endswith(".") else text + "."
