"""Draw suggest_memory's candidates: cost and duration against memory, as a PNG."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lambda_specialist.errors import InvalidInputError

if TYPE_CHECKING:
    from lambda_specialist.tools.memory import MemorySuggestion

__all__ = ["check_chart_path", "render_memory_chart", "write_memory_chart"]

logger = logging.getLogger(__name__)

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100


def render_memory_chart(result: MemorySuggestion) -> bytes | None:
    """Return a PNG of cost per million and p50/p99 against memory; None without candidates.

    matplotlib is imported here, not at start-up, and draws with the Agg backend (no display).
    """
    rows = result.candidates
    if not rows:
        return None
    try:
        import matplotlib
    except ImportError:  # a slim deployment (deploy/requirements.txt) answers without a chart
        logger.info("memory chart: matplotlib is not installed; no chart")
        return None

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    cost_axis = figure.add_subplot()
    sizes = [row.memory_mb for row in rows]
    cost_axis.plot(sizes, [row.cost_per_million_usd for row in rows], color="tab:blue")
    cost_axis.set_xlabel("memory (MB)")
    cost_axis.set_ylabel("USD per million invocations", color="tab:blue")
    time_axis = cost_axis.twinx()
    time_axis.plot(sizes, [row.p50_ms for row in rows], color="tab:orange", label="p50")
    time_axis.plot(sizes, [row.p99_ms for row in rows], color="tab:red", label="p99")
    if any(row.p99_upper_ms > row.p99_ms for row in rows):
        upper = [row.p99_upper_ms for row in rows]
        time_axis.plot(sizes, upper, color="tab:red", linestyle=":", label="p99 if CPU-bound")
    observed = [size for size in result.sizes if size.samples]
    time_axis.scatter(
        [size.memory_mb for size in observed],
        [size.p50_ms for size in observed],
        color="black",
        zorder=3,
        label="observed p50",
    )
    time_axis.set_ylabel("duration (ms)")
    cost_axis.axvline(result.current_memory_mb, color="grey", linestyle="--")
    cost_axis.axvline(result.recommended_memory_mb, color="green")
    time_axis.legend(loc="upper right", fontsize="small")
    figure.suptitle(
        f"{result.function_name}: current {result.current_memory_mb} MB (dashed), "
        f"recommended {result.recommended_memory_mb} MB {result.recommended_architecture}"
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def check_chart_path(chart_path: str) -> Path:
    """Return ``chart_path`` as a path if it names a .png file in an existing folder."""
    path = Path(chart_path).expanduser()
    if path.suffix.lower() != ".png":
        raise InvalidInputError(f"chart_path '{chart_path}' must end in .png, e.g. 'memory.png'.")
    if not path.parent.is_dir():
        raise InvalidInputError(
            f"The folder of chart_path '{chart_path}' does not exist; create it first."
        )
    return path


def write_memory_chart(png: bytes, chart_path: str) -> str:
    """Write ``png`` to ``chart_path`` (a .png file whose folder exists); return the path."""
    path = check_chart_path(chart_path)
    try:
        path.write_bytes(png)
    except (OSError, ValueError) as exc:
        raise InvalidInputError(
            f"Could not write the chart to '{chart_path}': {exc.__class__.__name__}. Name a .png "
            "file in a folder you can write to."
        ) from exc
    return str(path.resolve())
