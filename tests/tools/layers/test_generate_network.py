"""Real layers from PyPI, checked by the verifier (opt-in: LAMBDA_SPECIALIST_TEST_NETWORK=1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lambda_specialist.tools.layers.generate import generate_layer

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(
        os.environ.get("LAMBDA_SPECIALIST_TEST_NETWORK") != "1",
        reason="needs PyPI; set LAMBDA_SPECIALIST_TEST_NETWORK=1",
    ),
]


@pytest.mark.parametrize(
    ("requirement", "runtime", "arch", "machine", "glibc"),
    [
        ("pydantic==2.*", "python3.12", "arm64", "arm64 (aarch64)", (2, 34)),
        ("cryptography", "python3.9", "x86_64", "x86_64", (2, 26)),
        ("numpy", "python3.13", "arm64", "arm64 (aarch64)", (2, 34)),
    ],
)
def test_a_real_layer_has_only_libraries_the_target_can_load(
    tmp_path: Path, requirement: str, runtime: str, arch: str, machine: str, glibc: tuple[int, int]
) -> None:
    result = generate_layer(
        requirements=requirement,
        runtime=runtime,
        architecture=arch,
        output_path=str(tmp_path / "layer.zip"),
    )

    libraries = result.native_libraries
    assert libraries
    assert {lib.machine for lib in libraries} == {machine}
    assert all(
        tuple(int(p) for p in lib.glibc.split(".")) <= glibc for lib in libraries if lib.glibc
    )
    assert {lib.python_abi for lib in libraries} <= {runtime.removeprefix("python"), None}
