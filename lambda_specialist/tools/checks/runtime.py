"""Runtime lifecycle checks: deprecated, deprecating soon, on Amazon Linux 2, pinned."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.knowledge.runtimes import find_runtime
from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
_SOON_DAYS = 180


@check(
    "RT-01",
    family="runtime",
    title="Runtime is past its deprecation date",
    severity=Severity.HIGH,
    rationale="A deprecated runtime gets no security patches or support, and AWS will block "
    "updates to the function on the block-update date.",
    fix="Move to the successor runtime and redeploy: aws lambda update-function-configuration "
    "--function-name <name> --runtime <successor> (IaC: Runtime).",
    docs_url=_DOCS,
    security_hub_control="Lambda.2",
)
def deprecated_runtime(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the runtime's deprecation date has passed."""
    runtime = find_runtime(facts.runtime or "")
    if runtime is None or facts.config.get("PackageType") == "Image":
        return
    if runtime.deprecation <= facts.today:
        yield Hit(
            evidence={
                "runtime": runtime.identifier,
                "deprecated_on": runtime.deprecation.isoformat(),
                "block_update_on": runtime.block_update.isoformat()
                if runtime.block_update
                else None,
                "successor": runtime.successor,
            },
            fix=f"Move to {runtime.successor}: aws lambda update-function-configuration "
            f"--function-name {facts.name} --runtime {runtime.successor} (IaC: Runtime), "
            "after testing the code on it.",
        )


@check(
    "RT-02",
    family="runtime",
    title="Runtime deprecates within 180 days",
    severity=Severity.MEDIUM,
    rationale="Planning the upgrade before the deprecation date avoids a rushed migration "
    "when AWS stops patching the runtime.",
    fix="Schedule the move to the successor runtime.",
    docs_url=_DOCS,
)
def deprecating_runtime(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the deprecation date is in the next 180 days."""
    runtime = find_runtime(facts.runtime or "")
    if runtime is None:
        return
    days = (runtime.deprecation - facts.today).days
    if 0 < days <= _SOON_DAYS:
        yield Hit(
            evidence={
                "runtime": runtime.identifier,
                "days_left": days,
                "deprecates_on": runtime.deprecation.isoformat(),
                "successor": runtime.successor,
            },
            fix=f"Plan the move to {runtime.successor} before {runtime.deprecation.isoformat()}.",
        )


@check(
    "RT-03",
    family="runtime",
    title="Runtime runs on Amazon Linux 2",
    severity=Severity.LOW,
    rationale="Amazon Linux 2 reached end of life on 2026-06-30 and has glibc 2.26; the "
    "Amazon Linux 2023 runtimes are patched longer and take newer native wheels.",
    fix="Move to an Amazon Linux 2023 runtime.",
    docs_url=_DOCS,
)
def amazon_linux_2(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for a supported runtime whose OS is Amazon Linux 2."""
    runtime = find_runtime(facts.runtime or "")
    if runtime is None or runtime.os != "AL2" or runtime.deprecation <= facts.today:
        return
    yield Hit(
        evidence={"runtime": runtime.identifier, "os": "Amazon Linux 2", "glibc": runtime.glibc},
        fix=f"Move to {runtime.successor} (Amazon Linux 2023) when convenient.",
    )


@check(
    "RT-04",
    family="runtime",
    title="Runtime version is pinned (UpdateRuntimeOn=Manual)",
    severity=Severity.LOW,
    rationale="A pinned runtime version receives no automatic security patches.",
    fix="aws lambda put-runtime-management-config --function-name <name> --update-runtime-on Auto",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html",
    needs=("config", "runtime_management"),
)
def pinned_runtime(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when runtime updates are manual."""
    if facts.runtime_update_mode == "Manual":
        yield Hit(evidence={"update_runtime_on": "Manual"})
