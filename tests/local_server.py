"""A local HTTP server on 127.0.0.1 for the tracking tests, well-behaved or hostile by route.

``routes[path] = Route(...)``: a body (bytes, or a function returning an iterator of blocks: an endless stream), a
status, extra headers, and whether to declare Content-Length (``length``: True = the body's, an int = that, False =
none, the connection closes at the end). ``/stall...`` waits longer than the tests' timeouts. ``hits`` records
``METHOD path`` of each request.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes | Callable[[], Iterator[bytes]] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    length: bool | int = True


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    headers_extra: dict[str, str] = {}
    hits: list[str] = []
    protocol_version = "HTTP/1.1"

    def _answer(self, body: bool):
        type(self).hits.append(f"{self.command} {self.path}")
        if self.path.startswith("/stall"):
            time.sleep(3)  # longer than the tests' timeout; bounded so the server stops by itself
            self.close_connection = True
            return
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        self.send_response(route.status)
        payload = route.body if isinstance(route.body, bytes) else None
        if route.length is True and payload is not None:
            self.send_header("Content-Length", str(len(payload)))
        elif isinstance(route.length, int) and route.length is not False:
            self.send_header("Content-Length", str(route.length))
        else:
            self.close_connection = True
        for key, value in {**self.headers_extra, **route.headers}.items():
            self.send_header(key, value)
        self.end_headers()
        if not body or 300 <= route.status < 400:
            return
        try:
            for block in [payload] if payload is not None else route.body():
                self.wfile.write(block)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (as it should, at its limit)
        if payload is not None and route.length not in (True, len(payload)):
            self.close_connection = True

    def do_GET(self):  # noqa: N802 (http.server API)
        self._answer(True)

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A client that gives up mid-response (the point of several tests) resets the connection; the server says nothing
    about it, so its traceback cannot land in the output a test reads."""

    def handle_error(self, request, client_address) -> None:
        pass


def start() -> tuple[str, http.server.ThreadingHTTPServer]:
    Handler.routes, Handler.headers_extra, Handler.hits = {}, {}, []
    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd
