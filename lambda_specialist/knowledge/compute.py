"""How much CPU a Lambda function gets for its memory size, as dated data."""

from __future__ import annotations

from datetime import date

__all__ = [
    "CHECKED_ON",
    "CORE_STEPS_MB",
    "MAX_MEMORY_MB",
    "MB_PER_VCPU",
    "MIN_MEMORY_MB",
    "SOURCE",
    "core_count",
    "vcpu_share",
]

CHECKED_ON = date(2026, 8, 22)
SOURCE = (
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (1,769 MB = 1 vCPU); "
    "core counts measured by rwnx/lambda-cpuinfo"
)
MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10_240
# CPU credits grow linearly with memory: 1,769 MB earns one vCPU-second per second.
MB_PER_VCPU = 1_769
# The visible core count steps up at these sizes: 2 cores up to 3,008 MB, then 3, 4, 5 and 6.
CORE_STEPS_MB = (3_009, 5_308, 7_077, 8_846)


def vcpu_share(memory_mb: float) -> float:
    """Return the vCPU-seconds per second a function of ``memory_mb`` earns (5.79 at 10,240)."""
    return memory_mb / MB_PER_VCPU


def core_count(memory_mb: float) -> int:
    """Return how many cores the function sees: 2 below 3,009 MB, up to 6 from 8,846 MB."""
    return 2 + sum(memory_mb >= step for step in CORE_STEPS_MB)
