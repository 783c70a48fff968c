"""The diff_iam_policy tool: what B allows that A does not, and the reverse."""

from __future__ import annotations

import json
import logging
from typing import Any

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.errors import AwsError, InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.functions import not_found_error, parse_function_ref
from lambda_specialist.tools.iam.engine import Analysis, analyse
from lambda_specialist.tools.iam.lint import lint_policy, principal_risks
from lambda_specialist.tools.iam.models import Need, PolicyDiff, Proof
from lambda_specialist.tools.iam.needs import NeedSpec, derive_needs, needs_document
from lambda_specialist.tools.iam.policy import Policy, parse_policy
from lambda_specialist.tools.iam.report import risk_flags, shape_side
from lambda_specialist.tools.iam.roles import read_role_policy

__all__ = ["PolicyInput", "diff_iam_policy", "diff_policies", "needs_account"]

logger = logging.getLogger(__name__)

PolicyInput = str | dict[str, Any]
_LOCAL = (
    "Local evaluation of the two documents as identity or resource policies: no account was "
    "read, so permission boundaries, SCPs, RCPs and the other side of cross-account access "
    "are not included."
)
_ACCOUNT = (
    "Identity-policy view of the role(s) read from the account: permission boundaries, SCPs "
    "and RCPs are not included, so this is an upper bound on effective access."
)


def needs_account(
    *,
    policy_a: PolicyInput | None,
    policy_b: PolicyInput | None,
    role_a: str | None,
    role_b: str | None,
    function_name: str | None,
) -> bool:
    """Validate the argument combination; return whether the account must be read."""
    if function_name is not None:
        if any(v is not None for v in (policy_a, policy_b, role_a, role_b)):
            raise InvalidInputError(
                "Pass function_name alone (its role is A, what it needs is B), "
                "or pass A and B as policy_a/role_a and policy_b/role_b."
            )
        return True
    for side, doc, role in (("A", policy_a, role_a), ("B", policy_b, role_b)):
        if (doc is None) == (role is None):
            raise InvalidInputError(
                f"Give side {side} exactly once: policy_{side.lower()} (a "
                f"document) or role_{side.lower()} (a role in the account)."
            )
    return role_a is not None or role_b is not None


def diff_policies(
    a: Policy,
    b: Policy,
    *,
    account: str | None = None,
    region: str | None = None,
    limit: int = 200,
    role_session: bool = False,
) -> tuple[PolicyDiff, Analysis]:
    """Compare two parsed policies; ``context`` is left empty for the caller to fill."""
    analysis = analyse(a, b, account=account, region=region)
    added = shape_side([d for d in analysis.differences if d.direction == "added"], limit=limit)
    removed = shape_side([d for d in analysis.differences if d.direction == "removed"], limit=limit)
    flags = risk_flags(added, "added") + risk_flags(removed, "removed")
    flags += principal_risks(a, "policy_a", account) + principal_risks(b, "policy_b", account)
    lint = lint_policy(a, analysis, role_session=role_session) + lint_policy(
        b, analysis, role_session=role_session
    )
    if analysis.approximate_groups:
        flags_note = (
            f" Resource regions of {analysis.approximate_groups} action group(s) were too many "
            "to enumerate; those groups were checked on sample ARNs of every pattern."
        )
    else:
        flags_note = ""
    summary = (
        f"B adds {added.action_count} action(s) and removes {removed.action_count} "
        f"compared with A ({_count(added)} added and {_count(removed)} removed difference "
        f"entries); {len(flags)} risk flag(s).{flags_note}"
    )
    result = PolicyDiff(
        context=None,
        evaluation=_LOCAL,
        catalog_version=analysis.catalog_version,
        policy_a=a.name,
        policy_b=b.name,
        summary=summary,
        added=added,
        removed=removed,
        risk_flags=flags,
        lint=lint,
        unknown_actions=list(analysis.unknown_actions),
    )
    return result, analysis


def diff_iam_policy(
    ctx: AwsContext | None,
    *,
    policy_a: PolicyInput | None = None,
    policy_b: PolicyInput | None = None,
    role_a: str | None = None,
    role_b: str | None = None,
    function_name: str | None = None,
    limit: int = 200,
) -> PolicyDiff:
    """Run the tool: documents locally, roles or a function against the account in ``ctx``."""
    if function_name is not None:
        if ctx is None:
            raise InvalidInputError("function_name needs an account to read; none was given.")
        return _function_diff(ctx, function_name, limit=limit)
    a = _side(ctx, policy_a, role_a, "A")
    b = _side(ctx, policy_b, role_b, "B")
    if ctx is None:
        return diff_policies(a, b, limit=limit)[0]
    described = ctx.describe()
    result = diff_policies(
        a, b, account=described.account_id, region=ctx.region, limit=limit, role_session=True
    )[0]
    return result.model_copy(update={"context": described, "evaluation": _ACCOUNT})


def _side(
    ctx: AwsContext | None, document: PolicyInput | None, role: str | None, side: str
) -> Policy:
    if document is not None:
        return parse_policy(document, name=f"policy_{side.lower()}")
    if ctx is None or role is None:
        raise InvalidInputError(f"role_{side.lower()} needs an account to read; none was given.")
    return read_role_policy(ctx, role)


def _function_diff(ctx: AwsContext, function_name: str, *, limit: int) -> PolicyDiff:
    ref = parse_function_ref(function_name)
    try:
        config = ctx.call("lambda", "get_function_configuration", FunctionName=ref.name)
    except ResourceNotFoundError as exc:
        raise not_found_error(ctx, ref.name) from exc
    reads = ctx.gather(
        {
            "mappings": lambda: ctx.paginate(
                "lambda", "list_event_source_mappings", "EventSourceMappings", FunctionName=ref.name
            ),
            "invoke": lambda: ctx.call(
                "lambda", "get_function_event_invoke_config", FunctionName=ref.name
            ),
        }
    )
    mappings: Any = reads["mappings"]
    if isinstance(mappings, AwsError):
        raise mappings
    invoke: Any = reads["invoke"]
    specs = derive_needs(config, mappings, None if isinstance(invoke, AwsError) else invoke)
    current = read_role_policy(ctx, str(config["Role"]))
    needed = parse_policy(needs_document(specs), name=f"needs of {ref.name}")
    described = ctx.describe()
    result, analysis = diff_policies(
        current,
        needed,
        account=described.account_id,
        region=ctx.region,
        limit=limit,
        role_session=True,
    )
    missing = {a.key for d in analysis.differences if d.direction == "added" for a in d.actions}
    proposal = _proposal(specs, missing)
    proof = _proof(
        current, parse_policy(proposal, name="proposal"), needed, described.account_id, ctx.region
    )
    needs = [
        Need(
            actions=list(s.actions),
            resources=list(s.resources),
            reason=s.reason,
            applies_to=s.applies_to,  # type: ignore[arg-type]
            granted=not ({a.lower() for a in s.actions} & missing),
        )
        for s in specs
    ]
    logger.info(
        "iam diff: function %s, %d needs, %d over-granted actions",
        ref.name,
        len(specs),
        result.removed.action_count,
    )
    return result.model_copy(
        update={
            "context": described,
            "evaluation": _ACCOUNT + " B is what the configuration implies "
            "(logs, VPC, tracing, event sources, destinations, KMS key, layers); what the "
            "code calls is not derived, so 'removed' lists candidates to drop, not certainties.",
            "needs": needs,
            "proposed_policy": proposal,
            "proof": proof,
        }
    )


def _proposal(specs: list[NeedSpec], missing: set[str]) -> dict[str, Any]:
    """Keep each need the current role grants; a need it does not grant cannot be proposed."""
    kept = [
        NeedSpec(
            tuple(a for a in s.actions if a.lower() not in missing),
            s.resources,
            s.reason,
            s.applies_to,
        )
        for s in specs
    ]
    return needs_document(kept)


def _proof(current: Policy, proposal: Policy, needed: Policy, account: str, region: str) -> Proof:
    new_access = diff_policies(current, proposal, account=account, region=region)[0].added
    missing = diff_policies(proposal, needed, account=account, region=region)[0].added
    return Proof(
        no_new_access=new_access.action_count == 0,
        covers_needs=missing.action_count == 0,
        new_access=new_access,
        missing_needs=missing,
    )


def _count(side: Any) -> int:
    return len(side.differences)


def dumps(document: dict[str, Any]) -> str:
    """Return a policy document as compact JSON (for the CLI and Slack)."""
    return json.dumps(document, separators=(",", ":"))
