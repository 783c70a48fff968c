"""Who can invoke the function: public resource policies and function URLs."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_URL_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"


@check(
    "FN-01",
    family="access",
    title="Resource policy lets anyone invoke the function",
    severity=Severity.CRITICAL,
    rationale="A statement with Principal '*' and no restricting condition makes the function "
    "callable by any AWS account.",
    fix="Remove the statement, or restrict it with AWS:SourceArn, AWS:SourceAccount or "
    "aws:PrincipalOrgID.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    needs=("config", "policy"),
    security_hub_control="Lambda.1",
)
def public_invoke(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an Allow statement to '*' without any condition (function URL statements aside)."""
    for statement in facts.policy_statements:
        principal = statement.get("Principal")
        is_public = principal == "*" or (
            isinstance(principal, dict) and principal.get("AWS") == "*"
        )
        if statement.get("Effect") == "Allow" and is_public and not statement.get("Condition"):
            yield Hit(
                evidence={
                    "statement": statement.get("Sid"),
                    "principal": "*",
                    "action": str(statement.get("Action")),
                },
                fix=f"aws lambda remove-permission --function-name {facts.name} "
                f"--statement-id {statement.get('Sid')}",
            )


@check(
    "FN-02",
    family="access",
    title="Function URL has no authentication (AuthType NONE)",
    severity=Severity.HIGH,
    rationale="Anyone on the internet who finds the URL can invoke the function and run up "
    "its bill; the handler must do all authentication itself.",
    fix="Use AuthType AWS_IAM (sign requests, or put CloudFront with origin access control in "
    "front), or verify a signature in the handler and document why the URL is public.",
    docs_url=_URL_DOCS,
    needs=("config", "url_config"),
)
def public_url(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the function URL's AuthType is NONE."""
    if facts.url_config and facts.url_config.get("AuthType") == "NONE":
        yield Hit(
            evidence={"function_url": facts.url_config.get("FunctionUrl"), "auth_type": "NONE"},
            fix=f"aws lambda update-function-url-config --function-name {facts.name} "
            "--auth-type AWS_IAM (IaC: FunctionUrlConfig.AuthType), or verify a request "
            "signature in the handler.",
        )


@check(
    "FN-03",
    family="access",
    title="Function URL CORS allows any origin",
    severity=Severity.MEDIUM,
    rationale="AllowOrigins '*' lets any website call the function from a visitor's browser.",
    fix="List the origins that need access in Cors.AllowOrigins.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html",
    needs=("config", "url_config"),
)
def open_cors(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when Cors.AllowOrigins contains '*'."""
    origins = ((facts.url_config or {}).get("Cors") or {}).get("AllowOrigins") or []
    if "*" in origins:
        yield Hit(evidence={"allow_origins": list(origins)})
