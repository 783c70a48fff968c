"""The layer doctor's checks: LY-04 native code, LY-05 layout, LY-06 bundled SDK, LY-07 overlap."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from lambda_specialist.knowledge.layers import DOCS_URL
from lambda_specialist.tools.layers.content import LayerContents, Target, native_problems
from lambda_specialist.tools.models import Finding, Severity

__all__ = ["SDK_PACKAGES", "bundled_sdk", "duplicate_packages", "layout_problems", "native_code"]

SDK_PACKAGES = ("boto3", "botocore", "s3transfer")
_LISTED = 10
_NATIVE_TITLES = {
    "architecture": "Native code built for another CPU architecture",
    "glibc": "Native code needs a newer glibc than the runtime has",
    "abi": "Extension modules built for another Python version",
    "os": "macOS or Windows binaries in a Linux layer",
}
_NATIVE_EFFECTS = {
    "architecture": "The loader refuses it, so the import fails when the function starts "
    "('cannot open shared object file' or 'No module named ...').",
    "glibc": 'The loader stops with "version `GLIBC_x.y\' not found" when it is imported.',
    "abi": "The interpreter does not load an extension built for another Python version: the "
    "import fails with 'No module named ...'.",
    "os": "Linux cannot load it: the import fails with 'invalid ELF header'.",
}
_NATIVE_FIXES = {
    "architecture": "Rebuild the layer for {arch}: generate_layer with architecture='{arch}', or "
    "`sam build` with BuildArchitecture {arch}.",
    "glibc": "Rebuild with wheels no newer than manylinux_{glibc} (generate_layer picks them), "
    "or move the function to a runtime on Amazon Linux 2023.",
    "abi": "Rebuild the layer for {runtime} (generate_layer with runtime='{runtime}').",
    "os": "Build the layer for Linux: generate_layer, or a container build on the Lambda image.",
}
_ROOTS = ("python/", "nodejs/", "java/", "ruby/", "bin/", "lib/", "extensions/")
_CODE = re.compile(r"\.(py|pyc|so|js|mjs|cjs|jar|rb)$")
_NODE_PATH = re.compile(r"^nodejs/(node\d+/)?node_modules/")


def native_code(layer: str, contents: LayerContents, target: Target) -> list[Finding]:
    """Return one LY-04 finding per kind of native file that will not load on ``target``."""
    by_kind = defaultdict(list)
    for problem in native_problems(contents.native, target):
        by_kind[problem.problem].append(problem)
    findings = []
    for kind, problems in by_kind.items():
        findings.append(
            Finding(
                id="LY-04",
                severity=Severity.HIGH,
                title=_NATIVE_TITLES[kind],
                rationale=f"{problems[0].path.rsplit('/', 1)[-1]}: {problems[0].detail}. "
                + _NATIVE_EFFECTS[kind],
                evidence={
                    "layer": layer,
                    "runtime": target.runtime,
                    "architecture": target.architecture,
                    "files": [p.path for p in problems[:_LISTED]],
                    "file_count": len(problems),
                },
                fix=_NATIVE_FIXES[kind].format(
                    arch=target.architecture,
                    glibc=target.glibc_text.replace(".", "_"),
                    runtime=target.runtime,
                ),
                docs_url=DOCS_URL,
            )
        )
    return findings


def layout_problems(layer: str, contents: LayerContents, runtime: str | None) -> list[Finding]:
    """Return an LY-05 finding when code sits where the runtime does not look, or is unreadable."""
    misplaced = [
        f.path for f in contents.files if _CODE.search(f.path) and not _searched(f.path, runtime)
    ]
    unreadable = [f.path for f in contents.files if f.mode is not None and not f.mode & 0o004]
    findings = []
    if misplaced:
        findings.append(
            _layout_finding(
                layer,
                "Layer code sits outside the folders the runtime searches",
                f"Lambda extracts layers into /opt and {runtime or 'each runtime'} looks only in "
                "its own folders (python/, python/lib/python3.x/site-packages/, "
                "nodejs/node_modules/, ...). Files elsewhere are never imported.",
                {"misplaced": misplaced[:_LISTED], "misplaced_count": len(misplaced)},
            )
        )
    if unreadable:
        findings.append(
            _layout_finding(
                layer,
                "Layer files are not world-readable",
                "Lambda runs the function as a user that does not own the extracted files; a file "
                "without the read bit for others cannot be opened.",
                {"unreadable": unreadable[:_LISTED], "unreadable_count": len(unreadable)},
            )
        )
    return findings


def bundled_sdk(layer: str, contents: LayerContents) -> list[Finding]:
    """Return an LY-06 finding when the layer carries boto3, botocore or s3transfer."""
    versions = {d.name: d.version for d in contents.distributions if d.name in SDK_PACKAGES}
    for name in sorted(contents.top_level_names() & set(SDK_PACKAGES)):
        versions.setdefault(name, "unknown version")
    if not versions:
        return []
    missing = sorted(set(SDK_PACKAGES) - set(versions))
    return [
        Finding(
            id="LY-06",
            severity=Severity.MEDIUM,
            title="Layer bundles the AWS SDK the runtime already provides",
            rationale="The layer's copy shadows the runtime's boto3/botocore; a partial or "
            "mismatched set (boto3, botocore and s3transfer at versions that do not go together) "
            "fails at import or with 'Unknown parameter' errors, and it never gets the runtime's "
            "updates.",
            evidence={
                "layer": layer,
                "bundled": [f"{name}=={version}" for name, version in sorted(versions.items())],
                "missing_from_set": missing,
            },
            fix="Remove boto3, botocore and s3transfer from the layer (generate_layer leaves them "
            "out unless pinned); if you need a newer SDK, ship all three at matching versions.",
            docs_url="https://docs.aws.amazon.com/lambda/latest/dg/python-package.html",
        )
    ]


def duplicate_packages(layers: Sequence[tuple[str, LayerContents]]) -> list[Finding]:
    """Return an LY-07 finding for packages present in more than one of ``layers`` (in order)."""
    holders: dict[str, list[str]] = defaultdict(list)
    for arn, contents in layers:
        names = {d.name for d in contents.distributions} | contents.top_level_names()
        # A distribution and its import name often differ only by '-' and '_': count once.
        for name in {n.lower().replace("_", "-") for n in names}:
            holders[name].append(arn)
    shared = {name: arns for name, arns in sorted(holders.items()) if len(arns) > 1}
    if not shared:
        return []
    return [
        Finding(
            id="LY-07",
            severity=Severity.LOW,
            title="The same package is in several layers",
            rationale="Layers are extracted into /opt in order and a later layer silently "
            "overwrites an earlier one's files, so the version that runs is whichever came "
            "last, possibly mixed with files of the other.",
            evidence={
                "packages": sorted(shared)[:_LISTED],
                "package_count": len(shared),
                "layers": sorted({arn for arns in shared.values() for arn in arns}),
            },
            fix="Keep each package in one layer, or merge the layers into one built together "
            "(generate_layer with all the requirements).",
            docs_url=DOCS_URL,
        )
    ]


def _searched(path: str, runtime: str | None) -> bool:
    if runtime and runtime.startswith("python3."):
        site = f"python/lib/{runtime}/site-packages/"
        if path.startswith("python/lib/python3.") and not path.startswith(site):
            return False
        return path.startswith(("python/", "bin/", "lib/", "extensions/"))
    if runtime and runtime.startswith("nodejs"):
        return bool(_NODE_PATH.match(path)) or path.startswith(("bin/", "lib/", "extensions/"))
    return path.startswith(_ROOTS)


def _layout_finding(layer: str, title: str, rationale: str, extra: dict[str, object]) -> Finding:
    evidence: dict[str, str | int | list[str]] = {"layer": layer}
    evidence.update({k: v for k, v in extra.items() if isinstance(v, str | int | list)})
    return Finding(
        id="LY-05",
        severity=Severity.HIGH,
        title=title,
        rationale=rationale,
        evidence=dict(evidence),
        fix="Rebuild the zip with the code under python/ (Python) or nodejs/node_modules/ "
        "(Node.js) at the zip root, files mode 0644: generate_layer writes that layout.",
        docs_url=DOCS_URL,
    )
