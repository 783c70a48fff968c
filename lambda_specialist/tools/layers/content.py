"""What a layer holds: its files, native libraries and Python distributions, and what is wrong.

One reading for both a zip (a published layer, a local file) and a directory (a build in
progress), so the builder's verification and the layer doctor judge by the same rules.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.knowledge.layers import ELF_MACHINES, LAMBDA_ARCHITECTURES
from lambda_specialist.knowledge.runtimes import find_runtime
from lambda_specialist.tools.layers.elf import looks_native, read_binary

__all__ = [
    "Distribution",
    "LayerContents",
    "LayerFile",
    "NativeLibrary",
    "NativeProblem",
    "Target",
    "native_problems",
    "normalize_name",
    "read_directory",
    "read_zip",
]

_ABI_SUFFIX = re.compile(
    r"\.cpython-(?P<major>\d)(?P<minor>\d+)(?P<flags>[a-z]*)-(?P<platform>[^.]+)\.so$"
)
_DIST_INFO = re.compile(
    r"^(?P<site>(?:.*/)?)(?P<name>[^/]+?)-(?P<version>[^/-]+)\.dist-info/METADATA$"
)
_SITE_DIRS = re.compile(r"^(python/|python/lib/python3\.\d+/site-packages/|nodejs/)")


@dataclass(frozen=True)
class Target:
    """The runtime and architecture a layer must run on, and what follows from them."""

    runtime: str
    architecture: str
    python: tuple[int, int] | None
    glibc: tuple[int, int]

    @classmethod
    def of(cls, runtime: str, architecture: str) -> Target:
        """Return the target for a Lambda runtime identifier and architecture.

        Raises:
            InvalidInputError: The runtime or architecture is not one Lambda offers.
        """
        known = find_runtime(runtime)
        if known is None:
            raise InvalidInputError(
                f"Runtime '{runtime}' is not a Lambda runtime this tool knows. Use an identifier "
                "such as 'python3.12' or 'python3.13'."
            )
        if architecture not in LAMBDA_ARCHITECTURES:
            raise InvalidInputError(
                f"Architecture '{architecture}' is not a Lambda architecture. Use 'x86_64' or "
                "'arm64'."
            )
        python = None
        if runtime.startswith("python3."):
            python = (3, int(runtime.removeprefix("python3.")))
        major, minor = (int(part) for part in known.glibc.split("."))
        return cls(runtime=runtime, architecture=architecture, python=python, glibc=(major, minor))

    @property
    def machine(self) -> str:
        """The wheel and multiarch machine name: ``x86_64`` or ``aarch64``."""
        return LAMBDA_ARCHITECTURES[self.architecture][1]

    @property
    def glibc_text(self) -> str:
        """The runtime's glibc as ``"2.34"``."""
        return f"{self.glibc[0]}.{self.glibc[1]}"


@dataclass(frozen=True)
class LayerFile:
    """One file of a layer: its path from the layer root, sizes and Unix mode."""

    path: str
    size: int
    compressed: int = 0
    mode: int | None = None


class NativeLibrary(BaseModel):
    """A native file in the layer and what it is built for."""

    path: str = Field(description="Path inside the layer zip.")
    kind: str = Field(description="elf, mach-o (macOS) or pe (Windows).")
    machine: str | None = Field(description="The CPU it is built for, from the ELF header.")
    glibc: str | None = Field(description="The highest GLIBC_x.y symbol version it needs.")
    python_abi: str | None = Field(description="The CPython ABI from the file name, e.g. 3.12.")


class NativeProblem(BaseModel):
    """A native file that will not load on the target, and why."""

    path: str
    problem: str = Field(description="architecture, glibc, abi, os or unreadable.")
    detail: str


@dataclass(frozen=True)
class Distribution:
    """A Python distribution found through its ``.dist-info`` directory."""

    name: str
    version: str
    site: str
    files: tuple[str, ...]


@dataclass
class LayerContents:
    """Everything read from one layer."""

    files: list[LayerFile]
    native: list[NativeLibrary] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)

    @property
    def unzipped_bytes(self) -> int:
        """Total size of the files once extracted."""
        return sum(f.size for f in self.files)

    def top_level_names(self) -> set[str]:
        """Import names found directly in a Python site directory (packages and modules)."""
        names: set[str] = set()
        for item in self.files:
            match = _SITE_DIRS.match(item.path)
            if match is None or match.group(1) == "nodejs/":
                continue
            rest = item.path[match.end() :]
            head = rest.split("/", 1)[0]
            if "/" in rest and not head.endswith((".dist-info", ".data")) and head != "bin":
                names.add(head)
            elif rest.endswith(".py") and "/" not in rest:
                names.add(rest.removesuffix(".py"))
        return names


def read_zip(data: bytes | Path) -> LayerContents:
    """Read a layer zip given as bytes or a path.

    Raises:
        InvalidInputError: The data is not a zip archive.
    """
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidInputError(
            "The layer content is not a valid zip archive. Pass the path of a .zip file, or a "
            "layer version ARN."
        ) from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        files = [
            LayerFile(
                path=i.filename,
                size=i.file_size,
                compressed=i.compress_size,
                mode=(i.external_attr >> 16) or None,
            )
            for i in infos
        ]
        return _read(files, lambda path, size: _read_member(archive, path, size))


def read_directory(root: Path) -> LayerContents:
    """Read an unpacked layer whose root is ``root`` (the folder holding ``python/``)."""
    files = [
        LayerFile(path=p.relative_to(root).as_posix(), size=p.stat().st_size, mode=p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]

    def read(path: str, size: int) -> bytes:
        with (root / path).open("rb") as handle:
            return handle.read(size)

    return _read(files, read)


def native_problems(native: Iterable[NativeLibrary], target: Target) -> list[NativeProblem]:
    """Return every native file that will not load on ``target``, with the reason."""
    expected = ELF_MACHINES[LAMBDA_ARCHITECTURES[target.architecture][0]]
    problems: list[NativeProblem] = []
    for lib in native:
        if lib.kind != "elf":
            detail = f"a {'macOS' if lib.kind == 'mach-o' else 'Windows'} binary; Lambda runs Linux"
            problems.append(NativeProblem(path=lib.path, problem="os", detail=detail))
            continue
        if lib.machine != expected:
            detail = (
                f"built for {lib.machine or 'an unknown machine'}, the function runs {expected}"
            )
            problems.append(NativeProblem(path=lib.path, problem="architecture", detail=detail))
        if lib.glibc and _version(lib.glibc) > target.glibc:
            detail = f"needs GLIBC_{lib.glibc}; {target.runtime} has glibc {target.glibc_text}"
            problems.append(NativeProblem(path=lib.path, problem="glibc", detail=detail))
        if lib.python_abi and target.python and _version(lib.python_abi) != target.python:
            expected_abi = f"3.{target.python[1]}"
            detail = (
                f"built for CPython {lib.python_abi}; {target.runtime} is CPython {expected_abi}"
            )
            problems.append(NativeProblem(path=lib.path, problem="abi", detail=detail))
    return problems


def normalize_name(name: str) -> str:
    """Return the PEP 503 normalized form of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(files: list[LayerFile], read: Callable[[str, int], bytes]) -> LayerContents:
    contents = LayerContents(files=sorted(files, key=lambda f: f.path))
    for item in contents.files:
        if item.size >= 4 and looks_native(item.path, read(item.path, 4)):
            contents.native.append(_native(item.path, read(item.path, item.size)))
        match = _DIST_INFO.match(item.path)
        if match:
            record = _record(read, match.group("site"), item.path, {f.path: f for f in files})
            contents.distributions.append(
                Distribution(
                    name=normalize_name(match.group("name")),
                    version=match.group("version"),
                    site=match.group("site"),
                    files=record,
                )
            )
    return contents


def _native(path: str, data: bytes) -> NativeLibrary:
    info = read_binary(path, data)
    machine = None
    if info is not None and info.machine is not None:
        machine = ELF_MACHINES.get(info.machine, f"e_machine {info.machine}")
    abi = _ABI_SUFFIX.search(path)
    return NativeLibrary(
        path=path,
        kind=info.kind if info else "elf",
        machine=machine,
        glibc=info.glibc_text if info else None,
        python_abi=f"{abi.group('major')}.{abi.group('minor')}" if abi else None,
    )


def _record(
    read: Callable[[str, int], bytes], site: str, metadata: str, known: dict[str, LayerFile]
) -> tuple[str, ...]:
    """Return the layer paths a distribution installed, from its RECORD (empty without one)."""
    record_path = metadata.removesuffix("METADATA") + "RECORD"
    if record_path not in known:
        return ()
    text = read(record_path, known[record_path].size).decode("utf-8", "replace")
    paths = (line.split(",", 1)[0] for line in text.splitlines() if line.strip())
    return tuple(sorted(f"{site}{p}" for p in paths if not p.startswith("..")))


def _read_member(archive: zipfile.ZipFile, path: str, size: int) -> bytes:
    with archive.open(path) as handle:
        return handle.read(size)


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)
