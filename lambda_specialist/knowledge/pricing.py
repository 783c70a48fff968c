"""AWS Lambda prices per region and architecture, each dated with its source.

Prices are a bundled snapshot, not a live read of the Price List API; regions missing from the
table are priced as us-east-1 and the result says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

__all__ = [
    "CHECKED_ON",
    "INIT_BILLING_SINCE",
    "Architecture",
    "ProvisionedPrices",
    "RegionPrices",
    "billed_init_since",
    "duration_cost",
    "invocation_cost",
    "is_priced",
    "pc_break_even_utilization",
    "prices_for",
    "provisioned_cost",
]

Architecture = Literal["x86_64", "arm64"]

CHECKED_ON = date(2026, 8, 22)
PRICING_URL = "https://aws.amazon.com/lambda/pricing/"
TIERS_URL = "https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/"
# Since 1 August 2025 the INIT phase is billed for every configuration; before, on-demand ZIP
# functions on managed runtimes had it free.
# https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/
INIT_BILLING_SINCE = datetime(2025, 8, 1, tzinfo=UTC)
GB_MB = 1024  # Lambda's own pricing examples divide MB by 1,024.
FREE_STORAGE_MB = 512
# Monthly GB-seconds where the 10 % and 20 % discounts start, per architecture.
TIER_BOUNDS_GBS: dict[str, tuple[float, float]] = {
    "x86_64": (6e9, 15e9),
    "arm64": (7.5e9, 18.75e9),
}
TIER_FACTORS = (1.0, 0.9, 0.8)


@dataclass(frozen=True)
class ProvisionedPrices:
    """Provisioned concurrency: per GB-s allocated, and per GB-s while executing."""

    allocated_gbs: float
    executed_gbs: float
    source: str


@dataclass(frozen=True)
class RegionPrices:
    """On-demand prices of one region, with where they came from."""

    region: str
    x86_gbs: float
    arm_gbs: float
    per_million_requests: float
    storage_gbs: float
    source: str
    is_listed: bool = True

    def gbs(self, architecture: str) -> float:
        """Return the tier-1 price per GB-second for ``architecture``."""
        return self.arm_gbs if architecture == "arm64" else self.x86_gbs


_STANDARD = (0.0000166667, 0.0000133334, 0.20, 0.0000000309)
_STANDARD_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "sa-east-1",
)
# Regions priced above the standard rate (public Price List snapshot). Their arm64 rate is taken
# as 80 % of x86, the ratio of every region AWS publishes both for; storage as us-east-1's.
_SURCHARGED = {
    "eu-south-1": (0.0000195172, 0.23),
    "me-south-1": (0.0000206667, 0.25),
    "eu-central-2": (0.0000183334, 0.22),
}
_PROVISIONED = {
    "x86_64": ProvisionedPrices(0.0000041667, 0.0000097222, f"{PRICING_URL} (us-east-1)"),
    # arm64 provisioned rates taken as 80 % of x86, like on-demand duration; verify per region.
    "arm64": ProvisionedPrices(0.0000033334, 0.0000077778, "80 % of the x86 rate (estimate)"),
}
SNAPSTART_CACHE_GBS = 0.0000015046
SNAPSTART_RESTORE_GB = 0.0001397998


def prices_for(region: str) -> RegionPrices:
    """Return the on-demand prices of ``region``; us-east-1's, flagged, if it is not listed."""
    x86, arm, requests, storage = _STANDARD
    if region in _STANDARD_REGIONS:
        return RegionPrices(region, x86, arm, requests, storage, f"{PRICING_URL} ({CHECKED_ON})")
    if region in _SURCHARGED:
        x86, requests = _SURCHARGED[region]
        source = f"AWS Price List snapshot ({CHECKED_ON}); arm64 rate estimated at 80 % of x86"
        return RegionPrices(region, x86, round(x86 * 0.8, 10), requests, storage, source)
    source = f"{region} is not in the bundled price table; us-east-1 prices used"
    return RegionPrices(region, x86, arm, requests, storage, source, is_listed=False)


def is_priced(region: str) -> bool:
    """Return whether ``region`` has its own prices in the bundled table."""
    return prices_for(region).is_listed


def duration_cost(gb_seconds: float, *, architecture: str, region: str) -> float:
    """Return the duration charge of one month's ``gb_seconds``, with the volume tiers."""
    price = prices_for(region).gbs(architecture)
    first, second = TIER_BOUNDS_GBS.get(architecture, TIER_BOUNDS_GBS["x86_64"])
    bands = (min(gb_seconds, first), max(0.0, min(gb_seconds, second) - first))
    rest = max(0.0, gb_seconds - second)
    return price * sum(
        amount * factor for amount, factor in zip((*bands, rest), TIER_FACTORS, strict=True)
    )


def invocation_cost(
    *,
    memory_mb: float,
    billed_ms: float,
    architecture: str,
    region: str,
    ephemeral_mb: int = FREE_STORAGE_MB,
) -> float:
    """Return the on-demand cost of one invocation at tier-1 prices (request included).

    ``billed_ms`` is what the REPORT line's Billed Duration says, INIT included where billed;
    it is not rounded here, so that a mean over many invocations can be passed.
    """
    prices = prices_for(region)
    seconds = billed_ms / 1000
    storage_gb = max(0, ephemeral_mb - FREE_STORAGE_MB) / GB_MB
    return (
        prices.per_million_requests / 1e6
        + prices.gbs(architecture) * memory_mb / GB_MB * seconds
        + prices.storage_gbs * storage_gb * seconds
    )


def provisioned_cost(
    *,
    memory_mb: float,
    concurrency: int,
    hours: float,
    executed_gb_seconds: float,
    architecture: str,
) -> float:
    """Return the cost of keeping ``concurrency`` environments for ``hours`` (requests excluded).

    Allocation is billed in 5-minute steps; executed time at the lower provisioned rate.
    """
    rates = _PROVISIONED.get(architecture, _PROVISIONED["x86_64"])
    billed_seconds = math.ceil(hours * 12) * 300
    allocated = concurrency * memory_mb / GB_MB * billed_seconds
    return allocated * rates.allocated_gbs + executed_gb_seconds * rates.executed_gbs


def pc_break_even_utilization(architecture: str, region: str) -> float:
    """Return the utilization above which provisioned concurrency beats on-demand (about 0.6)."""
    rates = _PROVISIONED.get(architecture, _PROVISIONED["x86_64"])
    on_demand = prices_for(region).gbs(architecture)
    return rates.allocated_gbs / (on_demand - rates.executed_gbs)


def billed_init_since(package_type: str, runtime: str | None) -> datetime | None:
    """Return since when INIT is billed for this kind of function (None: always was)."""
    if package_type == "Image" or not runtime or runtime.startswith("provided"):
        return None
    return INIT_BILLING_SINCE
