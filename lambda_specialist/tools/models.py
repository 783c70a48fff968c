"""Result shapes shared by several tools: findings, reads that could not run."""

from enum import StrEnum

from pydantic import BaseModel, Field

__all__ = ["Evidence", "Finding", "NotEvaluated", "Severity", "SeverityCounts"]

Evidence = dict[str, str | int | float | bool | list[str] | None]


class Severity(StrEnum):
    """How urgent a finding is, most urgent first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 0 for critical up to 4 for info, for sorting."""
        return list(Severity).index(self)


class Finding(BaseModel):
    """One graded observation about a resource, with the values seen and the fix."""

    id: str = Field(description="Stable catalogue ID, e.g. 'RT-01'.")
    severity: Severity
    title: str = Field(description="What is wrong, in one line.")
    rationale: str = Field(description="Why it matters.")
    evidence: Evidence = Field(description="The field values seen (never secret values).")
    fix: str = Field(description="What to change, with the AWS CLI command or IaC property.")
    docs_url: str = Field(description="AWS documentation for the fix.")
    security_hub_control: str | None = Field(
        default=None, description="The matching AWS Security Hub control, where one exists."
    )


class NotEvaluated(BaseModel):
    """A check that could not run, and what would let it run."""

    check_id: str = Field(description="The catalogue ID of the check.")
    title: str
    reason: str = Field(description="Why it could not run: the read that failed.")
    missing_permission: str | None = Field(
        default=None, description="The IAM action to grant, when access was denied."
    )


class SeverityCounts(BaseModel):
    """How many findings of each severity."""

    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    info: int = 0

    @classmethod
    def of(cls, findings: list[Finding]) -> "SeverityCounts":
        """Count ``findings`` by severity."""
        counts = {severity.value: 0 for severity in Severity}
        for finding in findings:
            counts[finding.severity.value] += 1
        return cls(**counts)
