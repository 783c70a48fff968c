"""Requirements that would take minutes or reach outside the index are refused at once."""

from __future__ import annotations

import pytest

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.tools.layers.generate import parse_requirements


@pytest.mark.parametrize(
    "requirements",
    [
        "six\n" * 600,
        "x" * 70_000,
        ["six"] * 600,
        "six @ file:///etc/passwd",
        "pkg @ https://example.invalid/pkg.whl",
    ],
    ids=["too-many-lines", "too-long", "too-many-items", "file-url", "https-url"],
)
def test_oversized_or_direct_url_requirements_are_refused(requirements: object) -> None:
    with pytest.raises(InvalidInputError):
        parse_requirements(requirements)  # type: ignore[arg-type]
