"""A layer built on the wrong machine, attached to an arm64 function: what the layer doctor finds.

``image-labeler`` runs on arm64 and python3.11, and its layer ``vision-deps`` declares
``arm64`` and ``python3.11``/``python3.12`` in its metadata, so the metadata checks pass. Its
contents tell another story: a native extension built on an x86_64 machine for CPython 3.12
that needs ``GLIBC_2.28`` (python3.11 runs on Amazon Linux 2, glibc 2.26), and a bundled
botocore that shadows the runtime's. Only reading the zip finds it.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lambda_specialist.demo.catalog import FunctionSpec
from lambda_specialist.demo.workload import Workload

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = [
    "BROKEN_LAYER_NAME",
    "IMAGE_LABELER",
    "broken_layer_package",
    "publish_broken_layer",
    "shared_object",
]

BROKEN_LAYER_NAME = "vision-deps"
IMAGE_LABELER = FunctionSpec(
    name="image-labeler",
    runtime="python3.11",
    architecture="arm64",
    team="catalog",
    service="image-labels",
    memory_mb=512,
    timeout_s=30,
    layers=(BROKEN_LAYER_NAME,),
    workload=Workload(per_day=120, duration_ms=(150.0, 900.0), memory_used_mb=(140, 220)),
)
EM_X86_64 = 62
EM_AARCH64 = 183
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
_SECTION = struct.Struct("<IIQQQQIIQQ")
_VERNEED = struct.Struct("<HHIII")
_VERNAUX = struct.Struct("<IHHII")
_DYN = struct.Struct("<qQ")
_SHT_STRTAB, _SHT_DYNAMIC, _SHT_VERNEED = 3, 6, 0x6FFFFFFE


def publish_broken_layer(ctx: AwsContext) -> dict[str, str]:
    """Publish ``vision-deps`` and return ``{name: layer version ARN}`` for the seed."""
    layer = ctx.call(
        "lambda",
        "publish_layer_version",
        LayerName=BROKEN_LAYER_NAME,
        Description="Image labelling dependencies (labelkit 0.4).",
        Content={"ZipFile": broken_layer_package()},
        CompatibleRuntimes=["python3.11", "python3.12"],
        CompatibleArchitectures=["arm64"],
    )
    return {BROKEN_LAYER_NAME: str(layer["LayerVersionArn"])}


def broken_layer_package() -> bytes:
    """Return the layer zip: x86_64 native code needing glibc 2.28, plus a bundled botocore."""
    native = shared_object(machine=EM_X86_64, glibc=("2.2.5", "2.28"))
    files: dict[str, bytes] = {
        "python/labelkit/__init__.py": b"from labelkit._vision import label\n",
        "python/labelkit/_vision.cpython-312-x86_64-linux-gnu.so": native,
        "python/labelkit-0.4.0.dist-info/METADATA": _metadata("labelkit", "0.4.0"),
        "python/labelkit-0.4.0.dist-info/top_level.txt": b"labelkit\n",
        "python/botocore/__init__.py": b"__version__ = '1.29.0'\n",
        "python/botocore-1.29.0.dist-info/METADATA": _metadata("botocore", "1.29.0"),
        "python/botocore-1.29.0.dist-info/top_level.txt": b"botocore\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()


def shared_object(
    *, machine: int, glibc: Sequence[str] = (), needed: Sequence[str] = ("libc.so.6",)
) -> bytes:
    """Return a minimal 64-bit little-endian ELF shared object.

    It carries what a loader checks before anything runs: the ``e_machine`` of the target,
    a ``.gnu.version_r`` section needing ``GLIBC_<v>`` from libc.so.6 for each version in
    ``glibc``, and ``DT_NEEDED`` entries for ``needed``. It has no code: it is for testing
    tools that read binaries, not for loading.
    """
    strings = _StringTable()
    libc = strings.add("libc.so.6")
    needed_at = [strings.add(name) for name in needed]
    version_at = [strings.add(f"GLIBC_{v}") for v in glibc]
    dynstr = strings.data

    verneed = _VERNEED.pack(1, len(glibc), libc, _VERNEED.size, 0) if glibc else b""
    for index, (name_at, version) in enumerate(zip(version_at, glibc, strict=True)):
        next_aux = _VERNAUX.size if index < len(glibc) - 1 else 0
        verneed += _VERNAUX.pack(_elf_hash(f"GLIBC_{version}"), 0, index + 2, name_at, next_aux)
    dynamic = b"".join(_DYN.pack(1, at) for at in needed_at) + _DYN.pack(0, 0)

    names = _StringTable()
    bodies = [
        (names.add(".dynstr"), _SHT_STRTAB, dynstr, 0, 0),
        (names.add(".gnu.version_r"), _SHT_VERNEED, verneed, 1, 1 if glibc else 0),
        (names.add(".dynamic"), _SHT_DYNAMIC, dynamic, 1, 0),
    ]
    shstrtab_name = names.add(".shstrtab")
    bodies.append((shstrtab_name, _SHT_STRTAB, names.data, 0, 0))
    return _assemble(machine, bodies)


def _assemble(machine: int, bodies: Sequence[tuple[int, int, bytes, int, int]]) -> bytes:
    payload = b""
    headers = [_SECTION.pack(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    offset = _ELF_HEADER.size
    for name, sh_type, body, link, info in bodies:
        headers.append(_SECTION.pack(name, sh_type, 0, 0, offset, len(body), link, info, 8, 0))
        payload += body + b"\x00" * (-len(body) % 8)
        offset = _ELF_HEADER.size + len(payload)
    ident = b"\x7fELF\x02\x01\x01" + b"\x00" * 9
    header = _ELF_HEADER.pack(
        ident,
        3,
        machine,
        1,
        0,
        0,
        offset,
        0,
        _ELF_HEADER.size,
        56,
        0,
        _SECTION.size,
        len(headers),
        len(headers) - 1,
    )
    return header + payload + b"".join(headers)


def _metadata(name: str, version: str) -> bytes:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()


def _elf_hash(name: str) -> int:
    value = 0
    for byte in name.encode():
        value = (value << 4) + byte
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
        value &= ~high & 0xFFFFFFFF
    return value


class _StringTable:
    """An ELF string table being built: a leading NUL, then NUL-terminated names."""

    def __init__(self) -> None:
        self.data = b"\x00"
        self._offsets: dict[str, int] = {}

    def add(self, name: str) -> int:
        if name not in self._offsets:
            self._offsets[name] = len(self.data)
            self.data += name.encode() + b"\x00"
        return self._offsets[name]
