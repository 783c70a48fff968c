"""A loopback fake of Slack's Web API and of response URLs, recording what the app posts."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Posted:
    """One request the app made."""

    path: str
    body: dict[str, Any]
    raw: bytes


@dataclass
class FakeSlack:
    """Serve on 127.0.0.1; ``posts`` lists every request received, in order."""

    posts: list[Posted] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def received(self, prefix: str) -> list[Posted]:
        with self._lock:
            return [p for p in self.posts if p.path.startswith(prefix)]

    def _record(self, path: str, raw: bytes, content_type: str) -> None:
        body: dict[str, Any] = {}
        if path.startswith("/upload/"):
            pass  # file bytes: kept in raw only
        elif "json" in content_type:
            body = json.loads(raw or b"{}")
        elif "form" in content_type:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with self._lock:
            self.posts.append(Posted(path=path, body=body, raw=raw))

    def _answer(self, path: str) -> dict[str, Any]:
        if path.endswith("files.getUploadURLExternal"):
            return {"ok": True, "upload_url": f"{self.url}/upload/F1", "file_id": "F1"}
        if path.endswith("files.completeUploadExternal"):
            return {"ok": True, "files": [{"id": "F1", "title": "result"}]}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake._record(self.path, raw, self.headers.get("Content-Type", ""))
                data = json.dumps(fake._answer(self.path)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        return Handler
