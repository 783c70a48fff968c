"""Layer facts as data: limits, search paths, wheel tags per glibc, packages the runtime ships."""

from __future__ import annotations

__all__ = [
    "DOCS_URL",
    "ELF_MACHINES",
    "LAMBDA_ARCHITECTURES",
    "RUNTIME_PROVIDED",
    "UNZIPPED_LIMIT_BYTES",
    "ZIPPED_UPLOAD_LIMIT_BYTES",
    "manylinux_platforms",
]

DOCS_URL = "https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html"
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
ZIPPED_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024
UNZIPPED_LIMIT_BYTES = 262_144_000
# Lambda architecture -> the ELF e_machine value and the wheel / multiarch machine name.
LAMBDA_ARCHITECTURES: dict[str, tuple[int, str]] = {
    "x86_64": (62, "x86_64"),
    "arm64": (183, "aarch64"),
}
# e_machine values seen in the wild, for naming what a wrong binary was built for.
ELF_MACHINES: dict[int, str] = {
    3: "x86 (32-bit)",
    8: "MIPS",
    20: "PowerPC",
    21: "PowerPC64",
    22: "s390",
    40: "ARM (32-bit)",
    62: "x86_64",
    183: "arm64 (aarch64)",
    243: "RISC-V",
}
# Distributions the Python runtimes already carry in /var/runtime (the AWS SDK and its own
# dependencies that move with it). A layer copy shadows the runtime's: boto/botocore#3082.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "awslambdaric")
# The oldest manylinux glibc per machine: aarch64 wheels start at manylinux2014 (2.17).
_OLDEST_GLIBC_MINOR = {"x86_64": 5, "aarch64": 17}
_LEGACY_ALIASES = {
    "x86_64": (("manylinux2014", 17), ("manylinux2010", 12), ("manylinux1", 5)),
    "aarch64": (("manylinux2014", 17),),
}


def manylinux_platforms(glibc: str, machine: str) -> list[str]:
    """Return every manylinux platform tag a system with ``glibc`` accepts, newest first.

    pip takes a ``manylinux_2_X`` value literally (it expands only the legacy aliases), so a
    builder must pass each tag it accepts: the PEP 600 tags from ``glibc`` down to the oldest
    for the machine, then the legacy ``manylinux2014``/``2010``/``1`` names.

    Args:
        glibc: The runtime's glibc, such as ``"2.26"``.
        machine: ``"x86_64"`` or ``"aarch64"``.
    """
    major, minor = (int(part) for part in glibc.split("."))
    oldest = _OLDEST_GLIBC_MINOR[machine]
    tags = [f"manylinux_{major}_{m}_{machine}" for m in range(minor, oldest - 1, -1)]
    tags += [f"{alias}_{machine}" for alias, needs in _LEGACY_ALIASES[machine] if needs <= minor]
    return tags
