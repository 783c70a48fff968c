"""Secrets in environment variables: found by name and by value shape, reported by name only."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from lambda_specialist.redaction import register_secrets
from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

__all__ = ["register_environment_secrets", "secret_reason"]

_NAME_HINT = re.compile(
    r"(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)", re.IGNORECASE
)
_VALUE_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key ID", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("Stripe secret key", re.compile(r"\b[rs]k_(live|test)_[0-9A-Za-z]{10,}")),
    ("Slack token", re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[0-9A-Za-z]{20,}")),
    ("connection string with a password", re.compile(r"://[^/\s:@]+:[^/\s@]+@")),
    ("JSON web token", re.compile(r"\beyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.")),
)
_REFERENCE = re.compile(r"^(arn:aws|\{\{resolve:|/aws/reference/secretsmanager/|ssm:)")


def register_environment_secrets(config: dict[str, object]) -> None:
    """Register the secret-looking environment values of a function configuration.

    Only values the FN-07 rules flag are registered: ordinary values ("true", "INFO", a table
    name) would otherwise be blanked wherever the same word appears in any later output.
    Results never carry environment values in the first place; this is the second line.
    """
    environment = config.get("Environment")
    variables = environment.get("Variables") if isinstance(environment, dict) else None
    if isinstance(variables, dict):
        register_secrets(str(v) for k, v in variables.items() if secret_reason(str(k), str(v)))


def secret_reason(name: str, value: str) -> str | None:
    """Return why ``name=value`` looks like a secret, or None; the value is never returned."""
    if not value or _REFERENCE.match(value):
        return None
    for label, pattern in _VALUE_SHAPES:
        if pattern.search(value):
            return f"value has the shape of a {label}"
    if _NAME_HINT.search(name) and len(value) >= 8:
        return "name suggests a secret and the value is set inline"
    if len(value) >= 32 and " " not in value and _entropy(value) >= 4.0:
        return "value is a long high-entropy string"
    return None


@check(
    "FN-07",
    family="secrets",
    title="Secret-looking values in environment variables",
    severity=Severity.CRITICAL,
    rationale="Environment variables are visible to anyone with lambda:GetFunctionConfiguration "
    "and end up in IaC, CI logs and console screenshots.",
    fix="Move the values to Secrets Manager or Parameter Store and read them at init (the "
    "Parameters and Secrets Lambda extension caches them); rotate the exposed values.",
    docs_url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    security_hub_control=None,
)
def secrets_in_environment(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire once, naming every variable whose name or value looks secret."""
    reasons = {
        name: r
        for name, value in sorted(facts.environment.items())
        if (r := secret_reason(name, value))
    }
    if reasons:
        yield Hit(
            evidence={
                "variables": sorted(reasons),
                "why": [f"{name}: {why}" for name, why in sorted(reasons.items())],
            },
        )


@check(
    "FN-08",
    family="secrets",
    title="Sensitive environment variables without a customer-managed KMS key",
    severity=Severity.LOW,
    rationale="With the AWS managed key, anyone who can read the configuration sees the "
    "values; a customer-managed key adds a kms:Decrypt gate and an audit trail.",
    fix="Set KMSKeyArn to a customer-managed key (after moving secrets out of the environment).",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
)
def env_without_cmk(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when secret-looking variables exist and KMSKeyArn is unset."""
    if facts.config.get("KMSKeyArn"):
        return
    names = [n for n, v in facts.environment.items() if secret_reason(n, v)]
    if names:
        yield Hit(evidence={"kms_key_arn": None, "sensitive_variables": sorted(names)})


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(c / len(text) * math.log2(c / len(text)) for c in counts.values())
