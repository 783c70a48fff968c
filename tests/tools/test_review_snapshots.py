"""The whole review of every seeded function, and the account audit, pinned as snapshots.

A change to a check's wording, evidence or severity shows up here as a deliberate diff.
Regenerate with ``UPDATE_SNAPSHOTS=1 pytest tests/tools/test_review_snapshots.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.demo.scenario import FUNCTION_NAMES
from lambda_specialist.tools.account_audit import audit_account
from lambda_specialist.tools.inspection import inspect_function

SNAPSHOTS = Path(__file__).parent / "snapshots"
_VOLATILE = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"https://[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws/?"), "<function-url>"),
)
_COUNTS = {
    "invocations_14d",
    "errors_14d",
    "error_rate_pct",
    "max_duration_ms",
    "code_size_bytes",
    "zipped_bytes",
}


def normalize(value: Any, key: str = "") -> Any:
    """Mask what changes between seeds: IDs, timestamps, URLs, traffic counts."""
    if isinstance(value, dict):
        return {k: normalize(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if key in _COUNTS and isinstance(value, int | float):
        return "<count>"
    if isinstance(value, str):
        for pattern, mask in _VOLATILE:
            value = pattern.sub(mask, value)
    return value


def check_snapshot(name: str, data: Any) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(normalize(data), indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"No snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review the diff.")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_the_review_of_each_seeded_function_matches_its_snapshot(
    factory: ClientFactory, name: str
) -> None:
    review = inspect_function(factory.context(), function_name=name).model_dump(mode="json")

    check_snapshot(f"inspect-{name}", review)


def test_the_account_audit_matches_its_snapshot(factory: ClientFactory) -> None:
    audit = audit_account(factory.context()).model_dump(mode="json")

    check_snapshot("audit-account", audit)
