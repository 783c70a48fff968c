"""Serve MCP over streamable HTTP with a bearer token and DNS-rebinding protection."""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from lambda_specialist.errors import InvalidInputError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from pydantic import SecretStr

__all__ = ["BearerTokenMiddleware", "build_http_app", "is_loopback", "serve_http"]

logger = logging.getLogger(__name__)

ASGIApp = Any


class BearerTokenMiddleware:
    """Reject HTTP requests without ``Authorization: Bearer <token>`` (constant-time compare)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Pass lifespan through; answer 401 to HTTP requests without the right token."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, credentials = supplied.partition(b" ")
        # The scheme is case-insensitive (RFC 9110); the token is compared in constant time.
        if scheme.lower() != b"bearer" or not hmac.compare_digest(credentials, self._token):
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b'Bearer realm="lambda-specialist"'),
                    ],
                }
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": b'{"error": "missing or invalid bearer token"}',
                }
            )
            return
        await self.app(scope, receive, send)


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_http_app(
    server: MCPServer,
    *,
    host: str,
    token: SecretStr | None,
    stateless: bool = False,
    allowed_hosts: list[str] | None = None,
) -> ASGIApp:
    """Return the ASGI app serving MCP at /mcp, refusing an open non-loopback bind."""
    from mcp.server.transport_security import TransportSecuritySettings

    if not is_loopback(host) and token is None:
        raise InvalidInputError(
            f"Refusing to serve on {host} without a bearer token: set "
            "LAMBDA_SPECIALIST_HTTP_TOKEN, or bind to 127.0.0.1."
        )
    hosts = allowed_hosts or ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    if not is_loopback(host) and not allowed_hosts:
        hosts = [*hosts, f"{host}:*"]
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=hosts,
        allowed_origins=[f"http://{h}" for h in hosts] + [f"https://{h}" for h in hosts],
    )
    app = server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        json_response=stateless,
        transport_security=security,
        host=host,
    )
    if token is not None:
        return BearerTokenMiddleware(app, token.get_secret_value())
    return app


def serve_http(app: ASGIApp, *, host: str, port: int) -> None:
    """Run ``app`` under uvicorn until interrupted."""
    import uvicorn

    logger.info("http: serving MCP at http://%s:%d/mcp", host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning")
