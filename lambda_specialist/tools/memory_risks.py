"""What could go wrong with a memory recommendation, and how sure it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambda_specialist.knowledge.pricing import prices_for

if TYPE_CHECKING:
    from lambda_specialist.tools.log_evidence import FunctionSettings, LogRead
    from lambda_specialist.tools.memory_sizing import SizingDecision, SizingRequest

__all__ = ["confidence_of", "risks_of"]

STRONG_SAMPLES = 50
NEAR_TIMEOUT = 0.8
GC_RUNTIMES = ("nodejs", "java", "dotnet")


def confidence_of(decision: SizingDecision, truncated: bool) -> str:
    """Return high, medium or low from how many sizes and samples back the answer."""
    if decision.verdict == "insufficient_evidence" or decision.recommended is None:
        return "low"
    strong = [size for size in decision.sizes if size.samples >= STRONG_SAMPLES]
    if decision.model is not None and len(strong) >= 2 and not truncated:
        return "high"
    if decision.model is not None or len(strong) >= 1:
        return "medium"
    return "low"


def risks_of(
    decision: SizingDecision,
    request: SizingRequest,
    settings: FunctionSettings,
    logs: LogRead,
) -> list[str]:
    """Return the risks of applying the recommendation, most important first."""
    risks: list[str] = []
    risks.extend(_failure_risks(decision))
    risks.extend(_prediction_risks(decision, request))
    if decision.architecture != settings.architecture:
        risks.append(
            "arm64 is priced 20 % lower; the prediction assumes the same speed on Graviton. "
            "Packages and layers with native code need arm64 builds: test before switching."
        )
    if settings.runtime and settings.runtime.startswith(GC_RUNTIMES):
        risks.append(
            f"{settings.runtime} sizes its heap from the memory setting, so Max Memory Used "
            "overstates what it needs; the memory floor is conservative."
        )
    if logs.truncated:
        risks.append(
            "the log read stopped at max_events, so the oldest lines dominate the sample; "
            "raise max_events or shorten days."
        )
    if not prices_for(request.region).is_listed:
        risks.append(f"{request.region} is not in the price table: us-east-1 prices were used.")
    return risks


def _failure_risks(decision: SizingDecision) -> list[str]:
    risks: list[str] = []
    starved = [size for size in decision.sizes if size.out_of_memory]
    if starved:
        sizes = ", ".join(f"{size.out_of_memory} at {size.memory_mb} MB" for size in starved)
        risks.append(f"out-of-memory kills in the window ({sizes}): stay at or above the floor.")
    timeouts = sum(size.timeouts for size in decision.sizes)
    if timeouts:
        risks.append(
            f"{timeouts} timeouts in the window are left out of the duration model; they may "
            "be waits on a dependency that no memory size fixes."
        )
    return risks


def _prediction_risks(decision: SizingDecision, request: SizingRequest) -> list[str]:
    chosen = decision.recommended
    if chosen is None:
        return []
    risks: list[str] = []
    observed = [size.memory_mb for size in decision.sizes]
    if observed and not min(observed) <= chosen.memory_mb <= max(observed):
        risks.append(
            f"{chosen.memory_mb} MB is outside the sizes observed ({min(observed)}-"
            f"{max(observed)} MB): the durations there are extrapolated."
        )
    model = decision.model
    if model is not None and not model.threads_known and chosen.memory_mb > 1769:
        risks.append(
            "no evidence of how many threads the code keeps busy: above 1,769 MB it is assumed "
            "single-threaded, so more memory is predicted not to help."
        )
    if decision.hypotheses and chosen.p99_upper_ms > chosen.p99_ms * 1.05:
        risks.append(
            f"if the function is CPU-bound, p99 at {chosen.memory_mb} MB rises to about "
            f"{chosen.p99_upper_ms:,.0f} ms (from {chosen.p99_ms:,.0f} ms if it mostly waits)."
        )
    timeout_ms = request.timeout_s * 1000
    if chosen.p99_upper_ms > NEAR_TIMEOUT * timeout_ms:
        risks.append(
            f"predicted p99 {chosen.p99_upper_ms:,.0f} ms is above 80 % of the "
            f"{request.timeout_s} s timeout."
        )
    return risks
