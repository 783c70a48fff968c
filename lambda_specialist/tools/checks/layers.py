"""Layer checks from the layer versions' metadata: limits, architecture, runtime, owner."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.knowledge.limits import LAYERS_PER_FUNCTION, UNZIPPED_CODE_AND_LAYERS_BYTES
from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html"


@check(
    "LY-01",
    family="layers",
    title="Too many layers, or code and layers near the 250 MB limit",
    severity=Severity.HIGH,
    rationale="A function takes at most five layers, and code plus layers must stay under "
    "250 MB unzipped; the next dependency bump fails the deployment.",
    fix="Merge layers, drop unused dependencies, or move to a container image.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
    needs=("config", "layers"),
)
def layer_limits(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for more than 5 layers or zipped code + layers above 90% of 250 MB."""
    total = int(facts.config.get("CodeSize", 0)) + sum(layer.code_size for layer in facts.layers)
    if len(facts.layers) > LAYERS_PER_FUNCTION or total > 0.9 * UNZIPPED_CODE_AND_LAYERS_BYTES:
        yield Hit(
            evidence={
                "layers": len(facts.layers),
                "zipped_bytes": total,
                "limit_bytes": UNZIPPED_CODE_AND_LAYERS_BYTES,
            }
        )


@check(
    "LY-02",
    family="layers",
    title="Layer is not built for the function's architecture",
    severity=Severity.HIGH,
    rationale="Native code built for the other architecture fails to import at run time.",
    fix="Use a layer version built for the function's architecture (generate_layer builds one).",
    docs_url=_DOCS,
    needs=("config", "layers"),
)
def layer_architecture(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a layer whose CompatibleArchitectures excludes the function's."""
    for layer in facts.layers:
        archs = layer.compatible_architectures
        if archs and facts.architecture not in archs:
            yield Hit(
                evidence={
                    "layer": layer.arn,
                    "compatible_architectures": list(archs),
                    "function_architecture": facts.architecture,
                }
            )


@check(
    "LY-03",
    family="layers",
    title="Layer is not declared compatible with the function's runtime",
    severity=Severity.HIGH,
    rationale="Packages built for another Python or Node version may not import.",
    fix="Use a layer version built and declared for the function's runtime.",
    docs_url=_DOCS,
    needs=("config", "layers"),
)
def layer_runtime(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a layer whose CompatibleRuntimes excludes the function's runtime."""
    for layer in facts.layers:
        runtimes = layer.compatible_runtimes
        if runtimes and facts.runtime and facts.runtime not in runtimes:
            yield Hit(
                evidence={
                    "layer": layer.arn,
                    "compatible_runtimes": list(runtimes),
                    "function_runtime": facts.runtime,
                }
            )


@check(
    "LY-08",
    family="layers",
    title="Layer from another account",
    severity=Severity.MEDIUM,
    rationale="A third-party layer runs with the function's permissions, and its owner can "
    "delete or stop sharing the version, which breaks the next deployment.",
    fix="Review the publisher; copy the layer into your account or build it yourself.",
    docs_url=_DOCS,
)
def foreign_layer(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a layer ARN whose account is not the function's."""
    account = str(facts.config.get("FunctionArn", "")).split(":")[4:5]
    for entry in facts.config.get("Layers") or []:
        layer_account = str(entry.get("Arn", "")).split(":")[4:5]
        if account and layer_account and layer_account != account:
            yield Hit(evidence={"layer": entry.get("Arn"), "owner_account": layer_account[0]})
