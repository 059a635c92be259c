"""A scripted HTTP server on 127.0.0.1 that misbehaves on purpose."""

from __future__ import annotations

import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultServer:
    """Answers each request with the next scripted behaviour (the last one repeats).

    Behaviours: ("ok", body), ("status", code, headers, body), ("reset",), ("sleep", seconds,
    body), ("truncate", body) — a Content-Length larger than the bytes sent.
    """

    def __init__(self, *script: tuple) -> None:
        self.script = deque(script)
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                step = server.script.popleft() if len(server.script) > 1 else server.script[0]
                kind = step[0]
                if kind == "reset":
                    self.connection.shutdown(2)
                    self.connection.close()
                    return
                if kind == "sleep":
                    time.sleep(step[1])
                    self._send(200, {}, step[2])
                elif kind == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(step[1]) * 2))
                    self.end_headers()
                    self.wfile.write(step[1])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                elif kind == "status":
                    self._send(step[1], step[2], step[3])
                else:
                    self._send(200, {}, step[1])

            def _send(self, code: int, headers: dict, body: bytes) -> None:
                self.send_response(code)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
