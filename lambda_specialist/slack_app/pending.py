"""Plans waiting for Apply: stored server-side under an expiring, unguessable ID.

A button carries only the ID. Applying re-reads the account and re-plans; the stored plan is
the reference the fresh one must still match, so a plan is never rebuilt from a payload.
SQLite when self-hosted; a DynamoDB table on Lambda, where there is no local disk to keep.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = ["DynamoPlanStore", "PendingPlan", "PlanStore", "SqlitePlanStore", "new_plan_id"]

DEFAULT_TTL_S = 15 * 60


@dataclass(frozen=True)
class PendingPlan:
    """A plan shown in Slack, waiting for Apply or Cancel."""

    id: str
    tool: str
    arguments: dict[str, Any]
    steps: list[dict[str, Any]]
    requested_by: str
    channel: str | None
    expires_at: float

    def is_expired(self, now: float | None = None) -> bool:
        """Whether the plan may no longer be applied."""
        return (now if now is not None else time.time()) >= self.expires_at

    def to_json(self) -> str:
        """Serialise for storage."""
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, text: str) -> PendingPlan:
        """Read back what ``to_json`` wrote."""
        return cls(**json.loads(text))


class PlanStore(Protocol):
    """Where pending plans live between the plan message and the button press."""

    def put(self, plan: PendingPlan) -> None:
        """Store ``plan`` under its ID."""

    def take(self, plan_id: str) -> PendingPlan | None:
        """Remove and return the plan (None if unknown): a plan is used at most once."""


def new_plan_id() -> str:
    """An unguessable plan ID."""
    return secrets.token_urlsafe(18)


class SqlitePlanStore:
    """Pending plans in a local SQLite file (self-hosted Slack app)."""

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, body TEXT, expires REAL)"
        )
        self._db.commit()

    def put(self, plan: PendingPlan) -> None:
        """Store ``plan``; expired plans are swept at the same time."""
        with self._lock:
            self._db.execute("DELETE FROM pending WHERE expires < ?", (time.time(),))
            self._db.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?)",
                (plan.id, plan.to_json(), plan.expires_at),
            )
            self._db.commit()

    def take(self, plan_id: str) -> PendingPlan | None:
        """Remove and return the plan."""
        with self._lock:
            row = self._db.execute("SELECT body FROM pending WHERE id = ?", (plan_id,)).fetchone()
            self._db.execute("DELETE FROM pending WHERE id = ?", (plan_id,))
            self._db.commit()
        return PendingPlan.from_json(row[0]) if row else None


class DynamoPlanStore:
    """Pending plans in the DynamoDB table of the SAM deployment (pk 'plan#<id>')."""

    def __init__(self, ctx: AwsContext, table: str) -> None:
        self._ctx = ctx
        self._table = table

    def put(self, plan: PendingPlan) -> None:
        """Store ``plan`` with a TTL attribute so DynamoDB removes it after expiry."""
        self._ctx.call(
            "dynamodb",
            "put_item",
            TableName=self._table,
            Item={
                "pk": {"S": f"plan#{plan.id}"},
                "sk": {"S": "plan"},
                "body": {"S": plan.to_json()},
                "expires_at": {"N": str(int(plan.expires_at))},
            },
        )

    def take(self, plan_id: str) -> PendingPlan | None:
        """Delete the item and return what it held (atomic: ReturnValues=ALL_OLD)."""
        response = self._ctx.call(
            "dynamodb",
            "delete_item",
            TableName=self._table,
            Key={"pk": {"S": f"plan#{plan_id}"}, "sk": {"S": "plan"}},
            ReturnValues="ALL_OLD",
        )
        body = (response.get("Attributes") or {}).get("body", {}).get("S")
        return PendingPlan.from_json(body) if body else None
