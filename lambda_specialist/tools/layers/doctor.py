"""inspect_layer: download layers (or read a local zip) and explain why they would not load."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.functions import not_found_error, parse_function_ref
from lambda_specialist.tools.layers.content import LayerContents, NativeLibrary, Target, read_zip
from lambda_specialist.tools.layers.findings import (
    bundled_sdk,
    duplicate_packages,
    layout_problems,
    native_code,
)
from lambda_specialist.tools.models import Finding, NotEvaluated, Severity, SeverityCounts

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict

__all__ = [
    "DownloadFn",
    "LayerInspection",
    "LayerReport",
    "inspect_layer",
    "inspect_local_layer",
    "is_local_reference",
]

logger = logging.getLogger(__name__)

DownloadFn = Callable[[str, str], bytes]
_LAYER_ARN = re.compile(
    r"^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:(?P<name>[\w-]{1,140}):(?P<version>\d+)$"
)
_NAME_VERSION = re.compile(r"^(?P<name>[\w-]{1,140}):(?P<version>\d+)$")


class LayerReport(BaseModel):
    """What one layer holds."""

    layer: str = Field(description="The layer version ARN, or the local zip's path.")
    compatible_runtimes: list[str] = Field(description="Declared in the layer's metadata.")
    compatible_architectures: list[str] = Field(description="Declared in the layer's metadata.")
    zipped_bytes: int
    unzipped_bytes: int
    files: int
    packages: list[str] = Field(description="Python distributions found, as name==version.")
    native_libraries: list[NativeLibrary]


class LayerInspection(BaseModel):
    """The layer doctor's diagnosis: what each layer holds and what would break."""

    context: AccountContext | None = Field(description="None for a local zip (no AWS read).")
    function_name: str | None
    targets: list[str] = Field(description="The runtime/architecture pairs checked against.")
    layers: list[LayerReport]
    summary: SeverityCounts
    findings: list[Finding] = Field(description="Most severe first.")
    not_evaluated: list[NotEvaluated]


def inspect_layer(
    ctx: AwsContext,
    download: DownloadFn,
    *,
    layer: str | None = None,
    function_name: str | None = None,
    runtime: str | None = None,
    architecture: str | None = None,
) -> LayerInspection:
    """Diagnose a published layer version, or every layer of a function.

    Raises:
        InvalidInputError: Neither or both of ``layer`` and ``function_name`` were given, or
            one is malformed.
        ResourceNotFoundError: The function or layer version does not exist.
    """
    if (layer is None) == (function_name is None):
        raise InvalidInputError(
            "Give either layer (a layer version ARN, 'name:version' or a local .zip path) or "
            "function_name (to check all of its layers), not both and not neither."
        )

    if function_name is not None:
        name, runtime_of, arch_of, arns = _function_layers(ctx, function_name)
        targets = _targets([runtime or runtime_of], [architecture or arch_of])
    else:
        assert layer is not None
        name, arns = None, [_layer_arn(ctx, layer)]
        targets = []

    reports: list[LayerReport] = []
    read: list[tuple[str, LayerContents]] = []
    skipped: list[NotEvaluated] = []
    for arn in arns:
        try:
            meta, contents = _fetch(ctx, download, arn)
        except AwsError as exc:
            if len(arns) == 1:
                raise
            skipped.append(_not_read(arn, exc))
            continue
        read.append((arn, contents))
        reports.append(_report(arn, meta, contents))
        if function_name is None:
            targets = _targets(
                [runtime] if runtime else list(meta.get("CompatibleRuntimes") or []),
                [architecture] if architecture else list(meta.get("CompatibleArchitectures") or []),
            )
    return _diagnose(ctx.describe(), name, targets, reports, read, skipped)


def inspect_local_layer(
    path: str, *, runtime: str | None = None, architecture: str | None = None
) -> LayerInspection:
    """Diagnose a layer zip on this machine against ``runtime`` and ``architecture``.

    Raises:
        InvalidInputError: The path is not a readable zip file.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise InvalidInputError(
            f"'{path}' is not a file. Pass the path of a layer .zip, or a layer version ARN."
        )
    contents = read_zip(file)
    report = LayerReport(
        layer=str(file.resolve()),
        compatible_runtimes=[],
        compatible_architectures=[],
        zipped_bytes=file.stat().st_size,
        unzipped_bytes=contents.unzipped_bytes,
        files=len(contents.files),
        packages=_packages(contents),
        native_libraries=contents.native,
    )
    targets = _targets([runtime] if runtime else [], [architecture] if architecture else [])
    return _diagnose(None, None, targets, [report], [(report.layer, contents)], [])


def is_local_reference(layer: str) -> bool:
    """Return whether ``layer`` names a local zip rather than a published layer version."""
    return layer.lower().endswith(".zip") or ("/" in layer and not layer.startswith("arn:"))


def _diagnose(
    context: AccountContext | None,
    function_name: str | None,
    targets: list[Target],
    reports: list[LayerReport],
    read: list[tuple[str, LayerContents]],
    skipped: list[NotEvaluated],
) -> LayerInspection:
    findings: list[Finding] = []
    for arn, contents in read:
        for target in targets:
            findings += [f for f in native_code(arn, contents, target) if f not in findings]
        layout_runtime = targets[0].runtime if targets else None
        findings += layout_problems(arn, contents, layout_runtime)
        findings += bundled_sdk(arn, contents)
    findings += duplicate_packages(read)
    if not targets:
        skipped.append(
            NotEvaluated(
                check_id="LY-04",
                title="Native code matches the runtime and architecture",
                reason="No runtime or architecture to check against: the layer declares none. "
                "Pass runtime and architecture.",
            )
        )
    findings.sort(key=lambda f: (Severity(f.severity).rank, f.id))
    return LayerInspection(
        context=context,
        function_name=function_name,
        targets=[f"{t.runtime}/{t.architecture}" for t in targets],
        layers=reports,
        summary=SeverityCounts.of(findings),
        findings=findings,
        not_evaluated=skipped,
    )


def _function_layers(ctx: AwsContext, function_name: str) -> tuple[str, str, str, list[str]]:
    ref = parse_function_ref(function_name)
    try:
        config = ctx.call("lambda", "get_function_configuration", FunctionName=ref.name)
    except ResourceNotFoundError as exc:
        raise not_found_error(ctx, ref.name) from exc
    runtime = str(config.get("Runtime") or "")
    if not runtime:
        raise InvalidInputError(
            f"Function '{ref.name}' is a container image; container images cannot use layers."
        )
    architecture = str((config.get("Architectures") or ["x86_64"])[0])
    arns = [str(entry["Arn"]) for entry in config.get("Layers") or []]
    if not arns:
        raise InvalidInputError(
            f"Function '{ref.name}' has no layers. Check a layer by its ARN or a local zip instead."
        )
    return ref.name, runtime, architecture, arns


def _layer_arn(ctx: AwsContext, layer: str) -> str:
    text = layer.strip()
    if _LAYER_ARN.match(text):
        return text
    match = _NAME_VERSION.match(text)
    if match:
        account = ctx.describe().account_id
        return f"arn:aws:lambda:{ctx.region}:{account}:layer:{match['name']}:{match['version']}"
    raise InvalidInputError(
        f"'{layer}' is not a layer version. Give a layer version ARN "
        "(arn:aws:lambda:<region>:<account>:layer:<name>:<version>), 'name:version', or the path "
        "of a local .zip."
    )


def _fetch(ctx: AwsContext, download: DownloadFn, arn: str) -> tuple[JsonDict, LayerContents]:
    layer_arn, _, version = arn.rpartition(":")
    try:
        meta = ctx.call(
            "lambda", "get_layer_version", LayerName=layer_arn, VersionNumber=int(version)
        )
    except ResourceNotFoundError as exc:
        raise ResourceNotFoundError(
            f"Layer version {arn} does not exist (deleted, or in another region). List versions "
            "with `aws lambda list-layer-versions`.",
            code=exc.code,
            operation=exc.operation,
        ) from exc
    location = str((meta.get("Content") or {}).get("Location") or "")
    return meta, read_zip(download(location, arn))


def _report(arn: str, meta: JsonDict, contents: LayerContents) -> LayerReport:
    size = (meta.get("Content") or {}).get("CodeSize", 0)
    return LayerReport(
        layer=arn,
        compatible_runtimes=list(meta.get("CompatibleRuntimes") or []),
        compatible_architectures=list(meta.get("CompatibleArchitectures") or []),
        zipped_bytes=int(size),
        unzipped_bytes=contents.unzipped_bytes,
        files=len(contents.files),
        packages=_packages(contents),
        native_libraries=contents.native,
    )


def _packages(contents: LayerContents) -> list[str]:
    return sorted(f"{d.name}=={d.version}" for d in contents.distributions)


def _targets(runtimes: list[str], architectures: list[str]) -> list[Target]:
    return [Target.of(r, a) for r in runtimes for a in architectures]


def _not_read(arn: str, exc: AwsError) -> NotEvaluated:
    return NotEvaluated(
        check_id="LY-04",
        title=f"Contents of {arn}",
        reason=str(exc),
        missing_permission="lambda:GetLayerVersion"
        if exc.code == "AccessDeniedException"
        else None,
    )
