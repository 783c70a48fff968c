"""A local package index for layer tests: tiny wheels and sdists with chosen tags and binaries.

pip reads it through ``--find-links`` (``PIP_FIND_LINKS``) with ``PIP_NO_INDEX``, so the
builds run offline and pip's own resolver picks among the wheels, as it would on PyPI.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

from lambda_specialist.demo.broken_layer import EM_AARCH64, EM_X86_64, shared_object

MACHINES = {"x86_64": EM_X86_64, "aarch64": EM_AARCH64}
# An in-tree PEP 517 backend: builds the wheel itself, so no setuptools is needed offline.
_BACKEND = """
import base64, hashlib, io, os, zipfile
NAME, VERSION, TAG, NATIVE = {name!r}, {version!r}, {tag!r}, {native!r}

def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{{path}},sha256={{digest}},{{len(data)}}"

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {{f"{{NAME}}/__init__.py": b"VALUE = 1\\n"}}
    if NATIVE:
        files[f"{{NAME}}/_speed.so"] = b"\\x7fELF\\x02\\x01\\x01" + bytes(57)
    info = f"{{NAME}}-{{VERSION}}.dist-info"
    meta = f"Metadata-Version: 2.1\\nName: {{NAME}}\\nVersion: {{VERSION}}\\n"
    files[f"{{info}}/METADATA"] = meta.encode()
    wheel = f"Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: {{TAG}}\\n"
    files[f"{{info}}/WHEEL"] = wheel.encode()
    record = [_record_line(p, d) for p, d in files.items()] + [f"{{info}}/RECORD,,"]
    files[f"{{info}}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    name = f"{{NAME}}-{{VERSION}}-{{TAG}}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return name
"""


def add_wheel(
    index: Path,
    name: str,
    version: str,
    tag: str,
    *,
    machine: str | None = None,
    glibc: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Write ``name-version-tag.whl``; with ``machine``, it holds an ELF extension module.

    Every wheel records its own tag in ``<name>/TAG`` so a test can tell which one pip chose.
    """
    files: dict[str, bytes] = {
        f"{name}/__init__.py": b"VALUE = 1\n",
        f"{name}/TAG": tag.encode(),
        **(extra or {}),
    }
    if machine is not None:
        abi = tag.split("-")[0].replace("cp", "")
        suffix = f"cpython-{abi}-{machine}-linux-gnu.so"
        files[f"{name}/_speed.{suffix}"] = shared_object(machine=MACHINES[machine], glibc=glibc)
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files[f"{info}/METADATA"] = metadata.encode()
    purelib = "true" if machine is None else "false"
    files[f"{info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nRoot-Is-Purelib: {purelib}\nTag: {tag}\n".encode()
    )
    record = [_record_line(path, data) for path, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = index / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def add_sdist(index: Path, name: str, version: str, *, is_native: bool) -> Path:
    """Write ``name-version.tar.gz`` whose in-tree backend builds a pure or a native wheel."""
    tag = "cp311-cp311-linux_x86_64" if is_native else "py3-none-any"
    root = f"{name}-{version}"
    members = {
        f"{root}/pyproject.toml": (
            '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
        ),
        f"{root}/backend.py": _BACKEND.format(
            name=name, version=version, tag=tag, native=is_native
        ),
        f"{root}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    }
    path = index / f"{root}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for member, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"
