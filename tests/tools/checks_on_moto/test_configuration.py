"""Configuration checks (FN-05, FN-06, FN-09, FN-11, FN-14, FN-18) on moto's Lambda and Logs."""

from __future__ import annotations

from lambda_specialist.tools.models import Severity
from tests.tools.checks_on_moto.conftest import MotoAccount, Scenario, stays_quiet


def an_api_function_that_outlasts_api_gateway(aws: MotoAccount) -> None:
    aws.function(Timeout=30)
    aws.rest_api(tracing=True)


def an_api_function_that_answers_in_time(aws: MotoAccount) -> None:
    aws.function(Timeout=10)
    aws.rest_api(tracing=True)


def the_default_timeout_and_memory(aws: MotoAccount) -> None:
    aws.function(Timeout=None, MemorySize=None)


def tuned_timeout_and_memory(aws: MotoAccount) -> None:
    aws.function(Timeout=15, MemorySize=512)


def reserved_concurrency_of_zero(aws: MotoAccount) -> None:
    aws.function()
    lam = aws.client("lambda")
    lam.put_function_concurrency(FunctionName="app", ReservedConcurrentExecutions=0)
    stored = lam.get_function_concurrency(FunctionName="app")["ReservedConcurrentExecutions"]
    # moto 5.2 keeps the 0 (GetFunctionConcurrency answers it) but its GetFunction leaves
    # out Concurrency for a falsy value; AWS answers {"ReservedConcurrentExecutions": 0}.
    aws.amend_configuration(Concurrency={"ReservedConcurrentExecutions": stored})


def reserved_concurrency_of_five(aws: MotoAccount) -> None:
    aws.function()
    aws.client("lambda").put_function_concurrency(
        FunctionName="app", ReservedConcurrentExecutions=5
    )


def a_vpc_function_in_one_subnet(aws: MotoAccount) -> None:
    aws.function(VpcConfig={"SubnetIds": ["subnet-0a1"], "SecurityGroupIds": ["sg-0a1"]})


def a_vpc_function_in_two_subnets(aws: MotoAccount) -> None:
    aws.function(
        VpcConfig={"SubnetIds": ["subnet-0a1", "subnet-0b2"], "SecurityGroupIds": ["sg-0a1"]}
    )


def a_log_group_kept_forever(aws: MotoAccount) -> None:
    aws.function()
    aws.log_group()


def a_log_group_kept_thirty_days(aws: MotoAccount) -> None:
    aws.function()
    aws.log_group(retention_days=30)


def a_function_whose_last_update_failed(aws: MotoAccount) -> None:
    aws.function()
    # moto 5.2 creates every function Active with LastUpdateStatus Successful and has no way
    # to fail an update; answer what AWS shows after a failed update.
    aws.amend_configuration(
        LastUpdateStatus="Failed",
        LastUpdateStatusReason="The security group sg-0a1 does not exist.",
    )


def an_active_function(aws: MotoAccount) -> None:
    aws.function()


FIRING: dict[str, Scenario] = {
    "FN-05": an_api_function_that_outlasts_api_gateway,
    "FN-06": the_default_timeout_and_memory,
    "FN-09": reserved_concurrency_of_zero,
    "FN-11": a_vpc_function_in_one_subnet,
    "FN-14": a_log_group_kept_forever,
    "FN-18": a_function_whose_last_update_failed,
}
QUIET: dict[str, Scenario] = {
    "FN-05": an_api_function_that_answers_in_time,
    "FN-06": tuned_timeout_and_memory,
    "FN-09": reserved_concurrency_of_five,
    "FN-11": a_vpc_function_in_two_subnets,
    "FN-14": a_log_group_kept_thirty_days,
    "FN-18": an_active_function,
}


def test_a_function_without_a_log_group_is_not_told_to_set_retention(aws: MotoAccount) -> None:
    aws.function()

    assert stays_quiet("FN-14", aws.inspect())


def test_default_memory_alone_is_reported_as_a_default(aws: MotoAccount) -> None:
    aws.function(MemorySize=None)

    (finding,) = [f for f in aws.inspect().findings if f.id == "FN-06"]

    assert (finding.severity, finding.evidence["defaults"]) == (Severity.LOW, ["memory"])
