"""Install requirements for a Lambda target with pip: wheels for the target, pure sdists built here.

pip is told the target instead of the host: ``--platform`` once per manylinux tag the runtime's
glibc accepts, ``--implementation cp``, ``--python-version`` and ``--only-binary=:all:``. A
package with no wheel is built here only when its source builds into a pure-Python wheel; one
that needs a compiler is refused with the advice to build in a container, because a compiler
on this machine would produce code for this machine, not for Lambda.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from lambda_specialist.errors import LayerBuildError
from lambda_specialist.knowledge.layers import manylinux_platforms
from lambda_specialist.tools.layers.content import Target
from lambda_specialist.tools.layers.elf import looks_native

__all__ = ["PIP_TIMEOUT_SECONDS", "install_requirements"]

logger = logging.getLogger(__name__)

PIP_TIMEOUT_SECONDS = 900
# Packages without a usable wheel can pull in others without one; stop after this many rounds.
_MAX_SOURCE_ROUNDS = 5
_NO_MATCH = re.compile(r"No matching distribution found for (?P<requirement>\S+)")
_ERROR_LINE = re.compile(r"^\s*ERROR: ")
_PHASES = (
    ("Collecting ", "resolving"),
    ("Downloading ", "downloading"),
    ("Installing ", "installing"),
)

MessageFn = Callable[[str], None]


def install_requirements(
    requirements: Sequence[str], target: Target, site: Path, *, report: MessageFn
) -> list[str]:
    """Install ``requirements`` and their dependencies for ``target`` into ``site``.

    Args:
        requirements: PEP 508 requirement lines.
        target: The runtime and architecture to install for.
        site: The directory to install into (the layer's ``python/``).
        report: Called with a short line for each step pip takes.

    Returns:
        The names of the packages built here from pure-Python source distributions.

    Raises:
        LayerBuildError: A package has no wheel for the target and no pure-Python source, or
            pip failed for another reason (named in the message).
    """
    with tempfile.TemporaryDirectory(prefix="layer-sources-") as scratch:
        built_dir = Path(scratch)
        requirements_file = built_dir / "requirements.txt"
        requirements_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        built: list[str] = []
        for _ in range(_MAX_SOURCE_ROUNDS):
            code, lines = _run_pip(
                _install_command(target, site, requirements_file, built_dir), report
            )
            if code == 0:
                return built
            missing = _missing_requirements(lines)
            if not missing or any(_name_of(m) in built for m in missing):
                raise _pip_failure(lines, target)
            for requirement in missing:
                built.append(_build_pure_wheel(requirement, target, built_dir, report))
        raise LayerBuildError(
            f"Packages without wheels kept pulling in more packages without wheels for "
            f"{target.runtime} ({', '.join(built)}). Build this layer in a container: "
            f"`sam build --use-container` or a Docker build on public.ecr.aws/lambda/python."
        )


def _install_command(target: Target, site: Path, requirements: Path, built: Path) -> list[str]:
    assert target.python is not None
    platforms = manylinux_platforms(target.glibc_text, target.machine)
    return [
        *_pip(),
        "install",
        "--target",
        str(site),
        "--implementation",
        "cp",
        "--python-version",
        f"{target.python[0]}.{target.python[1]}",
        "--only-binary=:all:",
        *(arg for tag in platforms for arg in ("--platform", tag)),
        "--find-links",
        str(built),
        "--no-compile",
        "--upgrade",
        "-r",
        str(requirements),
    ]


def _build_pure_wheel(requirement: str, target: Target, out: Path, report: MessageFn) -> str:
    """Build ``requirement`` from source, without dependencies, and keep it only if pure."""
    name = _name_of(requirement)
    report(f"building {name} from source")
    before = set(out.glob("*.whl"))
    command = [
        *_pip(),
        "wheel",
        "--no-deps",
        "--no-binary",
        name,
        "--ignore-requires-python",
        "--wheel-dir",
        str(out),
        requirement,
    ]
    code, lines = _run_pip(command, report)
    if code != 0:
        if _missing_requirements(lines):
            raise LayerBuildError(
                f"No wheel of '{requirement}' fits {target.runtime} on {target.architecture} "
                f"(manylinux, glibc {target.glibc_text} or older), and it has no source "
                f"distribution either. Check the version exists, pick one that publishes "
                f"{target.machine} Linux wheels, or use another runtime."
            )
        raise _native_source_error(name, target, _error_lines(lines))
    for wheel in set(out.glob("*.whl")) - before:
        if not wheel.name.endswith("-none-any.whl") or _has_native_files(wheel):
            wheel.unlink()
            raise _native_source_error(name, target, "it contains compiled code")
    return name


def _native_source_error(name: str, target: Target, why: str) -> LayerBuildError:
    return LayerBuildError(
        f"'{name}' has no wheel for {target.runtime} on {target.architecture}, and its source "
        f"distribution does not build into pure Python ({why}). Build this layer in a "
        f"container that matches Lambda: `sam build --use-container` with "
        f"BuildArchitecture {target.architecture}, or a Docker build on "
        f"public.ecr.aws/lambda/python:{target.runtime.removeprefix('python')}"
        f"{'-arm64' if target.architecture == 'arm64' else ''}."
    )


def _has_native_files(wheel: Path) -> bool:
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.file_size < 4:
                continue
            with archive.open(info) as handle:
                if looks_native(info.filename, handle.read(4)):
                    return True
    return False


def _run_pip(command: list[str], report: MessageFn) -> tuple[int, list[str]]:
    logger.info("pip: %s", " ".join(command[3:5]))
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    timer = threading.Timer(PIP_TIMEOUT_SECONDS, process.kill)
    timer.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            for prefix, phase in _PHASES:
                if line.startswith(prefix):
                    report(f"{phase}: {line[len(prefix) :].strip()[:120]}")
        code = process.wait()
    finally:
        timer.cancel()
    logger.debug("pip: exit %d", code)
    return code, lines


def _pip() -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]


def _missing_requirements(lines: Sequence[str]) -> list[str]:
    return sorted({m.group("requirement") for line in lines if (m := _NO_MATCH.search(line))})


def _name_of(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return match.group(0).lower().replace("_", "-") if match else requirement


def _error_lines(lines: Sequence[str]) -> str:
    errors = [line.strip() for line in lines if _ERROR_LINE.match(line)]
    return "; ".join(errors[-3:]) or (lines[-1].strip() if lines else "pip printed nothing")


def _pip_failure(lines: Sequence[str], target: Target) -> LayerBuildError:
    return LayerBuildError(
        f"pip could not install the requirements for {target.runtime} on "
        f"{target.architecture}: {_error_lines(lines)}. Fix the requirement it names and "
        "build again."
    )
