"""The bolt app: acknowledge /lambda at once, do the work in a lazy listener, answer in place.

The ack listener only parses the command: it makes no AWS call and runs no tool, so Slack
gets its answer well within three seconds. The lazy listener calls the tool through the same
MCP server the other surfaces use, and posts the result to the command's response URL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lambda_specialist.actor import current_actor
from lambda_specialist.errors import LambdaSpecialistError
from lambda_specialist.redaction import redact_text
from lambda_specialist.slack_app import blocks
from lambda_specialist.slack_app.commands import (
    SUBCOMMANDS,
    Command,
    CommandError,
    general_usage,
    parse_command,
)
from lambda_specialist.slack_app.pending import (
    DEFAULT_TTL_S,
    DynamoPlanStore,
    PendingPlan,
    PlanStore,
    SqlitePlanStore,
    new_plan_id,
)

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from slack_bolt import App
    from slack_sdk import WebClient

    from lambda_specialist.config import Settings

__all__ = ["SlackSurface", "build_slack_app"]

logger = logging.getLogger(__name__)

_NEXT_ACTIONS = {
    "lambda_next_memory": "memory",
    "lambda_next_tracing": "tracing",
    "lambda_next_coldstarts": "coldstarts",
}


class SlackSurface:
    """What the listeners share: the MCP server that runs tools and the tool names it has."""

    def __init__(self, settings: Settings, server: MCPServer, plans: PlanStore) -> None:
        self.settings = settings
        self.server = server
        self.plans = plans
        self.available = {t.name for t in asyncio.run(server.list_tools())}

    def parse(self, text: str) -> Command | None:
        """Parse a command against the tools this server has."""
        return parse_command(text, self.available)

    def answer(
        self, command: Command, *, user: str = "", channel: str | None = None
    ) -> blocks.Message:
        """Run the command's tool and build the message (errors become messages too)."""
        arguments = dict(command.arguments)
        if command.subcommand.tool == "suggest_memory":
            # The chart is uploaded beside the answer: ask the tool to write it to a file.
            handle, chart = tempfile.mkstemp(prefix="memory-", suffix=".png")
            os.close(handle)
            arguments["chart_path"] = chart
        result = self._call(command.subcommand.tool, arguments)
        if isinstance(result, blocks.Message):
            if "chart_path" in arguments:
                Path(str(arguments["chart_path"])).unlink(missing_ok=True)
            return result
        if command.subcommand.is_write:
            return _redacted(self._plan(command, result, user=user, channel=channel))
        message = _redacted(blocks.render(command.subcommand.tool, result))
        chart_file = result.get("chart_file")
        return replace(message, image_path=str(chart_file)) if chart_file else message

    def _call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any] | blocks.Message:
        from lambda_specialist.server.direct import call_tool_directly

        try:
            return asyncio.run(call_tool_directly(self.server, tool, arguments))
        except LambdaSpecialistError as exc:
            return blocks.error_message(redact_text(str(exc)))
        except Exception:
            logger.exception("slack: %s failed unexpectedly", tool)
            return blocks.error_message(
                "Something went wrong on our side; the error is in the server's log."
            )

    def _plan(
        self, command: Command, result: dict[str, Any], *, user: str, channel: str | None
    ) -> blocks.Message:
        steps = _step_keys(result)
        plan_id = new_plan_id() if steps else None
        if plan_id:
            self.plans.put(
                PendingPlan(
                    id=plan_id,
                    tool=command.subcommand.tool,
                    arguments=dict(command.arguments),
                    steps=steps,
                    requested_by=user,
                    channel=channel,
                    expires_at=time.time() + DEFAULT_TTL_S,
                )
            )
        return blocks.plan_message(
            command.subcommand.tool, result, plan_id, target=command.target or ""
        )

    def apply(self, plan_id: str, user: str) -> blocks.Message:
        """Apply a stored plan for ``user``: allow-list, expiry and current state checked first."""
        if user not in self.settings.slack_appliers:
            return blocks.notice(blocks.NOT_ALLOWED)
        pending = self.plans.take(plan_id)
        if pending is None or pending.is_expired():
            return blocks.notice(blocks.PLAN_GONE)
        fresh = self._call(pending.tool, dict(pending.arguments))
        if isinstance(fresh, blocks.Message):
            return fresh
        if _step_keys(fresh) != pending.steps:
            return blocks.notice(blocks.STATE_CHANGED)
        token = current_actor.set(f"slack:{user}")
        try:
            applied = self._call(pending.tool, {**pending.arguments, "apply": True})
        finally:
            current_actor.reset(token)
        if isinstance(applied, blocks.Message):
            return applied
        return _redacted(blocks.applied_message(applied, user))

    def cancel(self, plan_id: str, user: str) -> blocks.Message:
        """Forget a stored plan."""
        self.plans.take(plan_id)
        return blocks.cancelled(user)

    def ack_command(self, ack: Any, command: dict[str, Any]) -> None:
        """Answer within Slack's three seconds: usage, help, or 'working on it'."""
        text = command.get("text", "")
        try:
            parsed = self.parse(text)
        except CommandError as exc:
            message = blocks.usage_message(str(exc), exc.usage)
            ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
            return
        if parsed is None:
            message = blocks.help_message(general_usage(self.available))
            ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
            return
        ack(response_type="ephemeral", text=blocks.working_on(text))

    def run_command(self, respond: Any, command: dict[str, Any], client: Any) -> None:
        """The slow part, after the ack: run the tool and post the answer."""
        try:
            parsed = self.parse(command.get("text", ""))
        except CommandError:
            return
        if parsed is not None:
            channel = command.get("channel_id")
            message = self.answer(parsed, user=command.get("user_id", ""), channel=channel)
            _post(respond, client, channel, message)

    def run_apply(
        self, respond: Any, body: dict[str, Any], action: dict[str, Any], client: Any
    ) -> None:
        """Apply the plan behind the button, then answer in the plan's thread."""
        user = (body.get("user") or {}).get("id", "")
        message = self.apply(str(action.get("value", "")), user)
        _reply(respond, client, body, message)

    def run_cancel(
        self, respond: Any, body: dict[str, Any], action: dict[str, Any], client: Any
    ) -> None:
        """Drop the plan behind the button."""
        user = (body.get("user") or {}).get("id", "")
        _reply(respond, client, body, self.cancel(str(action.get("value", "")), user))

    def ack_action(self, ack: Any) -> None:
        """Acknowledge a button press at once."""
        ack()

    def run_action(
        self, respond: Any, body: dict[str, Any], action: dict[str, Any], client: Any
    ) -> None:
        """Run the next step a button names (memory, tracing plan, cold starts)."""
        sub = SUBCOMMANDS[_NEXT_ACTIONS[action["action_id"]]]
        if sub.tool not in self.available:
            return
        command = Command(subcommand=sub, arguments={"function_name": action.get("value", "")})
        channel = (body.get("channel") or {}).get("id")
        _post(respond, client, channel, self.answer(command))


def build_slack_app(
    settings: Settings,
    *,
    server: MCPServer | None = None,
    client: WebClient | None = None,
    process_before_response: bool = False,
) -> App:
    """Return the bolt app answering /lambda and its buttons."""
    from slack_bolt import App
    from slack_sdk import WebClient

    from lambda_specialist.server.app import build_server

    signing = settings.slack_signing_secret
    token = settings.slack_bot_token
    if signing is None:
        raise LambdaSpecialistError(
            "LAMBDA_SPECIALIST_SLACK_SIGNING_SECRET is not set: copy the signing secret from "
            "your Slack app's Basic Information page."
        )
    if token is None and client is None:
        raise LambdaSpecialistError(
            "LAMBDA_SPECIALIST_SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token "
            "(xoxb-...) from your Slack app's OAuth & Permissions page."
        )
    web = client or WebClient(
        token=token.get_secret_value() if token else None,
        base_url=settings.slack_api_url or "https://slack.com/api/",
    )
    app = App(
        signing_secret=signing.get_secret_value(),
        client=web,
        token_verification_enabled=False,
        process_before_response=process_before_response,
        logger=logging.getLogger("lambda_specialist.slack_app.bolt"),
    )
    surface = SlackSurface(settings, server or build_server(settings), _plan_store(settings))
    _register(app, surface)
    return app


def _register(app: App, surface: SlackSurface) -> None:
    app.command("/lambda")(ack=surface.ack_command, lazy=[surface.run_command])
    for action_id in _NEXT_ACTIONS:
        app.action(action_id)(ack=surface.ack_action, lazy=[surface.run_action])
    app.action("lambda_apply")(ack=surface.ack_action, lazy=[surface.run_apply])
    app.action("lambda_cancel")(ack=surface.ack_action, lazy=[surface.run_cancel])


def _plan_store(settings: Settings) -> PlanStore:
    if settings.store_table:
        from lambda_specialist.aws.context import ClientFactory

        return DynamoPlanStore(ClientFactory(settings).context(), settings.store_table)
    return SqlitePlanStore(settings.plan_store)


def _step_keys(result: dict[str, Any]) -> list[dict[str, Any]]:
    """What a plan must still be when applied: each step's resource, field and values."""
    return [
        {k: step.get(k) for k in ("resource", "field", "before", "after")}
        for step in (result.get("plan") or {}).get("steps", [])
    ]


def _post(respond: Any, client: Any, channel: str | None, message: blocks.Message) -> None:
    respond(
        response_type="ephemeral" if message.ephemeral else "in_channel",
        text=message.text,
        blocks=message.blocks,
        replace_original=False,
    )
    if message.image_path and channel:
        try:
            client.files_upload_v2(
                channel=channel,
                file=message.image_path,
                filename="memory-chart.png",
                initial_comment="Cost and duration against memory.",
            )
        except Exception as exc:  # the answer went out; the chart is a bonus
            logger.warning("slack: could not upload the chart: %s", type(exc).__name__)
        finally:
            Path(message.image_path).unlink(missing_ok=True)
    if message.file_content and channel:
        try:
            client.files_upload_v2(
                channel=channel,
                filename=message.file_name,
                content=message.file_content,
                initial_comment="The full result.",
            )
        except Exception as exc:  # the message itself went out; the file is a bonus
            logger.warning("slack: could not attach %s: %s", message.file_name, type(exc).__name__)


def _reply(respond: Any, client: Any, body: dict[str, Any], message: blocks.Message) -> None:
    """Ephemeral notices to the presser; results in the thread of the plan message."""
    channel = (body.get("channel") or {}).get("id")
    thread = (body.get("container") or {}).get("message_ts")
    if message.ephemeral or not (channel and thread):
        respond(
            response_type="ephemeral" if message.ephemeral else "in_channel",
            text=message.text,
            blocks=message.blocks,
            replace_original=False,
        )
        return
    client.chat_postMessage(
        channel=channel, thread_ts=thread, text=message.text, blocks=message.blocks
    )


def _redacted(message: blocks.Message) -> blocks.Message:
    cleaned = json.loads(redact_text(json.dumps(message.blocks)))
    content = redact_text(message.file_content) if message.file_content else None
    return replace(message, text=redact_text(message.text), blocks=cleaned, file_content=content)
