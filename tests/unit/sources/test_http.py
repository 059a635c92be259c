"""PoliteClient (retries, backoff, User-Agent) and RateLimiter (shared lock file)."""

from __future__ import annotations

import email.utils
import itertools
import json
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from orchestration.settings import PROJECT_ROOT
from orchestration.sources import http as http_module
from orchestration.sources.http import FetchError, PoliteClient, RateLimiter
from orchestration.sources.sec_company_facts.api import InvalidPayload, validate_company_facts

URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK0001045810.json"
UA = "aicapex tests test@example.com"
GOOD_BODY = b'{"cik": 1045810, "entityName": "NVIDIA CORP", "facts": {}}'

Step = httpx.Response | BaseException


class Script:
    """A MockTransport handler that plays one step per request and records the requests."""

    def __init__(self, *steps: Step, repeat_last: bool = False) -> None:
        self.steps = list(steps)
        self.repeat_last = repeat_last
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = len(self.requests) - 1
        if index >= len(self.steps):
            if not self.repeat_last:
                raise AssertionError(f"unexpected request #{index + 1} to {request.url}")
            index = len(self.steps) - 1
        step = self.steps[index]
        if isinstance(step, BaseException):
            raise step
        return step


class CountingLimiter:
    """Stands in for RateLimiter where only the number of acquisitions matters."""

    def __init__(self) -> None:
        self.calls = 0

    def acquire(self) -> None:
        self.calls += 1


def make_client(
    script: Callable[[httpx.Request], httpx.Response], **kwargs
) -> tuple[PoliteClient, list[float]]:
    sleeps: list[float] = []
    kwargs.setdefault("limiter", CountingLimiter())
    client = PoliteClient(
        user_agent=UA, transport=httpx.MockTransport(script), sleep=sleeps.append, **kwargs
    )
    return client, sleeps


def ok(body: bytes = GOOD_BODY) -> httpx.Response:
    return httpx.Response(200, content=body)


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, headers=headers, content=b"error")


# --- PoliteClient: success and headers ---------------------------------------------------


def test_get_returns_body_and_sends_declared_user_agent() -> None:
    script = Script(ok())
    client, sleeps = make_client(script)

    assert client.get(URL) == GOOD_BODY

    assert len(script.requests) == 1
    request = script.requests[0]
    assert str(request.url) == URL
    assert request.method == "GET"
    assert request.headers["User-Agent"] == UA
    assert sleeps == []
    assert client.attempts_log == [f"{URL} 200"]


def test_each_attempt_acquires_the_rate_limiter_once() -> None:
    limiter = CountingLimiter()
    script = Script(status(503), status(500), ok())
    client, _ = make_client(script, limiter=limiter)

    client.get(URL)

    assert limiter.calls == len(script.requests) == 3


# --- retries on 429 / 5xx ------------------------------------------------------------------


def test_429_is_retried_after_the_retry_after_seconds() -> None:
    script = Script(status(429, **{"Retry-After": "7"}), ok())
    client, sleeps = make_client(script)

    assert client.get(URL) == GOOD_BODY
    assert sleeps == [7.0]
    assert client.attempts_log == [f"{URL} 429", f"{URL} 200"]


def test_retry_after_is_capped_at_max_backoff() -> None:
    script = Script(status(429, **{"Retry-After": "3600"}), ok())
    client, sleeps = make_client(script, max_backoff_seconds=60.0)

    client.get(URL)

    assert sleeps == [60.0]


def test_retry_after_http_date_is_converted_to_a_delay() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    header = email.utils.format_datetime(when, usegmt=True)
    script = Script(status(429, **{"Retry-After": header}), ok())
    client, sleeps = make_client(script)

    client.get(URL)

    assert len(sleeps) == 1
    assert 25.0 < sleeps[0] <= 30.0


def test_retry_after_http_date_in_the_past_means_no_wait() -> None:
    script = Script(status(503, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), ok())
    client, sleeps = make_client(script)

    client.get(URL)

    assert sleeps == [0.0]


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx_is_retried_with_jittered_backoff(code: int) -> None:
    script = Script(status(code), ok())
    client, sleeps = make_client(script, backoff_seconds=2.0)

    assert client.get(URL) == GOOD_BODY
    assert len(script.requests) == 2
    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 2.0  # backoff * (0.5 .. 1.0)


def test_backoff_doubles_per_attempt_and_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_module.random, "random", lambda: 1.0)  # jitter factor 1.0
    script = Script(status(503), repeat_last=True)
    client, sleeps = make_client(
        script, max_attempts=6, backoff_seconds=1.0, max_backoff_seconds=10.0
    )

    with pytest.raises(FetchError):
        client.get(URL)

    # no sleep after the last attempt; 16 is capped at 10
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 10.0]


def test_backoff_jitter_lower_bound_is_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_module.random, "random", lambda: 0.0)
    script = Script(status(502), repeat_last=True)
    client, sleeps = make_client(script, max_attempts=4, backoff_seconds=2.0)

    with pytest.raises(FetchError):
        client.get(URL)

    assert sleeps == [1.0, 2.0, 4.0]


# --- timeouts and connection errors ---------------------------------------------------------


@pytest.mark.parametrize(
    "exc_type",
    [httpx.ConnectTimeout, httpx.ReadTimeout, httpx.ConnectError, httpx.RemoteProtocolError],
)
def test_timeouts_and_connection_errors_are_retried(exc_type: type[Exception]) -> None:
    script = Script(exc_type("boom"), ok())
    client, sleeps = make_client(script)

    assert client.get(URL) == GOOD_BODY
    assert len(script.requests) == 2
    assert len(sleeps) == 1
    assert client.attempts_log == [f"{URL} {exc_type.__name__}", f"{URL} 200"]


def test_persistent_timeouts_raise_fetch_error_naming_the_cause() -> None:
    script = Script(httpx.ReadTimeout("read timed out"), repeat_last=True)
    client, sleeps = make_client(script, max_attempts=3)

    with pytest.raises(FetchError) as info:
        client.get(URL)

    assert len(script.requests) == 3
    assert len(sleeps) == 2
    message = str(info.value)
    assert URL in message
    assert "ReadTimeout" in message
    assert "read timed out" in message
    assert info.value.attempts == 3


# --- bodies that fail validation ----------------------------------------------------------


def test_body_failing_validation_is_retried() -> None:
    html = b"<html><body>Your request rate is too high.</body></html>"
    script = Script(ok(html), ok())
    client, sleeps = make_client(script)

    body = client.get(URL, validate=lambda b: validate_company_facts(b, 1045810))

    assert body == GOOD_BODY
    assert len(sleeps) == 1
    assert client.attempts_log == [f"{URL} invalid-body", f"{URL} 200"]


def test_truncated_json_body_is_retried_then_reported() -> None:
    script = Script(ok(GOOD_BODY[:20]), repeat_last=True)
    client, _ = make_client(script, max_attempts=2)

    with pytest.raises(FetchError) as info:
        client.get(URL, validate=lambda b: validate_company_facts(b, 1045810))

    assert len(script.requests) == 2
    assert "invalid body" in str(info.value)
    assert "not JSON" in str(info.value)


def test_client_level_validator_is_used_and_per_call_validator_overrides_it() -> None:
    def refuse(_: bytes) -> None:
        raise InvalidPayload("always wrong")

    script = Script(ok(), repeat_last=True)
    client, _ = make_client(script, validate=refuse, max_attempts=2)

    with pytest.raises(FetchError, match="always wrong"):
        client.get(URL)
    assert len(script.requests) == 2

    seen: list[bytes] = []
    assert client.get(URL, validate=seen.append) == GOOD_BODY
    assert seen == [GOOD_BODY]
    assert len(script.requests) == 3


# --- non-retryable answers and final failure ------------------------------------------------


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410])
def test_other_4xx_fail_at_once(code: int) -> None:
    script = Script(status(code), repeat_last=True)
    client, sleeps = make_client(script)

    with pytest.raises(FetchError) as info:
        client.get(URL)

    assert len(script.requests) == 1
    assert sleeps == []
    assert info.value.url == URL
    assert info.value.attempts == 1
    assert str(info.value) == f"{URL}: HTTP {code} (after 1 attempt(s))"


# SEC's throttle answer: HTTP 403 with an HTML page titled "SEC.gov | Request Rate Threshold
# Exceeded" (the 403 for an undeclared tool says "Your Request Originates from an Undeclared
# Automated Tool" instead)
SEC_THROTTLED = (b"<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head>"
                 b"<body><h1>Your Request Rate Threshold Exceeded</h1></body></html>")


def test_sec_throttle_403_is_retried_like_429() -> None:
    script = Script(httpx.Response(403, content=SEC_THROTTLED),
                    httpx.Response(403, headers={"Retry-After": "7"}, content=SEC_THROTTLED),
                    ok())
    client, sleeps = make_client(script, backoff_seconds=2.0)

    assert client.get(URL) == GOOD_BODY
    assert len(script.requests) == 3
    assert 1.0 <= sleeps[0] <= 2.0 and sleeps[1] == 7.0  # backoff, then the Retry-After
    assert client.attempts_log == [f"{URL} 403", f"{URL} 403", f"{URL} 200"]


def test_sec_throttle_403_that_never_clears_names_the_throttle() -> None:
    script = Script(httpx.Response(403, content=SEC_THROTTLED), repeat_last=True)
    client, _ = make_client(script, max_attempts=3)

    with pytest.raises(FetchError, match=r"HTTP 403 \(Request Rate Threshold Exceeded\)") as info:
        client.get(URL)
    assert len(script.requests) == 3 and info.value.attempts == 3


def test_a_403_without_the_throttle_text_fails_at_once() -> None:
    undeclared = b"<title>SEC.gov | Your Request Originates from an Undeclared Automated Tool"
    script = Script(httpx.Response(403, content=undeclared), repeat_last=True)
    client, sleeps = make_client(script)

    with pytest.raises(FetchError, match="HTTP 403"):
        client.get(URL)
    assert len(script.requests) == 1 and sleeps == []


def test_non_200_success_status_is_not_accepted() -> None:
    script = Script(httpx.Response(204), repeat_last=True)
    client, _ = make_client(script)

    with pytest.raises(FetchError, match="HTTP 204"):
        client.get(URL)
    assert len(script.requests) == 1


def test_persistent_5xx_raises_fetch_error_after_max_attempts() -> None:
    script = Script(status(503), repeat_last=True)
    client, sleeps = make_client(script, max_attempts=4)

    with pytest.raises(FetchError) as info:
        client.get(URL)

    assert len(script.requests) == 4
    assert len(sleeps) == 3
    assert info.value.url == URL
    assert info.value.attempts == 4
    assert str(info.value) == f"{URL}: HTTP 503 (after 4 attempt(s))"
    assert client.attempts_log == [f"{URL} 503"] * 4


def test_fetch_error_reports_the_last_cause() -> None:
    script = Script(status(503), httpx.ConnectError("refused"), status(429))
    client, _ = make_client(script, max_attempts=3)

    with pytest.raises(FetchError) as info:
        client.get(URL)

    assert "HTTP 429" in str(info.value)
    assert "refused" not in str(info.value)


# --- a real socket -------------------------------------------------------------------------


@pytest.fixture
def flaky_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A loopback HTTP server answering 503 to the first request and 200 afterwards."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, "user-agent": self.headers.get("User-Agent", "")})
            if len(seen) == 1:
                payload = b"<html>busy</html>"
                self.send_response(503)
                self.send_header("Retry-After", "0")
            else:
                payload = GOOD_BODY
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_retries_over_a_real_loopback_socket(
    flaky_server: tuple[str, list[dict[str, str]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    base, seen = flaky_server
    sleeps: list[float] = []
    client = PoliteClient(
        user_agent=UA,
        limiter=RateLimiter(tmp_path / "rate.lock", rate=100),
        sleep=sleeps.append,
        timeout_seconds=5.0,
    )

    body = client.get(f"{base}/api/xbrl/companyfacts/CIK0001045810.json",
                      validate=lambda b: validate_company_facts(b, 1045810))

    assert body == GOOD_BODY
    assert [r["path"] for r in seen] == ["/api/xbrl/companyfacts/CIK0001045810.json"] * 2
    assert all(r["user-agent"] == UA for r in seen)
    assert sleeps == [0.0]  # Retry-After: 0
    assert [entry.rsplit(" ", 1)[1] for entry in client.attempts_log] == ["503", "200"]


# --- RateLimiter ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -1.0])
def test_rate_limiter_refuses_non_positive_rate(tmp_path: Path, rate: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(tmp_path / "rate.lock", rate)


def test_rate_limiter_spaces_acquisitions(tmp_path: Path) -> None:
    rate, n = 50.0, 6
    limiter = RateLimiter(tmp_path / "rate.lock", rate)

    start = time.monotonic()
    for _ in range(n):
        limiter.acquire()
    elapsed = time.monotonic() - start

    assert elapsed >= (n - 1) / rate


def test_rate_limiter_first_acquisition_does_not_wait(tmp_path: Path) -> None:
    limiter = RateLimiter(tmp_path / "nested" / "dir" / "rate.lock", rate=1.0)

    start = time.monotonic()
    limiter.acquire()
    elapsed = time.monotonic() - start

    assert elapsed < 0.5
    raw = (tmp_path / "nested" / "dir" / "rate.lock").read_bytes()
    assert len(raw) == 8
    assert abs(struct.unpack("d", raw)[0] - time.time()) < 5


def test_two_limiters_sharing_a_lock_file_share_the_budget(tmp_path: Path) -> None:
    rate, n = 50.0, 6
    lock = tmp_path / "rate.lock"
    first, second = RateLimiter(lock, rate), RateLimiter(lock, rate)

    start = time.monotonic()
    for i in range(n):
        (first if i % 2 == 0 else second).acquire()
    elapsed = time.monotonic() - start

    assert elapsed >= (n - 1) / rate


def test_limiters_with_different_lock_files_do_not_wait_for_each_other(tmp_path: Path) -> None:
    first = RateLimiter(tmp_path / "a.lock", rate=1.0)
    second = RateLimiter(tmp_path / "b.lock", rate=1.0)

    start = time.monotonic()
    first.acquire()
    second.acquire()

    assert time.monotonic() - start < 0.5


_WORKER = """
import json, sys, time
from pathlib import Path
from orchestration.sources.http import RateLimiter
limiter = RateLimiter(Path(sys.argv[1]), float(sys.argv[2]))
print("ready", flush=True)
sys.stdin.readline()
stamps = []
for _ in range(int(sys.argv[3])):
    limiter.acquire()
    stamps.append(time.time())
print(json.dumps(stamps), flush=True)
"""


def test_rate_limit_is_shared_across_processes(tmp_path: Path) -> None:
    rate, per_process = 20.0, 5
    lock = tmp_path / "rate.lock"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(lock), str(rate), str(per_process)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # release both at (nearly) the same moment
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=20)[0] for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert [w.returncode for w in workers] == [0, 0]

    stamps = sorted(t for out in outputs for t in json.loads(out.strip().splitlines()[-1]))
    assert len(stamps) == 2 * per_process
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    # Independent limiters would interleave with near-zero gaps and finish in about half the
    # time; a shared one keeps every pair of acquisitions 1/rate apart (stamps are taken just
    # after acquire returns, hence the slack).
    assert min(gaps) >= 0.5 / rate
    assert stamps[-1] - stamps[0] >= 0.9 * (2 * per_process - 1) / rate


def test_a_mirror_receives_host_path_and_query_while_messages_name_the_real_url() -> None:
    script = Script(status(404))
    client, _ = make_client(script, base_url="http://127.0.0.1:8123")
    with pytest.raises(FetchError) as info:
        client.get("https://api.eia.gov/v2/data/?a=1&b=x%20y")
    assert str(script.requests[0].url) == "http://127.0.0.1:8123/api.eia.gov/v2/data/?a=1&b=x%20y"
    assert info.value.url == "https://api.eia.gov/v2/data/?a=1&b=x%20y"
