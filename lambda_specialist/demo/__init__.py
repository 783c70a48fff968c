"""The embedded mock account: moto's server in this process, seeded with a small online shop.

Importing this package is cheap; moto is imported only when an account starts.
"""

from lambda_specialist.demo.scenario import (
    CANARY_VALUES,
    FUNCTION_NAMES,
    HEALTHY_FUNCTIONS,
    SeedReport,
    seed,
)
from lambda_specialist.demo.server import MockAccount, start_seeded
from lambda_specialist.demo.shims import install_shims

__all__ = [
    "CANARY_VALUES",
    "FUNCTION_NAMES",
    "HEALTHY_FUNCTIONS",
    "MockAccount",
    "SeedReport",
    "install_shims",
    "seed",
    "start_seeded",
]
