"""Measure generate_layer against a plain ``pip install --target`` plus zip of the same set.

Run with the project's interpreter: ``.venv/bin/python benchmarks/layer.py [--runs N]``.
Needs the package index (PyPI).

Both builds install ``requests``, ``pydantic`` and ``orjson`` for python3.12 on x86_64. The
baseline is the recipe AWS documents for cross-installing (pip with ``--platform
manylinux2014_x86_64 --implementation cp --python-version 3.12 --only-binary=:all: --target``)
followed by a zip of the folder under ``python/`` at zlib's default level. generate_layer runs
with its defaults (slim, runtime-provided packages left out). One warm-up round fills pip's
cache and is discarded; then the two take turns. The section ``## Layers`` of
``benchmarks/RESULTS.md`` is rewritten; other sections are kept.
Exit status: 0 when generate_layer is no slower (median time ratio at most 1.0) and at
least 20% smaller, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.startup import RESULTS_PATH, replace_section  # noqa: E402
from lambda_specialist.tools.layers.generate import generate_layer  # noqa: E402

PACKAGES = ["requests", "pydantic", "orjson"]
RUNTIME, ARCHITECTURE, PYTHON = "python3.12", "x86_64", "3.12"
HEADING = "## Layers"


def plain_pip(workdir: Path) -> tuple[float, int]:
    """Build the baseline layer; return seconds and zipped bytes."""
    started = time.perf_counter()
    site = workdir / "plain" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            "--platform",
            "manylinux2014_x86_64",
            "--implementation",
            "cp",
            "--python-version",
            PYTHON,
            "--only-binary=:all:",
            "--target",
            str(site),
            *PACKAGES,
        ],
        check=True,
    )
    output = workdir / "plain.zip"
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(site.parent.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(site.parent).as_posix())
    return time.perf_counter() - started, output.stat().st_size


def ours(workdir: Path) -> tuple[float, int]:
    """Build with generate_layer; return seconds and zipped bytes."""
    started = time.perf_counter()
    result = generate_layer(
        requirements=PACKAGES,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        output_path=str(workdir / "ours.zip"),
    )
    return time.perf_counter() - started, result.zipped_bytes


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, rewrite the section and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args(argv).runs

    times: dict[str, list[float]] = {"ours": [], "plain": []}
    sizes: dict[str, int] = {}
    for round_number in range(runs + 1):
        for name, build in (("plain", plain_pip), ("ours", ours)):
            with tempfile.TemporaryDirectory() as scratch:
                seconds, size = build(Path(scratch))
            if round_number:
                times[name].append(seconds)
                sizes[name] = size

    time_ratio = statistics.median(times["ours"]) / statistics.median(times["plain"])
    size_ratio = sizes["ours"] / sizes["plain"]
    passed = time_ratio <= 1.0 and size_ratio <= 0.8
    section = render(times, sizes, time_ratio, size_ratio, runs)
    RESULTS_PATH.write_text(
        replace_section(RESULTS_PATH.read_text(encoding="utf-8"), HEADING, section),
        encoding="utf-8",
    )
    sys.stderr.write(section)
    return 0 if passed else 1


def render(
    times: dict[str, list[float]],
    sizes: dict[str, int],
    time_ratio: float,
    size_ratio: float,
    runs: int,
) -> str:
    """Return the ``## Layers`` section."""

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"

    today = datetime.date.today().isoformat()
    machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"
    intro = textwrap.fill(
        f"Machine: {machine}, {today}. Produced by `benchmarks/layer.py`: {runs} measured "
        "rounds after 1 warm-up (pip's cache warm for both), the two builds taking turns. "
        f"Both install {', '.join(PACKAGES)} for {RUNTIME} on {ARCHITECTURE}. The baseline is "
        "AWS's documented recipe: `pip install --platform manylinux2014_x86_64 "
        "--implementation cp --python-version 3.12 --only-binary=:all: --target python/` and a "
        "zip of the folder at zlib's default level. generate_layer runs with its defaults "
        "(slim; boto3/botocore/s3transfer left out unless named; every native library "
        "verified).",
        width=100,
        break_on_hyphens=False,
    )
    return (
        f"{HEADING}\n\n{intro}\n\n"
        "| Measure | generate_layer | plain pip + zip | ours / plain |\n"
        "| --- | --- | --- | --- |\n"
        f"| Build time, s: median [min-max] | {spread(times['ours'])} | "
        f"{spread(times['plain'])} | **{time_ratio:.2f}x** (target at most 1.0x"
        f"{': met' if time_ratio <= 1.0 else ': missed'}) |\n"
        f"| Zipped size, bytes | {sizes['ours']:,} | {sizes['plain']:,} | "
        f"**{size_ratio:.2f}x** (target at most 0.80x"
        f"{': met' if size_ratio <= 0.8 else ': missed'}) |\n"
    )


if __name__ == "__main__":
    sys.exit(main())
