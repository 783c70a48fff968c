"""An offline package index for every layer build test in this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools.layers.wheelhouse import add_sdist, add_wheel

X86_217 = "manylinux_2_17_x86_64.manylinux2014_x86_64"


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index: native wheels per CPython, glibc and machine; pure and native sdists."""
    index = tmp_path_factory.mktemp("wheelhouse")
    # tinynative: the builder must pick the right one of these for each target.
    add_wheel(
        index,
        "tinynative",
        "1.0",
        f"cp311-cp311-{X86_217}",
        machine="x86_64",
        glibc=("2.2.5", "2.17"),
    )
    add_wheel(
        index,
        "tinynative",
        "1.0",
        "cp311-cp311-manylinux_2_28_x86_64",
        machine="x86_64",
        glibc=("2.2.5", "2.28"),
    )
    add_wheel(
        index,
        "tinynative",
        "1.0",
        "cp312-cp312-manylinux_2_17_aarch64",
        machine="aarch64",
        glibc=("2.17",),
    )
    add_wheel(
        index,
        "tinynative",
        "1.0",
        "cp312-cp312-manylinux_2_34_aarch64",
        machine="aarch64",
        glibc=("2.17", "2.34"),
    )
    # Wheels whose tags promise what their binaries do not keep.
    add_wheel(
        index,
        "glibcliar",
        "1.0",
        f"cp311-cp311-{X86_217}",
        machine="x86_64",
        glibc=("2.17", "2.28"),
    )
    add_wheel(
        index,
        "archliar",
        "1.0",
        "cp312-cp312-manylinux_2_17_aarch64",
        machine="x86_64",
        glibc=("2.17",),
    )
    # A pure package with folders slimming removes, and one that pulls in the SDK.
    add_wheel(
        index,
        "purelib",
        "2.0",
        "py3-none-any",
        extra={
            "purelib/tests/test_it.py": b"def test_it():\n    pass\n",
            "purelib/__pycache__/mod.cpython-312.pyc": b"\x00" * 64,
            "purelib/docs/index.txt": b"docs\n",
        },
    )
    add_wheel(index, "botocore", "1.40.0", "py3-none-any")
    add_wheel(index, "sdkuser", "1.0", "py3-none-any", requires=("botocore",))
    add_sdist(index, "puresrc", "0.3", is_native=False)
    add_sdist(index, "nativesrc", "0.1", is_native=True)
    return index


@pytest.fixture
def offline_pip(wheelhouse: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point pip at the wheelhouse only, with no user configuration; return a work folder."""
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheelhouse))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path
