"""HTTP servers on 127.0.0.1 for tests: ``LoopbackServer`` (the socket, the thread, the reply)
and ``FaultServer``, which misbehaves on purpose."""

from __future__ import annotations

import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def send(handler: BaseHTTPRequestHandler, code: int, headers: dict, body: bytes) -> None:
    handler.send_response(code)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class LoopbackServer:
    """A threaded HTTP server on a free loopback port; ``answer`` replies to each GET."""

    def __init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FaultServer(LoopbackServer):
    """Answers each request with the next scripted behaviour (the last one repeats).

    Behaviours: ("ok", body), ("status", code, headers, body), ("reset",), ("sleep", seconds,
    body), ("truncate", body) — a Content-Length larger than the bytes sent.
    """

    def __init__(self, *script: tuple) -> None:
        super().__init__()
        self.script = deque(script)
        self.requests: list[tuple[str, dict]] = []

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append((handler.path, dict(handler.headers)))
        step = self.script.popleft() if len(self.script) > 1 else self.script[0]
        kind = step[0]
        if kind == "reset":
            handler.connection.shutdown(2)
            handler.connection.close()
            return
        if kind == "sleep":
            time.sleep(step[1])
            send(handler, 200, {}, step[2])
        elif kind == "truncate":
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(step[1]) * 2))
            handler.end_headers()
            handler.wfile.write(step[1])
            handler.wfile.flush()
            handler.connection.shutdown(2)
        elif kind == "status":
            send(handler, step[1], step[2], step[3])
        else:
            send(handler, 200, {}, step[1])
