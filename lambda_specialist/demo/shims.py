"""Small patches that make moto's Lambda behave like AWS where the product depends on it."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

__all__ = [
    "add_provisioned_concurrency",
    "honour_tracing_config_updates",
    "install_shims",
    "installed_shims",
    "page_list_functions",
    "remove_shims",
]

logger = logging.getLogger(__name__)

# The AWS default page size of ListFunctions and ListProvisionedConcurrencyConfigs.
DEFAULT_PAGE_SIZE = 50
TRACING_MODES = ("Active", "PassThrough")
_PROVISIONED_PATH = (
    r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/provisioned-concurrency/?$"
)
_STORE_ATTRIBUTE = "provisioned_concurrency_configs"

Response = tuple[int, dict[str, Any], str]


class _Patch:
    """One attribute replaced on a moto class or dict, remembered so it can be undone."""

    def __init__(self, owner: Any, name: str, replacement: Any) -> None:
        self.owner = owner
        self.name = name
        self.replacement = replacement
        self.is_dict = isinstance(owner, dict)
        self.had_original = name in owner if self.is_dict else name in vars(owner)
        self.original = (owner.get(name) if self.is_dict else vars(owner).get(name))

    def apply(self) -> None:
        if self.is_dict:
            self.owner[self.name] = self.replacement
        else:
            setattr(self.owner, self.name, self.replacement)

    def undo(self) -> None:
        if self.had_original:
            if self.is_dict:
                self.owner[self.name] = self.original
            else:
                setattr(self.owner, self.name, self.original)
        elif self.is_dict:
            self.owner.pop(self.name, None)
        else:
            delattr(self.owner, self.name)


_INSTALLED: dict[str, list[_Patch]] = {}


def install_shims() -> None:
    """Install every shim; calling it again changes nothing.

    Install before the first Lambda request reaches the moto server: the server builds its URL
    map for Lambda on that first request, and the provisioned-concurrency shim adds a route.
    """
    honour_tracing_config_updates()
    page_list_functions()
    add_provisioned_concurrency()


def installed_shims() -> tuple[str, ...]:
    """Return the names of the shims currently installed."""
    return tuple(sorted(_INSTALLED))


def remove_shims() -> None:
    """Undo every installed shim, restoring moto's own behaviour."""
    for name in list(_INSTALLED):
        for patch in reversed(_INSTALLED.pop(name)):
            patch.undo()
        logger.debug("moto shim removed: %s", name)


def honour_tracing_config_updates() -> None:
    """Make UpdateFunctionConfiguration apply ``TracingConfig``.

    The gap: moto 5.2's ``LambdaFunction.update_configuration`` copies Description, Handler,
    MemorySize, Role, Runtime, Timeout, VpcConfig, Environment and Layers from the request and
    silently drops every other key, so ``TracingConfig={"Mode": "Active"}`` answers 200 while
    the function stays ``PassThrough``. AWS applies the new mode. This shim applies the mode
    after moto's own update and rejects modes other than Active and PassThrough as AWS does.
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

    _install("tracing-config-updates", [_Patch(LambdaFunction, "update_configuration",
                                               update_configuration)])


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
    or NotImplementedError (decorator). This shim adds the route and handlers that store one
    config per function and qualifier on the Lambda backend (so a moto reset clears them). It
    reports READY with every requested environment allocated, instead of AWS's IN_PROGRESS
    period, and does not check the account's concurrency quota.
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


def _install(name: str, patches: list[_Patch]) -> None:
    for patch in patches:
        patch.apply()
    _INSTALLED[name] = patches
    logger.debug("moto shim installed: %s", name)


def _page_by_arn(
    items: Sequence[dict[str, Any]], querystring: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], str | None]:
    from moto.awslambda.exceptions import InvalidParameterValueException

    max_items = int(querystring.get("MaxItems", [str(DEFAULT_PAGE_SIZE)])[0])
    marker = querystring.get("Marker", [None])[0]
    ordered = sorted(items, key=lambda item: str(item["FunctionArn"]))
    if marker:
        try:
            after = base64.urlsafe_b64decode(marker.encode()).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidParameterValueException(f"Invalid marker: {marker}") from exc
        ordered = [item for item in ordered if str(item["FunctionArn"]) > after]

    page = ordered[:max_items]
    if len(ordered) <= max_items:
        return page, None
    last = str(page[-1]["FunctionArn"])
    return page, base64.urlsafe_b64encode(last.encode()).decode()


def _put_provisioned(self: Any) -> Response:
    function, qualifier = _provisioned_target(self)
    requested = int(json.loads(self.body)["ProvisionedConcurrentExecutions"])
    if requested < 1:
        from moto.awslambda.exceptions import InvalidParameterValueException

        raise InvalidParameterValueException(
            "ProvisionedConcurrentExecutions must be at least 1."
        )

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
    name = _path_function_name(self)
    function = self.backend.get_function(name, None)
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
        _STORE_ATTRIBUTE, {}
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
