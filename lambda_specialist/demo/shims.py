"""Small patches to moto, one per gap between moto and AWS that the product runs into.

Each shim is a function that patches moto once (calling it again changes nothing) and records
what it replaced, so ``remove_shims`` can restore moto's own behaviour. ``install_shims``
installs them all; the embedded account does so before its server handles a request.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from lambda_specialist.demo.layer_location import serve_layer_content

__all__ = [
    "SHIM_NAMES",
    "add_provisioned_concurrency",
    "condition_function_url_auth_type",
    "honour_tracing_config_updates",
    "install_shims",
    "installed_shims",
    "page_list_functions",
    "parse_epoch_timestamps_directly",
    "remove_shims",
]

logger = logging.getLogger(__name__)

# The AWS default page size of ListFunctions.
DEFAULT_PAGE_SIZE = 50
TRACING_MODES = ("Active", "PassThrough")
_PROVISIONED_PATH = (
    r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/provisioned-concurrency/?$"
)
_PROVISIONED_STORE = "provisioned_concurrency_configs"

Response = tuple[int, dict[str, Any], str]
# Shim name -> the patches it applied, in order.
_INSTALLED: dict[str, list[_Patch]] = {}


def honour_tracing_config_updates() -> None:
    """Make UpdateFunctionConfiguration apply ``TracingConfig``.

    The gap: moto 5.2's ``LambdaFunction.update_configuration`` copies Description, Handler,
    MemorySize, Role, Runtime, Timeout, VpcConfig, Environment and Layers from the request and
    silently drops every other key, so ``TracingConfig={"Mode": "Active"}`` answers 200 while
    the function stays ``PassThrough``. AWS applies the new mode. This shim applies the mode
    after moto's own update, and rejects modes other than Active and PassThrough as AWS does.
    """
    if "tracing-config-updates" in _INSTALLED:
        return
    from moto.awslambda.exceptions import LambdaClientError
    from moto.awslambda.models import LambdaFunction

    original: Callable[[Any, dict[str, Any]], dict[str, Any]] = LambdaFunction.update_configuration

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        mode = (config_updates.get("TracingConfig") or {}).get("Mode")
        if mode is not None and mode not in TRACING_MODES:
            raise LambdaClientError(
                "ValidationException",
                f"1 validation error detected: Value '{mode}' at 'tracingConfig.mode' failed to "
                "satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]",
            )

        configuration = original(self, config_updates)
        if mode is None:
            return configuration
        self.tracing_config = {"Mode": mode}
        return dict(self.get_configuration())

    _install(
        "tracing-config-updates",
        [_Patch(LambdaFunction, "update_configuration", update_configuration)],
    )


def page_list_functions() -> None:
    """Make ListFunctions honour ``MaxItems`` and ``Marker`` and return ``NextMarker``.

    The gap: moto 5.2's ``LambdaResponse.list_functions`` reads only ``FunctionVersion`` and
    returns every function in one response without ``NextMarker``, so ``MaxItems=5`` returns
    all of them and botocore's paginator sees a single page. AWS returns at most ``MaxItems``
    (50 when absent) and a ``NextMarker`` while more remain. This shim orders functions by ARN
    and uses the last ARN returned, base64-encoded, as the marker.
    """
    if "list-functions-paging" in _INSTALLED:
        return
    from moto.awslambda.responses import LambdaResponse

    def list_functions(self: Any) -> str:
        version = self.querystring.get("FunctionVersion", [None])[0]
        configurations = [fn.get_configuration() for fn in self.backend.list_functions(version)]
        page, next_marker = _page_by_arn(configurations, self.querystring)
        result: dict[str, Any] = {"Functions": page}
        if next_marker:
            result["NextMarker"] = next_marker
        return json.dumps(result)

    _install("list-functions-paging", [_Patch(LambdaResponse, "list_functions", list_functions)])


def add_provisioned_concurrency() -> None:
    """Implement the four provisioned-concurrency APIs, with every config READY at once.

    The gap: moto 5.2 has no route and no handler for
    ``/2019-09-30/functions/{name}/provisioned-concurrency``, so
    PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig,
    DeleteProvisionedConcurrencyConfig and ListProvisionedConcurrencyConfigs answer 404 (server)
    or NotImplementedError (decorator). This shim adds the route and handlers that keep one
    config per function and qualifier on the Lambda backend (so a moto reset clears them). It
    reports READY with every requested environment allocated, instead of AWS's IN_PROGRESS
    period, and does not check the account's concurrency quota. Install it before the
    server's first Lambda request: the server builds its Lambda URL map then.
    """
    if "provisioned-concurrency" in _INSTALLED:
        return
    from moto.awslambda import urls
    from moto.awslambda.responses import LambdaResponse

    handlers: dict[str, Callable[[Any], Response]] = {
        "put_provisioned_concurrency_config": _put_provisioned,
        "get_provisioned_concurrency_config": _get_provisioned,
        "delete_provisioned_concurrency_config": _delete_provisioned,
        "list_provisioned_concurrency_configs": _list_provisioned,
    }
    patches = [_Patch(urls.url_paths, _PROVISIONED_PATH, LambdaResponse.dispatch)]
    patches += [_Patch(LambdaResponse, name, handler) for name, handler in handlers.items()]
    _install("provisioned-concurrency", patches)


def condition_function_url_auth_type() -> None:
    """Make AddPermission put ``FunctionUrlAuthType`` into the statement's Condition.

    The gap: moto 5.2's ``Policy.decode_policy`` turns SourceArn, SourceAccount and
    PrincipalOrgID into conditions but copies ``FunctionUrlAuthType`` into the statement as a
    top-level key, so a public function URL's statement has no ``Condition``. AWS writes
    ``"Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}``, which is what
    checks for public function URLs read. This shim moves the value there.
    """
    if "function-url-auth-condition" in _INSTALLED:
        return
    from moto.awslambda.policy import Policy

    original: Callable[[Any, dict[str, Any]], Any] = Policy.decode_policy

    def decode_policy(self: Any, obj: dict[str, Any]) -> Any:
        auth_type = obj.pop("FunctionUrlAuthType", None)
        policy = original(self, obj)
        if auth_type is not None:
            conditions = policy.statements[0].setdefault("Condition", {})
            conditions.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = auth_type
        return policy

    _install("function-url-auth-condition", [_Patch(Policy, "decode_policy", decode_policy)])


def parse_epoch_timestamps_directly() -> None:
    """Convert epoch timestamps in requests to datetimes without a detour through dateutil.

    The gap (speed, not behaviour): moto 5.2 parses every request timestamp with botocore's
    ``parse_timestamp``, which builds the datetime in dateutil's ``tzlocal()`` before moto
    converts it to naive UTC; that costs tens of microseconds per value, about a second for
    the 20,000 metric datums of the seeded scenario. AWS has no such cost to mirror. This shim
    turns epoch numbers straight into the same naive UTC datetime and leaves every other
    format to moto.
    """
    if "epoch-timestamps" in _INSTALLED:
        return
    from moto.core import parse

    original: Callable[[Any], datetime] = parse.default_timestamp_parser

    def default_timestamp_parser(value: Any) -> datetime:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
        return original(value)

    _install(
        "epoch-timestamps", [_Patch(parse, "default_timestamp_parser", default_timestamp_parser)]
    )


SHIMS: dict[str, Callable[[], None]] = {
    "tracing-config-updates": honour_tracing_config_updates,
    "list-functions-paging": page_list_functions,
    "provisioned-concurrency": add_provisioned_concurrency,
    "function-url-auth-condition": condition_function_url_auth_type,
    "epoch-timestamps": parse_epoch_timestamps_directly,
    "layer-content-location": serve_layer_content,
}
SHIM_NAMES = tuple(SHIMS)


def install_shims() -> tuple[str, ...]:
    """Install every shim not yet installed and return the names this call installed."""
    missing = [name for name in SHIM_NAMES if name not in _INSTALLED]
    for name in missing:
        SHIMS[name]()
    return tuple(missing)


def installed_shims() -> tuple[str, ...]:
    """Return the names of the shims currently installed."""
    return tuple(name for name in SHIM_NAMES if name in _INSTALLED)


def remove_shims(names: Sequence[str] | None = None) -> None:
    """Undo the named shims (all when None), restoring moto's own behaviour."""
    for name in list(names if names is not None else _INSTALLED):
        for patch in reversed(_INSTALLED.pop(name, [])):
            patch.undo()
        logger.debug("moto shim removed: %s", name)


def _page_by_arn(
    items: Sequence[dict[str, Any]], querystring: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], str | None]:
    """Return one page of ``items`` ordered by FunctionArn, and the marker of the next page."""
    from moto.awslambda.exceptions import InvalidParameterValueException

    max_items = int(querystring.get("MaxItems", [str(DEFAULT_PAGE_SIZE)])[0])
    marker = querystring.get("Marker", [None])[0]
    ordered = sorted(items, key=lambda item: str(item["FunctionArn"]))
    if marker:
        try:
            after = base64.b64decode(unquote(marker), altchars=b"-_", validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidParameterValueException(f"Invalid marker: {marker}") from exc
        ordered = [item for item in ordered if str(item["FunctionArn"]) > after]

    page = ordered[:max_items]
    if len(ordered) <= max_items:
        return page, None
    last = str(page[-1]["FunctionArn"])
    return page, base64.urlsafe_b64encode(last.encode()).decode()


def _install(name: str, patches: list[_Patch]) -> None:
    for patch in patches:
        patch.apply()
    _INSTALLED[name] = patches
    logger.debug("moto shim installed: %s", name)


def _put_provisioned(self: Any) -> Response:
    from moto.awslambda.exceptions import InvalidParameterValueException

    function, qualifier = _provisioned_target(self)
    requested = int(json.loads(self.body)["ProvisionedConcurrentExecutions"])
    if requested < 1:
        raise InvalidParameterValueException("ProvisionedConcurrentExecutions must be at least 1.")

    config = {
        "RequestedProvisionedConcurrentExecutions": requested,
        "AvailableProvisionedConcurrentExecutions": requested,
        "AllocatedProvisionedConcurrentExecutions": requested,
        "Status": "READY",
        "LastModified": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
    }
    _provisioned_store(self.backend)[(function.function_name, qualifier)] = config
    return 202, {"status": 202}, json.dumps(config)


def _get_provisioned(self: Any) -> Response:
    # GET with ?List=ALL is ListProvisionedConcurrencyConfigs on the same path.
    if "List" in self.querystring:
        return _list_provisioned(self)
    function, qualifier = _provisioned_target(self)
    config = _provisioned_store(self.backend).get((function.function_name, qualifier))
    if config is None:
        raise _provisioned_not_found()
    return 200, {}, json.dumps(config)


def _delete_provisioned(self: Any) -> Response:
    function, qualifier = _provisioned_target(self)
    if _provisioned_store(self.backend).pop((function.function_name, qualifier), None) is None:
        raise _provisioned_not_found()
    return 204, {"status": 204}, ""


def _list_provisioned(self: Any) -> Response:
    function = self.backend.get_function(_path_function_name(self), None)
    items = [
        {"FunctionArn": f"{function.function_arn}:{qualifier}", **config}
        for (owner, qualifier), config in _provisioned_store(self.backend).items()
        if owner == function.function_name
    ]
    page, next_marker = _page_by_arn(items, self.querystring)
    result: dict[str, Any] = {"ProvisionedConcurrencyConfigs": page}
    if next_marker:
        result["NextMarker"] = next_marker
    return 200, {}, json.dumps(result)


def _provisioned_target(self: Any) -> tuple[Any, str]:
    from moto.awslambda.exceptions import InvalidParameterValueException

    qualifier = self.querystring.get("Qualifier", [None])[0]
    if not qualifier or qualifier.upper() == "$LATEST":
        raise InvalidParameterValueException(
            "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
        )
    return self.backend.get_function(_path_function_name(self), qualifier), qualifier


def _path_function_name(self: Any) -> str:
    path = str(self.path).split("?")[0].rstrip("/")
    return unquote(path.split("/")[-2])


def _provisioned_store(backend: Any) -> dict[tuple[str, str], dict[str, Any]]:
    store: dict[tuple[str, str], dict[str, Any]] = backend.__dict__.setdefault(
        _PROVISIONED_STORE, {}
    )
    return store


def _provisioned_not_found() -> Exception:
    from moto.awslambda.exceptions import LambdaClientError

    error = LambdaClientError(
        "ProvisionedConcurrencyConfigNotFoundException",
        "No Provisioned Concurrency Config found for this function",
    )
    error.code = 404
    return error


class _Patch:
    """One attribute replaced on a moto class, module or dict, remembered so it can be undone."""

    def __init__(self, owner: Any, name: str, replacement: Any) -> None:
        self.owner = owner
        self.name = name
        self.replacement = replacement
        self.is_dict = isinstance(owner, dict)
        namespace = owner if self.is_dict else vars(owner)
        self.had_original = name in namespace
        self.original = namespace.get(name)

    def apply(self) -> None:
        if self.is_dict:
            self.owner[self.name] = self.replacement
        else:
            setattr(self.owner, self.name, self.replacement)

    def undo(self) -> None:
        if self.had_original and self.is_dict:
            self.owner[self.name] = self.original
        elif self.had_original:
            setattr(self.owner, self.name, self.original)
        elif self.is_dict:
            self.owner.pop(self.name, None)
        else:
            delattr(self.owner, self.name)
