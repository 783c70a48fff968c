"""list_functions, and resolving a function reference to a name in the right region."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from lambda_specialist.aws.context import AccountContext
from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError

if TYPE_CHECKING:
    from lambda_specialist.aws.context import AwsContext, JsonDict

__all__ = [
    "FunctionList",
    "FunctionRef",
    "FunctionRow",
    "check_runtime_filter",
    "list_functions",
    "not_found_error",
    "parse_function_ref",
]

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_RUNTIME = re.compile(r"^(python|nodejs|java|dotnet|ruby|go|provided)[0-9a-z.]*$")
_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:"
    r"(?P<name>[A-Za-z0-9_-]{1,64})(:(?P<qualifier>\$LATEST|[A-Za-z0-9_-]{1,128}))?$"
)
_NAME_WITH_QUALIFIER = re.compile(
    r"^(?P<name>[A-Za-z0-9_-]{1,64}):(?P<qualifier>\$LATEST|[A-Za-z0-9_-]{1,128})$"
)
_PARTIAL_ARN = re.compile(
    r"^(?P<account>\d{12}):function:(?P<name>[A-Za-z0-9_-]{1,64})"
    r"(:(?P<qualifier>\$LATEST|[A-Za-z0-9_-]{1,128}))?$"
)


class FunctionRow(BaseModel):
    """One function in a region, as list_functions shows it."""

    name: str
    arn: str
    runtime: str | None = Field(description="Runtime identifier; None for container images.")
    architecture: str
    memory_mb: int
    timeout_s: int
    code_size_bytes: int
    last_modified: str
    tracing: str = Field(description="X-Ray mode: Active or PassThrough.")
    package_type: str


class FunctionList(BaseModel):
    """The functions of one region that match the filters."""

    context: AccountContext
    count: int
    functions: list[FunctionRow]


@dataclass(frozen=True)
class FunctionRef:
    """A parsed function reference: a name, and the region or qualifier an ARN carried."""

    name: str
    region: str | None = None
    account: str | None = None
    qualifier: str | None = None


def list_functions(
    ctx: AwsContext,
    *,
    name_prefix: str | None = None,
    runtime: str | None = None,
    limit: int = 500,
) -> FunctionList:
    """List the functions in the context's region, optionally filtered, sorted by name."""
    check_runtime_filter(runtime)
    items = ctx.paginate("lambda", "list_functions", "Functions")
    rows = [
        _row(item)
        for item in items
        if (not name_prefix or str(item["FunctionName"]).startswith(name_prefix))
        and (not runtime or item.get("Runtime") == runtime)
    ]
    rows.sort(key=lambda row: row.name)
    return FunctionList(context=ctx.describe(), count=len(rows), functions=rows[:limit])


def check_runtime_filter(runtime: str | None) -> None:
    """Refuse a runtime filter that cannot be a Lambda runtime identifier (e.g. 'python3.12')."""
    if runtime and not _RUNTIME.match(runtime):
        raise InvalidInputError(
            f"'{runtime}' is not a Lambda runtime identifier. Use one such as 'python3.12', "
            "'nodejs22.x', 'java21', 'dotnet8', 'ruby3.4' or 'provided.al2023'."
        )


def parse_function_ref(reference: str) -> FunctionRef:
    """Parse a function name, full ARN or partial ARN; raise InvalidInputError otherwise."""
    text = reference.strip()
    if _NAME.match(text):
        return FunctionRef(name=text)
    short = _NAME_WITH_QUALIFIER.match(text)
    if short:
        return FunctionRef(name=short["name"], qualifier=short["qualifier"])
    for pattern in (_ARN, _PARTIAL_ARN):
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return FunctionRef(
                name=groups["name"],
                region=groups.get("region"),
                account=groups["account"],
                qualifier=groups.get("qualifier"),
            )
    if text.startswith("arn:"):
        raise InvalidInputError(
            f"'{reference}' is not a Lambda function ARN. Expected "
            "arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]."
        )
    raise InvalidInputError(
        f"'{reference}' is not a valid function name: use 1-64 letters, digits, '-' or '_', "
        "or a function ARN."
    )


def not_found_error(ctx: AwsContext, name: str) -> ResourceNotFoundError:
    """Return the error for a missing function, suggesting the closest names in the region."""
    try:
        names = [
            str(f["FunctionName"]) for f in ctx.paginate("lambda", "list_functions", "Functions")
        ]
    except ResourceNotFoundError:
        names = []
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return ResourceNotFoundError(
        f"Function '{name}' was not found in {ctx.region}.{hint} "
        "List functions with list_functions, or pass region= for another region.",
        code="ResourceNotFoundException",
        operation="GetFunction",
    )


def _row(item: JsonDict) -> FunctionRow:
    return FunctionRow(
        name=item["FunctionName"],
        arn=item["FunctionArn"],
        runtime=item.get("Runtime"),
        architecture=(item.get("Architectures") or ["x86_64"])[0],
        memory_mb=item.get("MemorySize", 128),
        timeout_s=item.get("Timeout", 3),
        code_size_bytes=item.get("CodeSize", 0),
        last_modified=item.get("LastModified", ""),
        tracing=(item.get("TracingConfig") or {}).get("Mode", "PassThrough"),
        package_type=item.get("PackageType", "Zip"),
    )
