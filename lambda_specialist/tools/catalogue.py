"""The check catalogue as data, for the MCP resource and the documentation."""

from __future__ import annotations

from lambda_specialist.tools.checks import CATALOGUE

__all__ = ["describe_catalogue"]


def describe_catalogue() -> list[dict[str, str | list[str] | None]]:
    """Return every check's ID, family, default severity, title, rationale, fix and docs."""
    return [
        {
            "id": spec.id,
            "family": spec.family,
            "severity": spec.severity.value,
            "title": spec.title,
            "rationale": spec.rationale,
            "fix": spec.fix,
            "docs_url": spec.docs_url,
            "security_hub_control": spec.security_hub_control,
            "reads": list(spec.needs),
        }
        for spec in sorted(CATALOGUE.values(), key=lambda s: s.id)
    ]
