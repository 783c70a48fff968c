"""Keep secret values inside the process: one redactor every surface and log line goes through.

Tools never put environment values, tokens or signing secrets into results. As a second line
of defence, every value that is secret by nature (environment values read from AWS, the HTTP
bearer token, the Slack secrets) is registered here, and the surfaces pass their final text
through ``redact_text`` and install ``RedactingFilter`` on their log handlers.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = [
    "REDACTED",
    "RedactingFilter",
    "redact_model",
    "redact_text",
    "register_secrets",
]

REDACTED = "***redacted***"
_MIN_LENGTH = 4
_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
ModelT = TypeVar("ModelT", bound=BaseModel)


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember ``values`` as secret, so that no output or log line ever shows them."""
    global _pattern
    fresh = {v for v in values if v and len(v) >= _MIN_LENGTH and v not in _secrets}
    if not fresh:
        return
    with _lock:
        _secrets.update(fresh)
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(v) for v in ordered))


def redact_text(text: str) -> str:
    """Return ``text`` with every registered secret value replaced."""
    pattern = _pattern
    if pattern is None:
        return text
    return pattern.sub(REDACTED, text)


def redact_model(model: ModelT) -> ModelT:
    """Return ``model`` unchanged, or a copy with secret values replaced in its strings."""
    if _pattern is None:
        return model
    dumped = model.model_dump(mode="json")
    cleaned = _redact_strings(dumped)
    if cleaned == dumped:
        return model
    return type(model).model_validate(cleaned)


def _redact_strings(value: Any) -> Any:
    """Redact inside string values only, so numbers, booleans and keys keep their shape."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [_redact_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _redact_strings(v) for k, v in value.items()}
    return value


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs registered secrets from every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the record's message once, redacted, and keep the record."""
        if _pattern is None:
            return True
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True
