"""The command line: serve, demo, call, tools.

Exit codes: 0 success; 1 a domain error (one line on stderr: what was wrong, what to do);
2 a usage error (unknown tool, arguments that are not valid JSON or fail the tool's schema).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from lambda_specialist import __version__
from lambda_specialist.config import Settings
from lambda_specialist.redaction import RedactingFilter, redact_text, register_secrets

__all__ = ["main"]

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_DOMAIN, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line itself is wrong."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"lambda-specialist: {_one_line(redact_text(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from lambda_specialist.errors import LambdaSpecialistError

        if isinstance(exc, LambdaSpecialistError):
            print(f"lambda-specialist: {_one_line(redact_text(str(exc)))}", file=sys.stderr)
            return EXIT_DOMAIN
        raise


def _one_line(text: str) -> str:
    """Escape control characters, so an error stays one line whatever the input held."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lambda-specialist",
        description="An AWS Lambda specialist over MCP, Slack and the command line.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="Log to stderr (-v info, -vv debug)."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Run the MCP server (stdio by default).")
    _account_options(serve)
    serve.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP bind address.")
    serve.add_argument("--port", type=_port, default=8000, help="HTTP port.")
    serve.add_argument(
        "--stateless", action="store_true", help="HTTP without sessions (for serverless hosting)."
    )
    serve.set_defaults(handler=_serve)

    call = commands.add_parser("call", help="Call one tool and print its result.")
    call.add_argument("tool", help="Tool name, e.g. inspect_function.")
    call.add_argument("--args", default="{}", help="Tool arguments as a JSON object.")
    call.add_argument("--json", action="store_true", help="Print the structured result as JSON.")
    _account_options(call)
    call.set_defaults(handler=_call)

    tools = commands.add_parser("tools", help="List the tools with their schemas.")
    tools.add_argument("--json", action="store_true", help='Print {"tools": [...]} as JSON.')
    tools.set_defaults(handler=_tools)

    slack = commands.add_parser("slack", help="Serve the Slack app's requests at /slack/events.")
    _account_options(slack)
    slack.add_argument("--host", default="127.0.0.1", help="Bind address.")
    slack.add_argument("--port", type=_port, default=3000, help="Port.")
    slack.set_defaults(handler=_slack)

    demo = commands.add_parser(
        "demo", help="Start the mock account and drive the MCP server over stdio like an IDE."
    )
    demo.add_argument("--region", default="us-east-1")
    demo.set_defaults(handler=_demo)
    return parser


def _port(text: str) -> int:
    """A TCP port number, for argparse."""
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: use a number from 1 to 65535")
    return int(text)


def _account_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mock",
        action="store_true",
        default=None,
        help="Use a freshly seeded embedded mock account.",
    )
    parser.add_argument("--profile", help="AWS profile (default: the boto3 credential chain).")
    parser.add_argument("--region", help="AWS region (default: the profile's).")
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        default=None,
        help="Allow tools to apply changes when a call asks for it.",
    )


def _settings(args: argparse.Namespace) -> Settings:
    explicit = {
        key: value
        for key, value in (
            ("profile", args.profile),
            ("region", args.region),
            ("mock", args.mock),
            ("allow_writes", args.allow_writes),
        )
        if value is not None
    }
    settings = Settings(**explicit)
    secrets = (settings.http_token, settings.slack_signing_secret, settings.slack_bot_token)
    register_secrets(s.get_secret_value() for s in secrets if s is not None)
    return settings


@contextmanager
def _account(settings: Settings) -> Iterator[Settings]:
    """Yield settings for the account to use, starting a seeded mock account when asked."""
    if not settings.mock or settings.endpoint_url:
        yield settings
        return
    from lambda_specialist.demo.server import start_seeded

    account = start_seeded(settings.region or "us-east-1")
    try:
        yield settings.model_copy(
            update={"endpoint_url": account.endpoint_url, "region": account.region}
        )
    finally:
        account.stop()


def _serve(args: argparse.Namespace) -> int:
    from lambda_specialist.server.app import build_server

    settings = _settings(args)
    with _account(settings) as active:
        server = build_server(active)
        _filter_all_handlers()
        if args.transport == "stdio":
            server.run("stdio")
            return EXIT_OK
        from lambda_specialist.server.http import build_http_app, serve_http

        app = build_http_app(
            server, host=args.host, token=active.http_token, stateless=args.stateless
        )
        print(f"lambda-specialist: MCP at http://{args.host}:{args.port}/mcp", file=sys.stderr)
        serve_http(app, host=args.host, port=args.port)
    return EXIT_OK


def _call(args: argparse.Namespace) -> int:
    try:
        arguments = json.loads(args.args)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--args is not valid JSON ({exc.msg} at line {exc.lineno} column "
            f"{exc.colno}). Pass a JSON object, e.g. --args "
            '\'{"function_name": "orders-api"}\'.'
        ) from exc
    if not isinstance(arguments, dict):
        raise UsageError('--args must be a JSON object, e.g. \'{"function_name": "orders-api"}\'.')
    settings = _settings(args)
    with _account(settings) as active:
        result = asyncio.run(_call_tool(active, args.tool, arguments))
    if args.json:
        print(redact_text(json.dumps(result, indent=2, default=str)))
    else:
        from lambda_specialist.render import render_result

        render_result(args.tool, result)
    return EXIT_OK


async def _call_tool(settings: Settings, name: str, arguments: dict[str, Any]) -> Any:
    from lambda_specialist.server.app import build_server
    from lambda_specialist.server.direct import (
        ToolArgumentsError,
        UnknownToolError,
        call_tool_directly,
    )

    try:
        return await call_tool_directly(build_server(settings), name, arguments)
    except (UnknownToolError, ToolArgumentsError) as exc:
        raise UsageError(str(exc)) from None


def _tools(args: argparse.Namespace) -> int:
    from lambda_specialist.server.app import build_server

    server = build_server(Settings())
    tools = asyncio.run(server.list_tools())
    listing = [
        {
            "name": tool.name,
            "title": tool.title,
            "description": tool.description,
            "input_schema": tool.input_schema,
            "output_schema": tool.output_schema,
            "annotations": tool.annotations.model_dump(by_alias=True, exclude_none=True)
            if tool.annotations
            else None,
        }
        for tool in tools
    ]
    if args.json:
        print(json.dumps({"tools": listing}, indent=2))
    else:
        from lambda_specialist.render import render_tools

        render_tools(listing)
    return EXIT_OK


def _slack(args: argparse.Namespace) -> int:
    from lambda_specialist.slack_app.app import build_slack_app
    from lambda_specialist.slack_app.http import serve_slack

    settings = _settings(args)
    with _account(settings) as active:
        app = build_slack_app(active)
        _filter_all_handlers()
        print(
            f"lambda-specialist: Slack requests at http://{args.host}:{args.port}/slack/events",
            file=sys.stderr,
        )
        serve_slack(app, host=args.host, port=args.port)
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from lambda_specialist.walkthrough import run_walkthrough

    return run_walkthrough(region=args.region)


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("werkzeug", "botocore", "urllib3", "httpx", "mcp", "slack_bolt", "slack_sdk"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _filter_all_handlers() -> None:
    """Make every handler installed so far (ours and the SDK's) redact secrets."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


if __name__ == "__main__":
    sys.exit(main())
