"""The package's exceptions.

Every error a user can act on derives from ``LambdaSpecialistError``; its message is a full
sentence that names the resource and the next step::

    LambdaSpecialistError
    ├── InvalidInputError           an argument is malformed or not allowed here
    ├── WritesNotAllowedError       an apply was asked of a read-only process
    ├── LayerBuildError             a layer cannot be built or would not load on its target
    └── AwsError                    AWS (or the endpoint) answered with a problem
        ├── CredentialsError        no credentials, or expired SSO / session token
        ├── AccessDeniedError       the caller lacks a permission (``action`` names it)
        ├── ResourceNotFoundError   the function, role or queue does not exist
        ├── ThrottledError          throttling outlasted the retries
        ├── UnsupportedOperationError  the endpoint does not implement the API
        └── EndpointError           the endpoint could not be reached or timed out

Surfaces turn these into tool errors (MCP), ephemeral replies (Slack) or one stderr line
(CLI). Anything else is a programming error and propagates.
"""

__all__ = [
    "AccessDeniedError",
    "AwsError",
    "CredentialsError",
    "EndpointError",
    "InvalidInputError",
    "LambdaSpecialistError",
    "LayerBuildError",
    "ResourceNotFoundError",
    "ThrottledError",
    "UnsupportedOperationError",
    "WritesNotAllowedError",
]


class LambdaSpecialistError(Exception):
    """Base class for errors whose message tells the user what to do next."""


class InvalidInputError(LambdaSpecialistError):
    """An argument is malformed, or not allowed by this process's settings."""


class WritesNotAllowedError(LambdaSpecialistError):
    """A change was asked to be applied but the process was started read-only."""


class LayerBuildError(LambdaSpecialistError):
    """A layer could not be built for its target, or what was built would not load there."""


class AwsError(LambdaSpecialistError):
    """AWS answered with an error; ``code`` keeps the AWS error code."""

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class CredentialsError(AwsError):
    """No usable credentials: none found, expired SSO session or session token."""


class AccessDeniedError(AwsError):
    """The caller is not allowed an action; ``action`` is the IAM action to grant."""

    def __init__(self, message: str, *, code: str = "", operation: str = "", action: str = ""):
        super().__init__(message, code=code, operation=operation)
        self.action = action


class ResourceNotFoundError(AwsError):
    """The named resource does not exist in the account and region read."""


class ThrottledError(AwsError):
    """AWS kept throttling after every retry the client is configured for."""


class UnsupportedOperationError(AwsError):
    """The endpoint does not implement this API (for example the embedded mock account)."""


class EndpointError(AwsError):
    """The endpoint could not be reached, or did not answer in time."""
