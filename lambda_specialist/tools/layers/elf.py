"""Read what a native binary needs: ELF machine, highest GLIBC symbol version, linked libraries.

Only the parts of ELF that decide whether Lambda can load a library are read: the header
(class, byte order, ``e_machine``), the section headers, the GNU version-needs section
(``SHT_GNU_verneed``, named ``.gnu.version_r``) and the dynamic section's ``DT_NEEDED``
entries. Mach-O and PE files are recognised by their magic numbers, so a macOS or Windows
build in a layer is named as such.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

__all__ = ["BinaryInfo", "looks_native", "read_binary"]

ELF_MAGIC = b"\x7fELF"
_MACHO_MAGICS = {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"}
# 0xcafebabe is both a fat Mach-O and a Java class file: trust it only for library names.
_FAT_MACHO = b"\xca\xfe\xba\xbe"
_PE_SUFFIXES = (".dll", ".pyd", ".exe")
_SHT_DYNAMIC = 6
_SHT_GNU_VERNEED = 0x6FFFFFFE
_DT_NEEDED = 1
_GLIBC_VERSION = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$")


@dataclass(frozen=True)
class BinaryInfo:
    """What one native file is built for and what it needs from the system."""

    kind: str
    machine: int | None = None
    glibc: tuple[int, int] | None = None
    needed: tuple[str, ...] = ()
    is_readable: bool = True

    @property
    def glibc_text(self) -> str | None:
        """The highest GLIBC version needed as ``"2.28"``, or None."""
        return f"{self.glibc[0]}.{self.glibc[1]}" if self.glibc else None


def looks_native(name: str, head: bytes) -> bool:
    """Return whether a file with this name and these first bytes is native code."""
    if head.startswith(ELF_MAGIC) or head[:4] in _MACHO_MAGICS:
        return True
    lower = name.lower()
    if head.startswith(_FAT_MACHO):
        return lower.endswith((".so", ".dylib"))
    return head.startswith(b"MZ") and lower.endswith(_PE_SUFFIXES)


def read_binary(name: str, data: bytes) -> BinaryInfo | None:
    """Return what ``data`` (the file ``name``) is built for, or None if it is not native code.

    A malformed ELF file is reported with ``is_readable=False`` rather than raising: a layer
    doctor must describe a broken file, not fail on it.
    """
    if not looks_native(name, data[:4]):
        return None
    if not data.startswith(ELF_MAGIC):
        return BinaryInfo(kind="pe" if data.startswith(b"MZ") else "mach-o")
    try:
        return _read_elf(data)
    except (struct.error, IndexError, ValueError, UnicodeDecodeError):
        machine = _header_machine(data)
        return BinaryInfo(kind="elf", machine=machine, is_readable=False)


def _header_machine(data: bytes) -> int | None:
    if len(data) < 20 or data[5] not in (1, 2):
        return None
    order = "<" if data[5] == 1 else ">"
    return int(struct.unpack_from(order + "H", data, 18)[0])


def _read_elf(data: bytes) -> BinaryInfo:
    is_64 = data[4] == 2
    if data[4] not in (1, 2) or data[5] not in (1, 2):
        raise ValueError("unknown ELF class or byte order")
    order = "<" if data[5] == 1 else ">"
    machine = int(struct.unpack_from(order + "H", data, 18)[0])
    if is_64:
        (shoff,) = struct.unpack_from(order + "Q", data, 40)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 58)
    else:
        (shoff,) = struct.unpack_from(order + "I", data, 32)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 46)

    sections = [_section(data, order, is_64, shoff + i * shentsize) for i in range(shnum)]
    glibc: tuple[int, int] | None = None
    needed: list[str] = []
    for sh_type, offset, size, link, info in sections:
        if sh_type == _SHT_GNU_VERNEED and link < len(sections):
            strtab = sections[link][1]
            for version in _verneed_names(data, order, offset, info, strtab):
                glibc = max(glibc or version, version)
        elif sh_type == _SHT_DYNAMIC and link < len(sections):
            needed += _needed_libraries(data, order, is_64, offset, size, sections[link][1])
    return BinaryInfo(kind="elf", machine=machine, glibc=glibc, needed=tuple(needed))


def _section(data: bytes, order: str, is_64: bool, at: int) -> tuple[int, int, int, int, int]:
    """Return (type, offset, size, link, info) of the section header at ``at``."""
    if is_64:
        _name, sh_type, _flags, _addr, offset, size, link, info = struct.unpack_from(
            order + "IIQQQQII", data, at
        )
    else:
        _name, sh_type, _flags, _addr, offset, size, link, info = struct.unpack_from(
            order + "IIIIIIII", data, at
        )
    return int(sh_type), int(offset), int(size), int(link), int(info)


def _verneed_names(
    data: bytes, order: str, offset: int, count: int, strtab: int
) -> list[tuple[int, int]]:
    """Return every GLIBC_x.y version named in the version-needs entries, as (x, y)."""
    versions: list[tuple[int, int]] = []
    entry = offset
    for _ in range(count):
        _version, aux_count, _file, aux, next_entry = struct.unpack_from(
            order + "HHIII", data, entry
        )
        at = entry + aux
        for _ in range(aux_count):
            _hash, _flags, _other, name, next_aux = struct.unpack_from(order + "IHHII", data, at)
            match = _GLIBC_VERSION.match(_string(data, strtab + name))
            if match:
                versions.append((int(match.group(1)), int(match.group(2))))
            if not next_aux:
                break
            at += next_aux
        if not next_entry:
            break
        entry += next_entry
    return versions


def _needed_libraries(
    data: bytes, order: str, is_64: bool, offset: int, size: int, strtab: int
) -> list[str]:
    step, fmt = (16, order + "qQ") if is_64 else (8, order + "iI")
    names: list[str] = []
    for at in range(offset, offset + size - step + 1, step):
        tag, value = struct.unpack_from(fmt, data, at)
        if tag == 0:
            break
        if tag == _DT_NEEDED:
            names.append(_string(data, strtab + int(value)))
    return names


def _string(data: bytes, at: int) -> str:
    end = data.index(b"\x00", at)
    return data[at:end].decode("ascii")
