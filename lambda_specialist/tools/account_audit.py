"""audit_account: review every function of a region, worst first, with a summary by check."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import AwsError, InvalidInputError
from lambda_specialist.tools.functions import check_runtime_filter
from lambda_specialist.tools.inspection import FunctionInspection, inspect_function
from lambda_specialist.tools.models import Severity, SeverityCounts

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = ["AccountAudit", "ProgressFn", "audit_account"]

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]


class FindingBrief(BaseModel):
    """A finding as the audit lists it: inspect_function has the evidence and the fix."""

    id: str
    severity: Severity
    title: str


class FunctionAuditRow(BaseModel):
    """One reviewed function."""

    name: str
    runtime: str | None
    worst_severity: Severity | None = Field(description="None when nothing was found.")
    summary: SeverityCounts
    findings: list[FindingBrief]
    not_evaluated: list[str] = Field(description="IDs of the checks that could not run.")


class CheckTally(BaseModel):
    """How many functions one check fired on."""

    id: str
    title: str
    severity: Severity
    functions: list[str]


class FailedReview(BaseModel):
    """A function the audit could not review, and why."""

    name: str
    error: str


class AccountAudit(BaseModel):
    """Every function of a region reviewed: totals, the checks that fired, worst first."""

    context: AccountContext
    filters: dict[str, str]
    functions_reviewed: int
    summary: SeverityCounts = Field(description="Findings of every function, by severity.")
    by_check: list[CheckTally] = Field(description="Each check that fired, most severe first.")
    functions: list[FunctionAuditRow] = Field(description="Worst first.")
    failed: list[FailedReview] = Field(description="Functions that could not be reviewed.")


def audit_account(
    ctx: AwsContext,
    *,
    name_prefix: str | None = None,
    runtime: str | None = None,
    tag: str | None = None,
    concurrency: int = 4,
    progress: ProgressFn | None = None,
) -> AccountAudit:
    """Review every matching function with bounded concurrency; failures are listed, not fatal."""
    check_runtime_filter(runtime)
    tag_filter = _parse_tag(tag)
    account = ctx.describe()
    names = _matching_functions(ctx, name_prefix=name_prefix, runtime=runtime, tag=tag_filter)

    reviews, failed = _review_all(ctx, names, concurrency=concurrency, progress=progress)

    rows = sorted((_row(r) for r in reviews), key=_worst_first)
    filters = {
        k: v for k, v in (("name_prefix", name_prefix), ("runtime", runtime), ("tag", tag)) if v
    }
    return AccountAudit(
        context=account,
        filters=filters,
        functions_reviewed=len(rows),
        summary=SeverityCounts.of([f for r in reviews for f in r.findings]),
        by_check=_tally(reviews),
        functions=rows,
        failed=sorted(failed, key=lambda f: f.name),
    )


def _parse_tag(tag: str | None) -> tuple[str, str | None] | None:
    if not tag:
        return None
    key, sep, value = tag.partition("=")
    if not key.strip():
        raise InvalidInputError(
            f"Tag filter '{tag}' has no key. Use 'key' or 'key=value', e.g. 'team=payments'."
        )
    return key.strip(), value.strip() if sep else None


def _matching_functions(
    ctx: AwsContext,
    *,
    name_prefix: str | None,
    runtime: str | None,
    tag: tuple[str, str | None] | None,
) -> list[str]:
    items = ctx.paginate("lambda", "list_functions", "Functions")
    chosen = [
        item
        for item in items
        if (not name_prefix or str(item["FunctionName"]).startswith(name_prefix))
        and (not runtime or item.get("Runtime") == runtime)
    ]
    if tag is not None:
        tags = ctx.gather(
            {str(i["FunctionName"]): _tags_reader(ctx, str(i["FunctionArn"])) for i in chosen}
        )
        key, value = tag
        chosen = [
            item
            for item in chosen
            if isinstance(found := tags[str(item["FunctionName"])], dict)
            and key in found
            and (value is None or found[key] == value)
        ]
    return sorted(str(item["FunctionName"]) for item in chosen)


def _tags_reader(ctx: AwsContext, arn: str) -> Callable[[], dict[str, str]]:
    return lambda: dict(ctx.call("lambda", "list_tags", Resource=arn).get("Tags") or {})


def _review_all(
    ctx: AwsContext, names: list[str], *, concurrency: int, progress: ProgressFn | None
) -> tuple[list[FunctionInspection], list[FailedReview]]:
    reviews: list[FunctionInspection] = []
    failed: list[FailedReview] = []
    # Reviews run on their own bounded pool; each review's reads use the context's shared pool.
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="audit") as pool:
        futures = {pool.submit(inspect_function, ctx, function_name=n): n for n in names}
        for done, future in enumerate(as_completed(futures), start=1):
            name = futures[future]
            try:
                reviews.append(future.result())
            except AwsError as exc:
                logger.info("audit: could not review %s: %s", name, exc.code or type(exc).__name__)
                failed.append(FailedReview(name=name, error=str(exc)))
            if progress is not None:
                progress(done, len(names), name)
    return reviews, failed


def _row(review: FunctionInspection) -> FunctionAuditRow:
    worst = min((f.severity for f in review.findings), key=lambda s: s.rank, default=None)
    return FunctionAuditRow(
        name=review.function.name,
        runtime=review.function.runtime,
        worst_severity=worst,
        summary=review.summary,
        findings=[
            FindingBrief(id=f.id, severity=f.severity, title=f.title) for f in review.findings
        ],
        not_evaluated=sorted({n.check_id for n in review.not_evaluated}),
    )


def _worst_first(row: FunctionAuditRow) -> tuple[int, int, int, int, int, str]:
    s = row.summary
    return (-s.critical, -s.high, -s.medium, -s.low, -s.info, row.name)


def _tally(reviews: list[FunctionInspection]) -> list[CheckTally]:
    tallies: dict[str, CheckTally] = {}
    for review in reviews:
        for finding in review.findings:
            tally = tallies.setdefault(
                finding.id,
                CheckTally(
                    id=finding.id, title=finding.title, severity=finding.severity, functions=[]
                ),
            )
            if review.function.name not in tally.functions:
                tally.functions.append(review.function.name)
            if finding.severity.rank < tally.severity.rank:
                tally.severity = finding.severity
    for tally in tallies.values():
        tally.functions.sort()
    return sorted(tallies.values(), key=lambda t: (t.severity.rank, -len(t.functions), t.id))
