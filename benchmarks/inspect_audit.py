"""How long a review takes when every AWS call costs a fixed delay, and how audits scale.

Run: ``.venv/bin/python benchmarks/inspect_audit.py [--delay 0.05] [--sizes 50,200]``.

inspect_function reads a function in concurrent waves; its wall time, divided by the per-call
delay the proxy adds, is its critical path in delays (target: at most 4, however many reads).
audit_account is run on accounts of N synthetic functions; functions per second are compared
with the ideal of concurrency / (critical path x delay). The baseline is the same review with
every read made one after another (reads x delay), measured by counting the proxy's requests.
Rewrites the ``## Review latency`` section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.proxy import FaultPlan, FaultProxy
from benchmarks.startup import RESULTS_PATH, describe_machine, replace_section
from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.tools.account_audit import audit_account
from lambda_specialist.tools.inspection import inspect_function

HEADING = "## Review latency"
REVIEWED = ("orders-api", "payment-queue-worker", "notify-sms", "customer-sync", "pdf-renderer")
AUDIT_CONCURRENCY = 4
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": "lambda.amazonaws.com"},
        }
    ],
}


def main() -> int:
    """Run both measurements and rewrite the results section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    with MockAccount() as account:
        account.seed()
        inspect_rows = measure_inspect(account, args.delay, args.runs)
        account.reset()
        audit_rows = [measure_audit(account, args.delay, n) for n in sizes]

    section = render(inspect_rows, audit_rows, args.delay)
    document = RESULTS_PATH.read_text(encoding="utf-8") if RESULTS_PATH.exists() else ""
    RESULTS_PATH.write_text(replace_section(document, HEADING, section), encoding="utf-8")
    print(section)
    return 0 if all(r["delays"] <= 4 for r in inspect_rows) else 1


def measure_inspect(account: MockAccount, delay: float, runs: int) -> list[dict[str, Any]]:
    """Time inspect_function through the delaying proxy and find its critical path.

    The mock account runs in this process, so wall time includes its own work (notably metric
    queries over two weeks of data). The critical path is read from the proxy instead: the
    longest run of AWS calls that did not overlap (each waited for the one before), which is
    the number of delays a real account's latency adds.
    """
    rows: list[dict[str, Any]] = []
    with FaultProxy(account.endpoint_url, FaultPlan(delay=delay)) as proxy:
        factory = ClientFactory(account.settings(endpoint_url=proxy.url))
        ctx = factory.context()
        ctx.describe()  # the account ID is read once per process, not per review
        inspect_function(ctx, function_name=REVIEWED[0])  # warm the clients
        for name in REVIEWED:
            times, chains, reads = [], [], 0
            for _ in range(runs):
                first = len(proxy.counts.spans)
                started = time.perf_counter()
                inspect_function(ctx, function_name=name)
                times.append(time.perf_counter() - started)
                spans = proxy.counts.spans[first:]
                reads = len(spans)
                chains.append(longest_chain(spans))
            rows.append(
                {
                    "name": name,
                    "wall": statistics.median(times),
                    "reads": reads,
                    "delays": max(chains),
                    "serial": reads * delay,
                }
            )
        factory.close()
    return rows


def longest_chain(spans: list[tuple[float, float]]) -> int:
    """The most calls in a row that did not overlap: greedy over the calls by end time."""
    count, free_at = 0, float("-inf")
    for started, ended in sorted(spans, key=lambda s: s[1]):
        if started >= free_at:
            count, free_at = count + 1, ended
    return count


def measure_audit(account: MockAccount, delay: float, size: int) -> dict[str, Any]:
    """Audit an account of ``size`` synthetic functions through the delaying proxy."""
    account.reset()
    _create_functions(account, size)
    with FaultProxy(account.endpoint_url, FaultPlan(delay=delay)) as proxy:
        factory = ClientFactory(account.settings(endpoint_url=proxy.url))
        ctx = factory.context()
        ctx.describe()
        before = proxy.counts.forwarded
        started = time.perf_counter()
        audit = audit_account(ctx, concurrency=AUDIT_CONCURRENCY)
        wall = time.perf_counter() - started
        reads = proxy.counts.forwarded - before
        factory.close()
    per_second = audit.functions_reviewed / wall
    return {
        "size": size,
        "wall": wall,
        "per_second": per_second,
        "reads": reads,
        "failed": len(audit.failed),
    }


def _create_functions(account: MockAccount, size: int) -> None:
    ctx = account.context()
    role = ctx.call(
        "iam", "create_role", RoleName="bench-role", AssumeRolePolicyDocument=json.dumps(TRUST)
    )["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    code = buffer.getvalue()
    for i in range(size):
        ctx.call(
            "lambda",
            "create_function",
            FunctionName=f"bench-{i:04d}",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": code},
        )


def render(
    inspect_rows: list[dict[str, float]], audit_rows: list[dict[str, float]], delay: float
) -> str:
    """Return the markdown section."""
    ms = delay * 1000
    lines = [
        HEADING,
        "",
        f"Machine: {describe_machine()}. Produced by `benchmarks/inspect_audit.py`: a loopback "
        f"proxy in front of the mock account adds {ms:.0f} ms to every AWS call. Baseline: the "
        "same reads made one after another (reads x delay). The critical path is read from the "
        "proxy: the longest run of calls that did not overlap. Wall time includes the mock "
        "account's own work (it runs in this process; metric queries over two weeks of data "
        "cost it about 0.25 s a function), which a real account does not add.",
        "",
        "| inspect_function | reads | wall, s (median) | critical path, delays (target <= 4) "
        "| serial baseline, s | speed-up |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in inspect_rows:
        lines.append(
            f"| {r['name']} | {r['reads']} | {r['wall']:.2f} | {r['delays']} "
            f"| {r['serial']:.2f} | {r['serial'] / r['wall']:.1f}x |"
        )
    critical = max(r["delays"] for r in inspect_rows)
    lines += [
        "",
        f"audit_account with concurrency {AUDIT_CONCURRENCY} on synthetic functions "
        f"(ideal = concurrency / (critical path {critical} delays x {ms:.0f} ms)):",
        "",
        "| functions | wall, s | functions/s | ideal functions/s | share of ideal | reads "
        "| failed |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    ideal = AUDIT_CONCURRENCY / (critical * delay)
    for r in audit_rows:
        lines.append(
            f"| {r['size']} | {r['wall']:.1f} | {r['per_second']:.1f} | {ideal:.1f} "
            f"| {r['per_second'] / ideal:.0%} | {r['reads']} | {r['failed']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
