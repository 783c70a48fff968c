"""apply_memory: set a function's memory size, and optionally its architecture, as one change."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.changes import (
    Approval,
    AwsCall,
    ChangePlan,
    ChangeRunner,
    PlanStep,
    WriteResult,
    writable_function,
)
from lambda_specialist.tools.functions import not_found_error
from lambda_specialist.tools.packages import (
    CURRENT_PACKAGE,
    download_package,
    native_code,
)
from lambda_specialist.tools.plans import config_step

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict

__all__ = ["MAX_MEMORY_MB", "MIN_MEMORY_MB", "ArchitectureCheck", "MemoryChange", "apply_memory"]

logger = logging.getLogger(__name__)

MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10240
Architecture = Literal["x86_64", "arm64"]


class ArchitectureCheck(BaseModel):
    """Whether the function can move to another architecture as it is packaged."""

    target: str
    status: Literal["safe", "unsafe", "not_verifiable", "not_needed"]
    reason: str
    native_files: list[str] = Field(
        default_factory=list, description="Native files found, as path (machine)."
    )


class MemoryChange(WriteResult):
    """The plan (and, when applied, the outcome) of a memory or architecture change."""

    function_name: str
    memory_mb: int = Field(description="The memory size of $LATEST after this call.")
    architecture: str = Field(description="The architecture of $LATEST after this call.")
    architecture_check: ArchitectureCheck | None = None


def apply_memory(
    ctx: AwsContext,
    changes: ChangeRunner,
    *,
    function_name: str,
    memory_mb: int,
    architecture: Architecture | None = None,
    apply: bool = False,
    approval: Approval | None = None,
) -> MemoryChange:
    """Plan (and on request apply) a memory size, and an architecture switch where safe."""
    if not MIN_MEMORY_MB <= memory_mb <= MAX_MEMORY_MB:
        raise InvalidInputError(
            f"memory_mb {memory_mb} is outside Lambda's range: use {MIN_MEMORY_MB} to "
            f"{MAX_MEMORY_MB} MB, in 1 MB steps."
        )
    ref = writable_function(ctx, function_name)
    try:
        function = ctx.call("lambda", "get_function", FunctionName=ref.name)
    except ResourceNotFoundError as exc:
        raise not_found_error(ctx, ref.name) from exc
    config: JsonDict = function["Configuration"]
    arn = str(config["FunctionArn"])
    current_memory = int(config.get("MemorySize", 128))
    current_arch = str((config.get("Architectures") or ["x86_64"])[0])

    steps: list[PlanStep] = []
    if memory_mb != current_memory:
        steps.append(
            config_step(
                ref.name,
                arn,
                "MemorySize",
                before=current_memory,
                after=memory_mb,
                why="Memory also sets the CPU share: more memory runs CPU-bound code faster "
                "and costs more per millisecond.",
            )
        )
    check = None
    if architecture is not None:
        check = _architecture_check(ctx, function, target=architecture)
        if check.status == "safe":
            steps.append(_architecture_step(ref.name, arn, current_arch, architecture))

    plan = ChangePlan(steps=steps, notes=_notes(steps, check))
    outcome = changes.run(ctx, plan, tool="apply_memory", apply=apply, approval=approval)
    fields = outcome.fields()
    applied = {s.field: s.after for s in outcome.applied_steps}
    return MemoryChange(
        context=ctx.describe(),
        **fields,
        function_name=ref.name,
        memory_mb=int(applied.get("MemorySize", current_memory)),
        architecture=str((applied.get("Architectures") or [current_arch])[0]),
        architecture_check=check,
    )


def _architecture_step(name: str, arn: str, current: str, target: str) -> PlanStep:
    return PlanStep(
        resource=arn,
        field="Architectures",
        before=[current],
        after=[target],
        call=AwsCall(
            service="lambda",
            operation="update_function_code",
            parameters={
                "FunctionName": name,
                "ZipFile": CURRENT_PACKAGE,
                "Architectures": [target],
            },
        ),
        why=f"Re-upload the same package for {target}: the package and its layers hold no "
        "native code built for one architecture.",
    )


def _architecture_check(ctx: AwsContext, function: JsonDict, *, target: str) -> ArchitectureCheck:
    config = function["Configuration"]
    current = str((config.get("Architectures") or ["x86_64"])[0])
    if current == target:
        return ArchitectureCheck(target=target, status="not_needed", reason=f"Already {target}.")
    if config.get("PackageType") == "Image":
        return ArchitectureCheck(
            target=target,
            status="unsafe",
            reason="Container images are built per architecture: build and push an image "
            f"for {target}, then update the function with it.",
        )
    blocked = _incompatible_layers(ctx, config, target)
    if blocked:
        return ArchitectureCheck(
            target=target,
            status="unsafe",
            reason=f"Layers declared for other architectures only: {', '.join(blocked)}. "
            f"Publish {target} builds of them first.",
        )
    if ctx.describe().is_mock:
        return ArchitectureCheck(
            target=target,
            status="not_verifiable",
            reason="The embedded mock account returns a placeholder Code.Location, so the "
            "package cannot be downloaded and checked for native code; the switch is not "
            "planned. Against a real account the package and its layers are checked.",
        )
    return _package_check(ctx, function, target=target)


def _incompatible_layers(ctx: AwsContext, config: JsonDict, target: str) -> list[str]:
    blocked: list[str] = []
    for layer in config.get("Layers") or []:
        arn = str(layer["Arn"])
        parts = arn.split(":")
        try:
            info = ctx.call(
                "lambda", "get_layer_version", LayerName=parts[6], VersionNumber=int(parts[7])
            )
        except AwsError as exc:
            logger.info("apply_memory: layer %s not read (%s)", arn, exc.code)
            blocked.append(f"{arn} (unreadable)")
            continue
        archs = info.get("CompatibleArchitectures") or []
        if archs and target not in archs:
            blocked.append(f"{arn} ({', '.join(archs)})")
    return blocked


def _package_check(ctx: AwsContext, function: JsonDict, *, target: str) -> ArchitectureCheck:
    config = function["Configuration"]
    packages = {"function": str((function.get("Code") or {}).get("Location", ""))}
    for layer in config.get("Layers") or []:
        parts = str(layer["Arn"]).split(":")
        info = ctx.call(
            "lambda", "get_layer_version", LayerName=parts[6], VersionNumber=int(parts[7])
        )
        packages[str(layer["Arn"])] = str((info.get("Content") or {}).get("Location", ""))
    native: list[str] = []
    for owner, url in packages.items():
        native += [f"{owner}: {n.path} ({n.machine})" for n in native_code(download_package(url))]
    if native:
        return ArchitectureCheck(
            target=target,
            status="unsafe",
            reason="Native code built for one architecture would not run on the other: "
            "rebuild the package (and layers) for the target first.",
            native_files=native[:50],
        )
    return ArchitectureCheck(
        target=target,
        status="safe",
        reason="The package and its layers hold no native code.",
    )


def _notes(steps: list[PlanStep], check: ArchitectureCheck | None) -> list[str]:
    notes: list[str] = []
    if not steps:
        notes.append("Nothing to change: the function already has this configuration.")
    if any(s.field == "MemorySize" for s in steps):
        notes.append(
            "UpdateFunctionConfiguration is sent with the function's current Layers, "
            "Environment and VpcConfig (read at apply time, values not shown); the change "
            "reaches $LATEST, and aliases need a new version to see it."
        )
    if check is not None and check.status != "safe" and check.status != "not_needed":
        notes.append(f"Architecture switch to {check.target} not planned: {check.reason}")
    return notes
