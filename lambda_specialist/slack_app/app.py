"""The bolt app: acknowledge /lambda at once, do the work in a lazy listener, answer in place.

The ack listener only parses the command: it makes no AWS call and runs no tool, so Slack
gets its answer well within three seconds. The lazy listener calls the tool through the same
MCP server the other surfaces use, and posts the result to the command's response URL.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

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

    def __init__(self, settings: Settings, server: MCPServer) -> None:
        self.settings = settings
        self.server = server
        self.available = {t.name for t in asyncio.run(server.list_tools())}

    def parse(self, text: str) -> Command | None:
        """Parse a command against the tools this server has."""
        return parse_command(text, self.available)

    def answer(self, command: Command) -> blocks.Message:
        """Run the command's tool and build the message (errors become messages too)."""
        from lambda_specialist.server.direct import call_tool_directly

        try:
            result = asyncio.run(
                call_tool_directly(self.server, command.subcommand.tool, dict(command.arguments))
            )
        except LambdaSpecialistError as exc:
            return blocks.error_message(redact_text(str(exc)))
        except Exception:
            logger.exception("slack: %s failed unexpectedly", command.subcommand.tool)
            return blocks.error_message(
                "Something went wrong on our side; the error is in the server's log."
            )
        return _redacted(blocks.render(command.subcommand.tool, result))

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
            _post(respond, client, command.get("channel_id"), self.answer(parsed))

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
    surface = SlackSurface(settings, server or build_server(settings))
    _register(app, surface)
    return app


def _register(app: App, surface: SlackSurface) -> None:
    app.command("/lambda")(ack=surface.ack_command, lazy=[surface.run_command])
    for action_id in _NEXT_ACTIONS:
        app.action(action_id)(ack=surface.ack_action, lazy=[surface.run_action])


def _post(respond: Any, client: Any, channel: str | None, message: blocks.Message) -> None:
    respond(
        response_type="ephemeral" if message.ephemeral else "in_channel",
        text=message.text,
        blocks=message.blocks,
        replace_original=False,
    )
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


def _redacted(message: blocks.Message) -> blocks.Message:
    cleaned = json.loads(redact_text(json.dumps(message.blocks)))
    content = redact_text(message.file_content) if message.file_content else None
    return replace(message, text=redact_text(message.text), blocks=cleaned, file_content=content)
