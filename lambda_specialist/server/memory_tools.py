"""Register the sizing tools: suggest_memory (with its chart) and analyze_cold_starts."""

from __future__ import annotations

import base64
import logging
from typing import Annotated

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ContentBlock, ImageContent, TextContent
from pydantic import Field

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.server.runner import (
    READ_ONLY,
    Profile,
    Region,
    RoleArn,
    ToolRunner,
    clean_doc,
)
from lambda_specialist.tools.cold_starts import ColdStartAnalysis, analyze_cold_starts
from lambda_specialist.tools.memory import MemorySuggestion, Strategy, suggest_memory
from lambda_specialist.tools.memory_chart import (
    check_chart_path,
    render_memory_chart,
    write_memory_chart,
)

__all__ = ["register_memory_tools"]

logger = logging.getLogger(__name__)

FunctionName = Annotated[
    str,
    Field(
        description="Function name, or its full or partial ARN (a version or alias qualifier "
        "reads that version's configuration).",
        min_length=1,
        max_length=256,
    ),
]
Days = Annotated[
    int, Field(ge=1, le=90, description="How many days of logs and metrics to read (14 = CO).")
]


def register_memory_tools(server: MCPServer, runner: ToolRunner) -> None:
    """Add suggest_memory and analyze_cold_starts to ``server``."""

    @server.tool(name="suggest_memory", title="Suggest a memory size", annotations=READ_ONLY)
    @clean_doc
    async def suggest_memory_tool(
        function_name: FunctionName,
        strategy: Annotated[
            Strategy,
            Field(
                description="cost (cheapest), speed (fastest p50) or balanced (weighted: "
                "balanced_weight * cost/cheapest + (1 - weight) * p50/fastest)."
            ),
        ] = "balanced",
        balanced_weight: Annotated[
            float, Field(ge=0, le=1, description="For balanced: 1 = all cost, 0 = all speed.")
        ] = 0.5,
        max_p99_ms: Annotated[
            float | None, Field(gt=0, description="Only sizes whose predicted p99 is below this.")
        ] = None,
        max_timeout_share: Annotated[
            float | None,
            Field(
                gt=0,
                le=1,
                description="Only sizes whose p99 stays under this share of the timeout, e.g. 0.8.",
            ),
        ] = None,
        consider_arm64: Annotated[
            bool, Field(description="Also price arm64 for an x86_64 function.")
        ] = True,
        days: Days = 14,
        max_events: Annotated[
            int, Field(ge=100, le=1_000_000, description="At most this many REPORT lines read.")
        ] = 20_000,
        chart_path: Annotated[
            str | None,
            Field(description="Also write the chart as a PNG to this local path (CLI use)."),
        ] = None,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> Annotated[CallToolResult, MemorySuggestion]:
        """Recommend a memory size and architecture from the function's own logs; invokes nothing.

        Use it to right-size a function for cost, speed or a balance, or to check a p99 or
        timeout target. Reads the configuration, the REPORT lines of the last `days` days
        (FilterLogEvents, bounded by max_events), AWS/Lambda metrics (Invocations, Errors,
        Throttles, ConcurrentExecutions) and Compute Optimizer's view where available. Earlier
        memory sizes in the logs are natural experiments: from two or more, it fits
        duration = waiting + CPU work / CPU share and classifies the bottleneck (I/O-bound,
        CPU-bound single or multi-threaded, mixed). Prices every candidate (64 MB grid plus the
        vCPU and core steps) with requests, tiers, ephemeral storage and billed INIT. Returns
        current versus recommended, a candidates table, the memory floor from Max Memory Used
        and out-of-memory kills, confidence with evidence counts, risks, and a chart image.
        Changes nothing; the only cost is CloudWatch Logs and metrics reads.

        Limitations: with one memory size in the logs, whether more memory would speed the
        function up is unknown, so only strategy='cost' gets a recommendation (the memory
        floor is the cheapest whatever the bottleneck); it does not invoke the function to
        measure other sizes. arm64 is assumed as fast as x86_64. Logs are read with
        FilterLogEvents, not Logs Insights, so very busy functions are sampled by max_events.
        Lambda Insights CPU time and X-Ray are not read. Managed Instances and response
        streaming are not modelled.
        """
        if chart_path:
            try:
                check_chart_path(chart_path)
            except InvalidInputError as exc:
                raise ToolError(str(exc)) from exc
        result = await runner.run(
            "suggest_memory",
            lambda ctx: suggest_memory(
                ctx,
                function_name=function_name,
                strategy=strategy,
                balanced_weight=balanced_weight,
                max_p99_ms=max_p99_ms,
                max_timeout_share=max_timeout_share,
                consider_arm64=consider_arm64,
                days=days,
                max_events=max_events,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )
        return await _with_chart(result, chart_path)

    @server.tool(name="analyze_cold_starts", title="Analyze cold starts", annotations=READ_ONLY)
    @clean_doc
    async def analyze_cold_starts_tool(
        function_name: FunctionName,
        days: Days = 14,
        max_events: Annotated[
            int, Field(ge=100, le=1_000_000, description="At most this many lines per pattern.")
        ] = 20_000,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> ColdStartAnalysis:
        """Measure a function's cold starts and say which fix pays, with the break-even arithmetic.

        Use it when a function feels slow on first requests or INIT shows up on the bill.
        Reads the configuration (package, layers, SnapStart), REPORT, INIT_START, INIT_REPORT
        and "Task timed out" lines of the last `days` days, and AWS/Lambda metrics. Returns
        the cold-start rate per day, init p50/p99, the share of billed time spent in INIT,
        init failures and timeouts, concurrency peaks, package and layer sizes, and
        recommendations: SnapStart where the runtime allows, provisioned concurrency only
        where its utilization would beat on-demand, arm64, slimmer packages, lazy
        initialization. Changes nothing.

        Limitations: provisioned concurrency utilization is estimated from ConcurrentExecutions
        (hourly maxima), not measured; memory is assumed not to change init time.
        """
        return await runner.run(
            "analyze_cold_starts",
            lambda ctx: analyze_cold_starts(
                ctx, function_name=function_name, days=days, max_events=max_events
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )


async def _with_chart(result: MemorySuggestion, chart_path: str | None) -> CallToolResult:
    """Return the structured result with the chart beside it as an image block."""
    png = await anyio.to_thread.run_sync(render_memory_chart, result)
    if png is not None and chart_path:
        try:
            written = await anyio.to_thread.run_sync(write_memory_chart, png, chart_path)
        except InvalidInputError as exc:
            raise ToolError(str(exc)) from exc
        result = result.model_copy(update={"chart_file": written})
    content: list[ContentBlock] = [TextContent(type="text", text=result.model_dump_json(indent=2))]
    if png is not None:
        content.append(
            ImageContent(type="image", data=base64.b64encode(png).decode(), mime_type="image/png")
        )
    return CallToolResult(
        content=content, structured_content=result.model_dump(mode="json", by_alias=True)
    )
