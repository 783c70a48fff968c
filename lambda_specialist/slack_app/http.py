"""Serve the Slack app over HTTP at /slack/events (self-hosted)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App

__all__ = ["build_asgi_app", "serve_slack"]

logger = logging.getLogger(__name__)


def build_asgi_app(app: App) -> Any:
    """Return a Starlette app: POST /slack/events for Slack, GET /healthz for probes."""
    from slack_bolt.adapter.starlette import SlackRequestHandler
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    handler = SlackRequestHandler(app)

    async def events(request: Request) -> Response:
        response: Response = await handler.handle(request)
        return response

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )


def serve_slack(app: App, *, host: str, port: int) -> None:
    """Run the Slack app under uvicorn until interrupted."""
    import uvicorn

    logger.info("slack: serving at http://%s:%d/slack/events", host, port)
    uvicorn.run(build_asgi_app(app), host=host, port=port, log_level="warning")
