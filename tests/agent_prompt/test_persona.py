"""The specialist persona: it loads, and it covers the tools and the use cases it promises."""

import anyio
import pytest

from lambda_specialist.agent_prompt import PERSONA_PROMPT_NAME, load_persona
from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server

AVAILABLE_TOOLS = [
    "list_functions",
    "inspect_function",
    "audit_account",
    "suggest_memory",
    "analyze_cold_starts",
    "enable_tracing",
    "disable_tracing",
    "apply_memory",
    "generate_layer",
    "inspect_layer",
    "diff_iam_policy",
]
WRITE_TOOLS = ["enable_tracing", "disable_tracing", "apply_memory"]
LATER_TOOLS = [
    "configure_event_source",
    "estimate_cost",
    "scaffold_pattern",
]
USE_CASE_HEADINGS = [
    "Cold starts of a latency-sensitive API",
    "DynamoDB Streams processing with error handling",
    "Layers for shared dependencies",
    "Fan-out with SNS and several functions",
    "Cost-efficient batch processing with S3 events",
    "X-Ray tracing for distributed debugging",
]


def test_persona_loads_as_markdown_with_a_title() -> None:
    persona = load_persona()

    assert persona.startswith("# AWS Lambda specialist\n")


def test_persona_is_read_once_per_process() -> None:
    assert load_persona() is load_persona()


def test_persona_prompt_name_is_the_public_name() -> None:
    assert PERSONA_PROMPT_NAME == "lambda_specialist"


@pytest.mark.parametrize("tool", AVAILABLE_TOOLS + LATER_TOOLS)
def test_persona_names_each_tool(tool: str) -> None:
    assert f"`{tool}`" in load_persona()


def test_persona_marks_later_tools_as_not_yet_available() -> None:
    persona = load_persona()
    later_section = persona.index("When available")

    assert all(persona.index(f"`{tool}`") > later_section for tool in LATER_TOOLS)
    assert all(persona.index(f"`{tool}`") < later_section for tool in AVAILABLE_TOOLS)


@pytest.mark.parametrize("heading", USE_CASE_HEADINGS)
def test_persona_has_a_playbook_for_each_use_case(heading: str) -> None:
    assert f"**{heading}.**" in load_persona()


def test_persona_applies_writes_only_after_a_plan() -> None:
    persona = load_persona()

    assert "read-only by default" in persona
    assert "`apply=true`" in persona
    assert "explicitly asked for this change to be applied" in persona


@pytest.mark.parametrize("tool", WRITE_TOOLS)
def test_persona_names_each_write_tool_under_changes_to_the_account(tool: str) -> None:
    persona = load_persona()
    changes = persona[persona.index("## Changes to the account") : persona.index("## Secrets")]

    assert f"`{tool}`" in changes


def test_persona_lists_as_available_exactly_the_tools_the_server_registers() -> None:
    async def registered() -> set[str]:
        return {t.name for t in await build_server(Settings()).list_tools()}

    tools = anyio.run(registered)

    assert set(AVAILABLE_TOOLS) == tools
    assert not set(LATER_TOOLS) & tools


def test_persona_forbids_revealing_secret_values() -> None:
    assert "Never reveal secret values" in load_persona()
