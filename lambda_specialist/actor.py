"""Who asked for the current call, where a surface knows (for example a Slack user)."""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["current_actor"]

current_actor: ContextVar[str | None] = ContextVar("lambda_specialist_actor", default=None)
