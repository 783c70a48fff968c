"""apply_memory: a memory size (and an architecture switch only where safe) as one change."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.errors import InvalidInputError
from lambda_specialist.tools.audit_log import JsonLinesAuditStore
from lambda_specialist.tools.changes import ChangeRunner
from lambda_specialist.tools.memory_apply import ArchitectureCheck, apply_memory
from lambda_specialist.tools.packages import NativeCode, native_code
from tests.tools.write_support import account_state, stable


@pytest.fixture
def ctx(factory: ClientFactory) -> AwsContext:
    return factory.context()


@pytest.fixture
def runner(tmp_path: Path) -> ChangeRunner:
    return ChangeRunner(
        allow_writes=True, audit=JsonLinesAuditStore(tmp_path / "audit.jsonl"), sleep=lambda s: None
    )


def test_the_plan_sets_memory_size_only(ctx: AwsContext, runner: ChangeRunner) -> None:
    result = apply_memory(ctx, runner, function_name="pdf-renderer", memory_mb=1536)

    assert [(s.field, s.before, s.after) for s in result.plan.steps] == [("MemorySize", 1024, 1536)]
    assert (result.changed, result.memory_mb) == (False, 1024)


def test_applying_keeps_the_layers_and_the_rollback_restores_the_function(
    fresh_account: MockAccount, ctx: AwsContext, runner: ChangeRunner, tmp_path: Path
) -> None:
    before = account_state(ctx, "pdf-renderer")

    result = apply_memory(ctx, runner, function_name="pdf-renderer", memory_mb=1536, apply=True)
    changed = account_state(ctx, "pdf-renderer")
    runner.run(ctx, result.rollback, tool="rollback", apply=True)

    assert (result.changed, result.memory_mb, changed["config"]["MemorySize"]) == (
        True,
        1536,
        1536,
    )
    assert changed["config"]["Layers"] == before["config"]["Layers"]
    assert stable(account_state(ctx, "pdf-renderer")) == stable(before)
    assert len(JsonLinesAuditStore(tmp_path / "audit.jsonl").read()) == 2


@pytest.mark.parametrize("memory_mb", [127, 10241])
def test_a_memory_size_outside_lambdas_range_is_refused(
    ctx: AwsContext, runner: ChangeRunner, memory_mb: int
) -> None:
    with pytest.raises(InvalidInputError, match="128 to 10240"):
        apply_memory(ctx, runner, function_name="orders-api", memory_mb=memory_mb)


def test_a_layer_built_for_x86_only_blocks_the_switch_to_arm(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    result = apply_memory(
        ctx, runner, function_name="pdf-renderer", memory_mb=1024, architecture="arm64"
    )

    assert result.plan.steps == []
    assert result.architecture_check == ArchitectureCheck(
        target="arm64",
        status="unsafe",
        reason="Layers declared for other architectures only: "
        "arn:aws:lambda:us-east-1:123456789012:layer:shared-deps:1 (x86_64). "
        "Publish arm64 builds of them first.",
    )


def test_the_switch_is_not_verifiable_on_the_mock_and_not_planned(
    ctx: AwsContext, runner: ChangeRunner
) -> None:
    result = apply_memory(
        ctx, runner, function_name="orders-api", memory_mb=256, architecture="arm64"
    )

    assert [s.field for s in result.plan.steps] == ["MemorySize"]
    assert result.architecture_check is not None
    assert result.architecture_check.status == "not_verifiable"


def test_native_code_is_found_by_its_elf_header() -> None:
    elf_arm = b"\x7fELF" + bytes(14) + (0xB7).to_bytes(2, "little") + bytes(40)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(e, c): ...\n")
        archive.writestr("python/lib/_speedups.cpython-312.bin", elf_arm)
        archive.writestr("node_modules/x/build/addon.node", b"not elf")

    assert native_code(buffer.getvalue()) == [
        NativeCode("python/lib/_speedups.cpython-312.bin", "arm64"),
        NativeCode("node_modules/x/build/addon.node", "unknown"),
    ]
