"""Fixtures for the embedded mock account's tests.

They build on the session's ``mock_account`` (one moto server per test process, seeded once).
Tests that change the account put it back the way they found it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo.resources import code_package
from lambda_specialist.demo.server import MockAccount

PROBE_ROLE = "shim-probe-role"
PROBE_FUNCTIONS = ("shim-probe-alpha", "shim-probe-beta")


@dataclass
class Captured:
    """What was written to stdout while capturing, at the file-descriptor and sys level."""

    text: str = ""


@contextlib.contextmanager
def captured_stdout() -> Iterator[Captured]:
    """Capture everything written to stdout (fd 1 and ``sys.stdout``) inside the block."""
    captured = Captured()
    sys.stdout.flush()
    saved_fd = os.dup(1)
    saved_sys = sys.stdout
    buffer = io.StringIO()
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        sys.stdout = buffer
        try:
            yield captured
        finally:
            sys.stdout = saved_sys
            os.dup2(saved_fd, 1)
            os.close(saved_fd)
            sink.seek(0)
            captured.text = sink.read().decode(errors="replace") + buffer.getvalue()


@pytest.fixture(scope="session")
def stdout_capture() -> Callable[[], contextlib.AbstractContextManager[Captured]]:
    """The ``captured_stdout`` context manager, for fixtures of any scope."""
    return captured_stdout


@pytest.fixture
def ctx(mock_account: MockAccount) -> AwsContext:
    """An AWS context on the seeded mock account."""
    return mock_account.context()


@pytest.fixture(scope="module")
def probe_functions(mock_account: MockAccount) -> Iterator[tuple[str, ...]]:
    """Two extra functions (and their role) in the seeded account, deleted afterwards."""
    ctx = mock_account.context()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = ctx.call(
        "iam", "create_role", RoleName=PROBE_ROLE, AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    for name in PROBE_FUNCTIONS:
        ctx.call(
            "lambda",
            "create_function",
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": code_package("app.handler", "python3.12")},
        )
    yield PROBE_FUNCTIONS
    for name in PROBE_FUNCTIONS:
        ctx.call("lambda", "delete_function", FunctionName=name)
    ctx.call("iam", "delete_role", RoleName=PROBE_ROLE)
