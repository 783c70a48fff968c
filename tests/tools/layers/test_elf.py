"""The ELF reader names the machine, the highest GLIBC version needed and the linked libraries."""

from __future__ import annotations

import pytest

from lambda_specialist.demo.broken_layer import EM_AARCH64, EM_X86_64, shared_object
from lambda_specialist.tools.layers.elf import BinaryInfo, read_binary


@pytest.mark.parametrize(
    ("machine", "glibc", "expected"),
    [
        (EM_X86_64, ("2.2.5", "2.28", "2.14"), (2, 28)),
        (EM_AARCH64, ("2.17",), (2, 17)),
        (EM_AARCH64, (), None),
    ],
)
def test_a_shared_object_reports_its_machine_and_highest_glibc(
    machine: int, glibc: tuple[str, ...], expected: tuple[int, int] | None
) -> None:
    info = read_binary("x.so", shared_object(machine=machine, glibc=glibc))

    assert info == BinaryInfo(kind="elf", machine=machine, glibc=expected, needed=("libc.so.6",))


def test_a_musl_build_shows_in_its_needed_libraries() -> None:
    info = read_binary("x.so", shared_object(machine=EM_X86_64, needed=("libc.musl-x86_64.so.1",)))

    assert info is not None and info.needed == ("libc.musl-x86_64.so.1",)


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("_x.cpython-312-darwin.so", b"\xcf\xfa\xed\xfe" + bytes(60), "mach-o"),
        ("_x.cp312-win_amd64.pyd", b"MZ" + bytes(62), "pe"),
    ],
)
def test_macos_and_windows_binaries_are_recognised(name: str, head: bytes, kind: str) -> None:
    assert read_binary(name, head) == BinaryInfo(kind=kind)


@pytest.mark.parametrize(
    ("name", "data"),
    [("README.md", b"# hello"), ("Klass.class", b"\xca\xfe\xba\xbe" + bytes(8))],
)
def test_files_that_are_not_native_code_are_ignored(name: str, data: bytes) -> None:
    assert read_binary(name, data) is None


def test_a_truncated_elf_file_is_reported_unreadable_instead_of_raising() -> None:
    data = shared_object(machine=EM_X86_64, glibc=("2.28",))[:80]

    assert read_binary("x.so", data) == BinaryInfo(kind="elf", machine=EM_X86_64, is_readable=False)
