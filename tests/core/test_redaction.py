"""The redactor blanks registered secrets inside strings, and only there."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from lambda_specialist import redaction
from lambda_specialist.aws.context import ClientFactory
from lambda_specialist.tools.inspection import inspect_function


class Sample(BaseModel):
    flag: bool
    count: int
    text: str


def test_only_string_values_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redaction, "_pattern", re.compile("true|42"))

    cleaned = redaction.redact_model(Sample(flag=True, count=42, text="is true, 42"))

    assert cleaned == Sample(
        flag=True, count=42, text=f"is {redaction.REDACTED}, {redaction.REDACTED}"
    )


def test_ordinary_environment_values_are_not_treated_as_secrets(factory: ClientFactory) -> None:
    review = inspect_function(factory.context(), function_name="customer-sync")

    assert review.function.tags["service"] == "customers"
