"""Where applied changes are recorded: a store Protocol and the JSON-lines file behind it."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext

__all__ = [
    "AuditChange",
    "AuditRecord",
    "AuditStore",
    "DynamoAuditStore",
    "JsonLinesAuditStore",
]

logger = logging.getLogger(__name__)


class AuditChange(BaseModel):
    """One field changed on one resource."""

    resource: str = Field(description="The ARN or name of the resource changed.")
    field: str = Field(description="The field changed, e.g. 'TracingConfig.Mode'.")
    before: Any = Field(description="The value read just before the change.")
    after: Any = Field(description="The value read back after the change.")
    operation: str = Field(description="The AWS call that made it, as service:Operation.")


class AuditRecord(BaseModel):
    """One applied change set: when, who, where and what changed."""

    when: datetime = Field(description="When the change finished (UTC).")
    who: str | None = Field(description="The AWS identity that made it, where known.")
    requested_by: str | None = Field(
        default=None, description="The person who asked for it, where a surface knows (Slack)."
    )
    tool: str = Field(description="The tool that applied it.")
    account_id: str
    region: str
    is_mock: bool = Field(description="True when the account is the embedded mock.")
    changes: list[AuditChange]


class AuditStore(Protocol):
    """Somewhere to append audit records (a local file now; a DynamoDB table can follow)."""

    def append(self, record: AuditRecord) -> None:
        """Store ``record`` durably, after any record stored before it."""
        ...


class JsonLinesAuditStore:
    """Append records as one JSON document per line to a local file.

    The file and its folder are created on first use; records are never rewritten.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: AuditRecord) -> None:
        """Write ``record`` as one line and flush it to disk."""
        line = record.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
        logger.info(
            "audit: %s recorded %d change(s) in %s", record.tool, len(record.changes), self.path
        )

    def read(self) -> list[AuditRecord]:
        """Return every record in the file, oldest first (none if the file does not exist)."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [AuditRecord.model_validate_json(line) for line in lines if line.strip()]


class DynamoAuditStore:
    """Append records to the DynamoDB table of the Lambda deployment (pk 'audit').

    Items are keyed by time and a random suffix, so records sort by when they were made and
    never overwrite each other.
    """

    def __init__(self, ctx: AwsContext, table: str) -> None:
        self._ctx = ctx
        self._table = table

    def append(self, record: AuditRecord) -> None:
        """Put ``record`` as one item; refuse to overwrite an existing one."""
        key = f"{record.when.isoformat()}#{uuid.uuid4().hex[:12]}"
        self._ctx.call(
            "dynamodb",
            "put_item",
            TableName=self._table,
            Item={"pk": {"S": "audit"}, "sk": {"S": key}, "body": {"S": record.model_dump_json()}},
            ConditionExpression="attribute_not_exists(sk)",
        )
        logger.info(
            "audit: %s recorded %d change(s) in %s", record.tool, len(record.changes), self._table
        )
