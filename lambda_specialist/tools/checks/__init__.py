"""The inspect check catalogue, one module per family; importing this registers them all."""

from lambda_specialist.tools.checks import (  # noqa: F401  (registers the checks)
    access,
    async_invoke,
    configuration,
    event_sources,
    layers,
    operations,
    permissions,
    runtime,
    secrets,
    tracing,
    triggers,
)
from lambda_specialist.tools.checks.registry import CATALOGUE, run_checks

__all__ = ["CATALOGUE", "run_checks"]
