"""Function references: names, ARNs and partial ARNs parse; anything else is refused clearly."""

from __future__ import annotations

import pytest

from lambda_specialist.errors import InvalidInputError
from lambda_specialist.tools.functions import FunctionRef, check_runtime_filter, parse_function_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("orders-api", FunctionRef(name="orders-api")),
        (
            "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
            FunctionRef(name="orders-api", region="eu-west-1", account="123456789012"),
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:orders-api:live",
            FunctionRef(
                name="orders-api", region="us-east-1", account="123456789012", qualifier="live"
            ),
        ),
        (
            "123456789012:function:orders-api",
            FunctionRef(name="orders-api", account="123456789012"),
        ),
    ],
)
def test_names_and_arns_parse(text: str, expected: FunctionRef) -> None:
    assert parse_function_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    ["arn:aws:lambda:us-east-1:123:function:x", "arn:aws:s3:::bucket", "orders api", "x" * 65, ""],
)
def test_malformed_references_are_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_function_ref(text)


def test_a_name_with_a_qualifier_parses() -> None:
    assert parse_function_ref("orders-api:live") == FunctionRef(name="orders-api", qualifier="live")


@pytest.mark.parametrize("runtime", ["cobol9", "Python3.12", "python 3.12"])
def test_a_runtime_filter_that_is_no_runtime_is_refused(runtime: str) -> None:
    with pytest.raises(InvalidInputError):
        check_runtime_filter(runtime)


@pytest.mark.parametrize("runtime", ["python3.12", "nodejs22.x", "provided.al2023", "java8.al2"])
def test_runtime_identifiers_are_accepted(runtime: str) -> None:
    check_runtime_filter(runtime)
