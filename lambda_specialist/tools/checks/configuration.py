"""Function configuration checks: timeouts, defaults, concurrency, VPC, logging, state."""

from __future__ import annotations

from collections.abc import Iterator

from lambda_specialist.knowledge.limits import API_GATEWAY_REST_TIMEOUT_S
from lambda_specialist.tools.checks.facts import FunctionFacts
from lambda_specialist.tools.checks.registry import Hit, check
from lambda_specialist.tools.models import Severity

_CONFIG_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html"


@check(
    "FN-05",
    family="configuration",
    title="Function timeout outlasts the API Gateway integration timeout",
    severity=Severity.MEDIUM,
    rationale="API Gateway gives up after 29 s (REST default) or 30 s (HTTP APIs): the client "
    "gets a 504 while the function keeps running and billing.",
    fix="Set the function timeout below the integration timeout, and move longer work to an "
    "asynchronous path.",
    docs_url="https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
    needs=("config", "policy"),
)
def timeout_beyond_api_gateway(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire for an API Gateway-invoked function whose timeout is 29 s or more."""
    if "apigateway" in facts.trigger_services and facts.timeout >= API_GATEWAY_REST_TIMEOUT_S:
        yield Hit(
            evidence={
                "function_timeout_s": facts.timeout,
                "integration_timeout_s": API_GATEWAY_REST_TIMEOUT_S,
            }
        )


@check(
    "FN-06",
    family="configuration",
    title="Default timeout (3 s) or default memory (128 MB) left unchanged",
    severity=Severity.LOW,
    rationale="The defaults are rarely right: 128 MB also means a twelfth of a vCPU, and 3 s "
    "is tight for anything calling another service.",
    fix="Set the timeout from observed durations, and size memory with suggest_memory.",
    docs_url=_CONFIG_DOCS,
)
def default_settings(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when Timeout is 3 or MemorySize is 128."""
    memory = int(facts.config.get("MemorySize", 128))
    defaults = [
        name
        for name, is_default in (("timeout", facts.timeout == 3), ("memory", memory == 128))
        if is_default
    ]
    if defaults:
        yield Hit(
            evidence={"timeout_s": facts.timeout, "memory_mb": memory, "defaults": defaults},
            fix=f"aws lambda update-function-configuration --function-name {facts.name} "
            "--timeout <seconds> --memory-size <MB>; run suggest_memory for the size.",
        )


@check(
    "FN-09",
    family="configuration",
    title="Reserved concurrency is 0: the function is switched off",
    severity=Severity.MEDIUM,
    rationale="With ReservedConcurrentExecutions 0 every invocation is throttled.",
    fix="aws lambda delete-function-concurrency --function-name <name>, or set a positive value.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
)
def zero_concurrency(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when reserved concurrency is exactly 0."""
    if facts.reserved_concurrency == 0:
        yield Hit(evidence={"reserved_concurrent_executions": 0})


@check(
    "FN-11",
    family="configuration",
    title="VPC function uses fewer than two subnets",
    severity=Severity.MEDIUM,
    rationale="A function in one subnet (one Availability Zone) stops when that zone has trouble.",
    fix="Add subnets in at least two Availability Zones to VpcConfig.SubnetIds.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
    security_hub_control="Lambda.5",
)
def single_subnet(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when VpcConfig has exactly one subnet."""
    subnets = (facts.config.get("VpcConfig") or {}).get("SubnetIds") or []
    if len(subnets) == 1:
        yield Hit(evidence={"subnet_ids": list(subnets)})


@check(
    "FN-14",
    family="configuration",
    title="Log group never expires",
    severity=Severity.LOW,
    rationale="Logs kept forever cost storage every month and rarely help after a few weeks.",
    fix="aws logs put-retention-policy --log-group-name /aws/lambda/<name> --retention-in-days 30",
    docs_url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
    needs=("config", "log_group"),
)
def log_retention(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when the function's log group exists without a retention setting."""
    if facts.log_group is not None and not facts.log_group.get("retentionInDays"):
        name = facts.log_group.get("logGroupName")
        yield Hit(
            evidence={"log_group": name, "retention_days": None},
            fix=f"aws logs put-retention-policy --log-group-name {name} --retention-in-days 30",
        )


@check(
    "FN-18",
    family="configuration",
    title="Function is in a failed or inactive state",
    severity=Severity.HIGH,
    rationale="A failed update or an inactive function cannot serve invocations as configured.",
    fix="Read StateReason / LastUpdateStatusReason and redeploy the configuration or code.",
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html",
)
def failed_state(facts: FunctionFacts) -> Iterator[Hit]:
    """Fire when State or LastUpdateStatus reports failure."""
    state = facts.config.get("State", "Active")
    update = facts.config.get("LastUpdateStatus", "Successful")
    if state in {"Failed", "Inactive"} or update == "Failed":
        yield Hit(
            evidence={
                "state": state,
                "last_update_status": update,
                "reason": facts.config.get("StateReason")
                or facts.config.get("LastUpdateStatusReason"),
            }
        )
