"""generate_layer: build a Lambda layer zip for a runtime and architecture, verified and slim."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from lambda_specialist.errors import InvalidInputError, LayerBuildError
from lambda_specialist.knowledge.layers import (
    RUNTIME_PROVIDED,
    UNZIPPED_LIMIT_BYTES,
    ZIPPED_UPLOAD_LIMIT_BYTES,
    manylinux_platforms,
)
from lambda_specialist.tools.layers.archive import slim_tree, write_zip
from lambda_specialist.tools.layers.content import (
    LayerContents,
    NativeLibrary,
    NativeProblem,
    Target,
    native_problems,
    normalize_name,
    read_directory,
    read_zip,
)
from lambda_specialist.tools.layers.pip import install_requirements

__all__ = ["LayerBuild", "PackageSize", "ProgressFn", "generate_layer", "parse_requirements"]

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
STEPS = 4
_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*([<>=!~;@ (].*)?$")
_MAX_PROBLEMS_LISTED = 8


class PackageSize(BaseModel):
    """One installed distribution and its share of the layer."""

    name: str
    version: str
    files: int
    unzipped_bytes: int
    zipped_bytes: int


class LayerBuild(BaseModel):
    """A layer zip built and verified for one runtime and architecture."""

    path: str = Field(description="Absolute path of the zip written.")
    sha256: str = Field(description="Hex SHA-256 of the zip.")
    code_sha256: str = Field(
        description="Base64 SHA-256 of the zip: what Lambda reports as CodeSha256 once published."
    )
    runtime: str
    architecture: str
    glibc: str = Field(description="The runtime's glibc, the newest the binaries may need.")
    platform_tags: list[str] = Field(description="The wheel platform tags pip was allowed.")
    layout: str = Field(description="The folder inside the zip Lambda searches: python/.")
    zipped_bytes: int
    unzipped_bytes: int
    zipped_limit_bytes: int = Field(description="Direct-upload limit (50 MB); use S3 above it.")
    unzipped_limit_bytes: int = Field(description="Function code plus all layers, unzipped.")
    packages: list[PackageSize] = Field(description="Largest first.")
    native_libraries: list[NativeLibrary] = Field(description="Every native file, verified.")
    excluded: list[str] = Field(description="Runtime-provided packages left out of the layer.")
    built_from_source: list[str] = Field(description="Pure-Python packages built from sdists.")
    slimmed_files: int = Field(description="Files removed by slimming.")
    slimmed_bytes: int
    warnings: list[str]
    seconds: float


def generate_layer(
    *,
    requirements: str | list[str],
    runtime: str,
    architecture: str = "x86_64",
    slim: bool = True,
    output_path: str | None = None,
    exclude_runtime_packages: bool = True,
    progress: ProgressFn | None = None,
) -> LayerBuild:
    """Build a layer zip of ``requirements`` for ``runtime`` on ``architecture``.

    Raises:
        InvalidInputError: A requirement, the runtime, the architecture or the output path
            is not usable.
        LayerBuildError: A package cannot be installed for the target, or a native library
            in the result would not load there.
    """
    started = time.perf_counter()
    target = _python_target(runtime, architecture)
    lines = parse_requirements(requirements)
    output = _output_file(output_path)
    report = progress or (lambda done, total, message: None)

    with tempfile.TemporaryDirectory(prefix="layer-build-") as scratch:
        root = Path(scratch) / "layer"
        site = root / "python"
        site.mkdir(parents=True)
        report(0, STEPS, f"resolving {len(lines)} requirement(s) for {runtime} {architecture}")
        built = install_requirements(lines, target, site, report=lambda m: report(0, STEPS, m))

        report(1, STEPS, "verifying native libraries")
        excluded = _exclude_provided(root, lines) if exclude_runtime_packages else []
        slimmed = slim_tree(site) if slim else (0, 0)
        contents = read_directory(root)
        _refuse_problems(native_problems(contents.native, target), contents)

        report(2, STEPS, f"zipping {len(contents.files)} files")
        final = output or Path.cwd() / f"layer-{runtime}-{architecture}.zip"
        digest = write_zip(root, final)
        if output is None:
            final = final.rename(final.with_name(f"{final.stem}-{digest.sha256[:12]}.zip"))

    report(3, STEPS, "measuring sizes")
    zipped = read_zip(final)
    result = LayerBuild(
        path=str(final.resolve()),
        sha256=digest.sha256,
        code_sha256=digest.code_sha256,
        runtime=runtime,
        architecture=architecture,
        glibc=target.glibc_text,
        platform_tags=manylinux_platforms(target.glibc_text, target.machine),
        layout="python/",
        zipped_bytes=digest.size,
        unzipped_bytes=zipped.unzipped_bytes,
        zipped_limit_bytes=ZIPPED_UPLOAD_LIMIT_BYTES,
        unzipped_limit_bytes=UNZIPPED_LIMIT_BYTES,
        packages=_package_sizes(zipped),
        native_libraries=zipped.native,
        excluded=excluded,
        built_from_source=built,
        slimmed_files=slimmed[0],
        slimmed_bytes=slimmed[1],
        warnings=_warnings(zipped, digest.size),
        seconds=round(time.perf_counter() - started, 2),
    )
    report(STEPS, STEPS, f"wrote {final.name}")
    logger.info("layer built: %s %s, %d bytes", runtime, architecture, digest.size)
    return result


MAX_REQUIREMENTS_LINES = 500
MAX_REQUIREMENTS_CHARS = 64 * 1024


def parse_requirements(requirements: str | list[str]) -> list[str]:
    """Return the requirement lines of a requirements text or list, without comments.

    Raises:
        InvalidInputError: A line is a pip option or not a requirement, or there are none.
    """
    size = len(requirements) if isinstance(requirements, str) else sum(map(len, requirements))
    count = len(requirements.splitlines()) if isinstance(requirements, str) else len(requirements)
    if size > MAX_REQUIREMENTS_CHARS or count > MAX_REQUIREMENTS_LINES:
        raise InvalidInputError(
            f"The requirements are too long ({count} lines, {size} characters); a layer takes "
            f"at most {MAX_REQUIREMENTS_LINES} lines and {MAX_REQUIREMENTS_CHARS} characters. "
            "Split the dependencies over several layers or trim the list."
        )
    raw = requirements.splitlines() if isinstance(requirements, str) else list(requirements)
    lines = [line.split(" #", 1)[0].strip() for line in raw]
    lines = [line for line in lines if line and not line.startswith("#")]
    for line in lines:
        if not _REQUIREMENT.match(line) or " @ " in line or line.startswith("@"):
            raise InvalidInputError(
                f"'{line}' is not a requirement this tool accepts. Give one package per line, "
                "such as 'pydantic==2.11.7' or 'requests>=2.32'; pip options and file paths "
                "are not accepted (configure indexes with pip's own PIP_INDEX_URL)."
            )
    if not lines:
        raise InvalidInputError(
            "No requirements were given. Pass a requirements text or a list such as "
            "['requests==2.32.3']."
        )
    return lines


def _python_target(runtime: str, architecture: str) -> Target:
    target = Target.of(runtime, architecture)
    if target.python is None:
        raise InvalidInputError(
            f"generate_layer builds Python layers; '{runtime}' is not a Python runtime. For "
            "Node.js, run `npm ci --omit=dev --cpu "
            f"{'arm64' if architecture == 'arm64' else 'x64'} --os linux` in nodejs/ and zip "
            "that folder."
        )
    if target.python < (3, 9):
        raise InvalidInputError(
            f"{runtime} can no longer be used to create functions. Build for python3.12 or newer."
        )
    return target


def _output_file(output_path: str | None) -> Path | None:
    if output_path is None:
        return None
    path = Path(output_path).expanduser().resolve()
    if path.suffix.lower() != ".zip":
        raise InvalidInputError(
            f"The output path '{output_path}' must end in .zip. Name a new .zip file, or omit "
            "output_path to write one in the current directory."
        )
    if path.is_dir() or not path.parent.is_dir():
        raise InvalidInputError(
            f"The output path '{output_path}' is a folder or is in a folder that does not "
            "exist. Name a .zip file in an existing folder."
        )
    return path


def _exclude_provided(root: Path, lines: list[str]) -> list[str]:
    """Delete the runtime-provided distributions that were not asked for by name."""
    asked = {normalize_name(re.split(r"[\s\[<>=!~;@(]", line, maxsplit=1)[0]) for line in lines}
    excluded: list[str] = []
    for dist in read_directory(root).distributions:
        if dist.name not in RUNTIME_PROVIDED or dist.name in asked:
            continue
        for relative in dist.files:
            (root / relative).unlink(missing_ok=True)
        for folder in sorted({(root / f).parent for f in dist.files}, key=lambda p: -len(p.parts)):
            if folder != root / "python" and folder.is_dir() and not any(folder.iterdir()):
                shutil.rmtree(folder)
        excluded.append(f"{dist.name}=={dist.version}")
    return sorted(excluded)


def _refuse_problems(problems: list[NativeProblem], contents: LayerContents) -> None:
    if not problems:
        return
    owners = {path: dist.name for dist in contents.distributions for path in dist.files}
    listed = [
        f"{owners.get(p.path, 'unknown package')}: {p.path.removeprefix('python/')} ({p.detail})"
        for p in problems[:_MAX_PROBLEMS_LISTED]
    ]
    more = len(problems) - len(listed)
    raise LayerBuildError(
        f"The layer would not load: {len(problems)} native file(s) do not fit the target. "
        + "; ".join(listed)
        + (f"; and {more} more" if more > 0 else "")
        + ". Pin a version whose wheels match, or build in a container on the Lambda base image."
    )


def _package_sizes(contents: LayerContents) -> list[PackageSize]:
    by_path = {f.path: f for f in contents.files}
    sizes = []
    for dist in contents.distributions:
        files = [by_path[p] for p in dist.files if p in by_path]
        sizes.append(
            PackageSize(
                name=dist.name,
                version=dist.version,
                files=len(files),
                unzipped_bytes=sum(f.size for f in files),
                zipped_bytes=sum(f.compressed for f in files),
            )
        )
    return sorted(sizes, key=lambda s: (-s.unzipped_bytes, s.name))


def _warnings(contents: LayerContents, zipped: int) -> list[str]:
    warnings = []
    bundled = sorted(d.name for d in contents.distributions if d.name in RUNTIME_PROVIDED)
    if bundled:
        warnings.append(
            f"The layer bundles {', '.join(bundled)}, which the runtime already provides; "
            "this copy shadows the runtime's. Ship boto3, botocore and s3transfer together at "
            "matching versions (boto/botocore#3082)."
        )
    if zipped > ZIPPED_UPLOAD_LIMIT_BYTES:
        warnings.append(
            f"The zip is {zipped / 1048576:.1f} MB, over the 50 MB direct-upload limit: upload "
            "it to S3 and publish from there."
        )
    if contents.unzipped_bytes > UNZIPPED_LIMIT_BYTES:
        warnings.append(
            f"Unzipped it is {contents.unzipped_bytes / 1048576:.1f} MB, over the 250 MB that "
            "function code and all its layers may take together. Split it or use a container "
            "image."
        )
    return warnings
