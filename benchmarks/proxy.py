"""A loopback HTTP proxy in front of the mock account that delays (and can fail) AWS calls.

Used by the benchmarks and reused by tests: every request is forwarded to the upstream
endpoint after ``delay`` seconds; a share of requests can be answered with Lambda's throttling
error or a server error instead. It listens on 127.0.0.1 only and counts what it did.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

__all__ = ["FaultPlan", "FaultProxy"]

_THROTTLE_BODY = (
    b'{"Type":"User","message":"Rate exceeded","__type":"TooManyRequestsException",'
    b'"Reason":"CallerRateLimitExceeded"}'
)
_SERVER_ERROR_BODY = b'{"__type":"ServiceException","message":"Internal error"}'


@dataclass
class FaultPlan:
    """What the proxy does to each request: delay, and shares of throttles and server errors."""

    delay: float = 0.0
    throttle_share: float = 0.0
    server_error_share: float = 0.0
    seed: int = 7


@dataclass
class ProxyCounts:
    """What the proxy has done so far."""

    forwarded: int = 0
    throttled: int = 0
    server_errors: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def span(self, started: float, ended: float) -> None:
        """Record when one request arrived and when its answer was sent."""
        with self.lock:
            self.spans.append((started, ended))

    def add(self, name: str) -> None:
        """Count one request of kind ``name``."""
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)


class FaultProxy:
    """Run the proxy in a thread: ``with FaultProxy(upstream, FaultPlan(delay=0.05)) as p``."""

    def __init__(self, upstream: str, plan: FaultPlan) -> None:
        self.upstream = upstream.rstrip("/")
        self.plan = plan
        self.counts = ProxyCounts()
        self._random = random.Random(plan.seed)
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=64))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The proxy's endpoint URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()

    def _draw(self) -> str:
        with self._lock:
            roll = self._random.random()
        if roll < self.plan.throttle_share:
            return "throttled"
        if roll < self.plan.throttle_share + self.plan.server_error_share:
            return "server_errors"
        return "forwarded"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _relay(self) -> None:
                started = time.perf_counter()
                try:
                    self._forward()
                finally:
                    proxy.counts.span(started, time.perf_counter())

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if proxy.plan.delay:
                    time.sleep(proxy.plan.delay)
                outcome = proxy._draw()
                proxy.counts.add(outcome)
                if outcome == "throttled":
                    self._answer(
                        429, _THROTTLE_BODY, {"x-amzn-ErrorType": "TooManyRequestsException"}
                    )
                    return
                if outcome == "server_errors":
                    self._answer(500, _SERVER_ERROR_BODY, {"x-amzn-ErrorType": "ServiceException"})
                    return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in {"host", "content-length", "connection"}
                }
                upstream = proxy._client.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body
                )
                self._answer(upstream.status_code, upstream.content, dict(upstream.headers))

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                skip = {"content-length", "transfer-encoding", "connection", "content-encoding"}
                sent = {k.lower(): v for k, v in headers.items() if k.lower() not in skip}
                sent.setdefault("content-type", "application/json")
                for key, value in sent.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _relay

        return Handler
