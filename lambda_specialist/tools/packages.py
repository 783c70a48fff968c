"""Deployment packages: download a function's or layer's zip and look for native code in it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import httpx

from lambda_specialist.errors import LambdaSpecialistError

__all__ = ["CURRENT_PACKAGE", "NativeCode", "download_package", "native_code"]

# Stands for "the function's current package, downloaded at apply time" in a plan.
CURRENT_PACKAGE = "<the function's current deployment package, downloaded at apply time>"
_ELF_MAGIC = b"\x7fELF"
# e_machine values in an ELF header.
_MACHINES = {0x3E: "x86_64", 0xB7: "arm64"}
_NATIVE_SUFFIXES = (".so", ".node", ".dylib")
_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_MAX_BYTES = 300 * 1024 * 1024


@dataclass(frozen=True)
class NativeCode:
    """A file in a package that is machine code, and the machine it was built for."""

    path: str
    machine: str


def download_package(url: str) -> bytes:
    """Download a package from the presigned URL Lambda returns (Code or Content.Location)."""
    try:
        with httpx.Client(timeout=_TIMEOUT, follow_redirects=True) as client:
            response = client.get(url)
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise LambdaSpecialistError(
            f"The deployment package could not be downloaded ({type(exc).__name__}); the "
            "presigned URL may have expired. Try again."
        ) from exc
    if len(response.content) > _MAX_BYTES:
        raise LambdaSpecialistError("The deployment package is larger than Lambda allows.")
    return response.content


def native_code(package: bytes) -> list[NativeCode]:
    """Return every ELF binary (or native-module file) in a zip, with its machine."""
    found: list[NativeCode] = []
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as handle:
                header = handle.read(20)
            if header[:4] == _ELF_MAGIC and len(header) >= 20:
                machine = int.from_bytes(header[18:20], "little")
                found.append(NativeCode(info.filename, _MACHINES.get(machine, hex(machine))))
            elif info.filename.endswith(_NATIVE_SUFFIXES):
                found.append(NativeCode(info.filename, "unknown"))
    return found
