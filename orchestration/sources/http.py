"""A polite HTTP client: process-tree-wide rate limit, retries with backoff and jitter.

The rate limit is shared by every process that uses the same lock file (``fcntl.flock`` on a
file holding the time of the last request), so Dagster subprocess executors, parallel CLI runs
and tests all stay under SEC's 10 requests/second together.
"""

from __future__ import annotations

import email.utils
import fcntl
import random
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from orchestration.settings import Settings
from orchestration.sources.errors import FetchError
from orchestration.sources.redaction import redact_library_logs

RETRY_STATUS = {429, 500, 502, 503, 504}
# SEC answers a client over its rate with HTTP 403 and this page (not 429): retried like 429
SEC_THROTTLE_TEXT = b"Request Rate Threshold Exceeded"

# httpx logs every request URL at INFO: an API key in a query string must not reach a log
redact_library_logs("httpx", "httpcore")


class RateLimiter:
    """At most ``rate`` acquisitions per second across all processes sharing ``lock_path``."""

    def __init__(self, lock_path: Path, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.lock_path = lock_path
        self.interval = 1.0 / rate

    def acquire(self) -> None:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                fh.seek(0)
                raw = fh.read(8)
                last = struct.unpack("d", raw)[0] if len(raw) == 8 else 0.0
                wait = last + self.interval - time.time()
                if wait > 0:
                    time.sleep(wait)
                fh.seek(0)
                fh.truncate()
                fh.write(struct.pack("d", time.time()))
                fh.flush()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def mirrored(url: str, base_url: str) -> str:
    """Where ``url`` is sent: ``<base_url>/<host><path>?<query>`` when a mirror (or a test's
    loopback server) is configured (``AICAPEX_LIVE_BASE_URL``), else ``url`` itself."""
    if not base_url:
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url}/{parts.netloc}{parts.path}{query}"


def _retryable(response: httpx.Response) -> tuple[bool, str]:
    """Whether a non-200 answer is worth another attempt, and how to name it."""
    status = response.status_code
    if status == 403 and SEC_THROTTLE_TEXT in response.content:
        return True, f"HTTP 403 ({SEC_THROTTLE_TEXT.decode()})"
    return status in RETRY_STATUS, f"HTTP {status}"


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unparseable Retry-After falls back to exponential backoff
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return max(0.0, parsed.timestamp() - time.time())


@dataclass
class PoliteClient:
    """GET with a declared User-Agent, a shared rate limit and bounded retries."""

    user_agent: str
    limiter: RateLimiter
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    timeout_seconds: float = 30.0
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    validate: Callable[[bytes], None] | None = None
    attempts_log: list[str] = field(default_factory=list)
    base_url: str = ""  # a mirror every request goes to (``mirrored``); messages name ``url``

    def _client(self) -> httpx.Client:
        return httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=self.timeout_seconds,
            transport=self.transport,
            follow_redirects=True,
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff_seconds)
        base = self.backoff_seconds * (2 ** (attempt - 1))
        return min(base, self.max_backoff_seconds) * (0.5 + random.random() / 2)

    def get(self, url: str, validate: Callable[[bytes], None] | None = None) -> bytes:
        """Return the body of a 200 answer whose content passes ``validate``.

        Retries 429/5xx, SEC's throttle answer (403 "Request Rate Threshold Exceeded"),
        timeouts, dropped connections and bodies that fail validation (truncated JSON, an HTML
        error page); raises ``FetchError`` naming the URL after ``max_attempts``. Other 4xx
        answers fail at once.
        """
        check = validate or self.validate
        last_error = "no attempt made"
        last_status: int | None = None
        with self._client() as client:
            for attempt in range(1, self.max_attempts + 1):
                self.limiter.acquire()
                retry_after = None
                try:
                    response = client.get(mirrored(url, self.base_url))
                    status = response.status_code
                    if status == 200:
                        body = response.content
                        if check is not None:
                            check(body)
                        self.attempts_log.append(f"{url} 200")
                        return body
                    retry, last_error = _retryable(response)
                    last_status = status
                    self.attempts_log.append(f"{url} {status}")
                    if not retry:
                        raise FetchError(url, last_error, attempt, status)
                    retry_after = _retry_after_seconds(response)
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    last_error, last_status = f"{type(exc).__name__}: {exc}", None
                    self.attempts_log.append(f"{url} {type(exc).__name__}")
                except ValueError as exc:  # the body failed validation
                    last_error, last_status = f"invalid body: {exc}", 200
                    self.attempts_log.append(f"{url} invalid-body")
                if attempt < self.max_attempts:
                    self.sleep(self._backoff(attempt, retry_after))
        raise FetchError(url, last_error, self.max_attempts, last_status)


# --- the project's clients -----------------------------------------------------------------

DEFAULT_USER_AGENT = "aicapex-warehouse (research; https://github.com/aicapex)"
SEC_RATE_LOCK = ".sec-rate-limit.lock"


def sec_client(settings: Settings, transport=None) -> PoliteClient:
    """The one SEC client: declared User-Agent (required), shared rate limit, retries."""
    return PoliteClient(
        user_agent=settings.require_live_user_agent(),
        limiter=RateLimiter(settings.warehouse_dir / SEC_RATE_LOCK,
                            settings.sec_max_requests_per_second),
        max_attempts=settings.http_max_attempts,
        backoff_seconds=settings.http_backoff_seconds,
        timeout_seconds=settings.http_timeout_seconds,
        transport=transport,
        base_url=settings.live_base_url,
    )


def price_client(settings: Settings, lock_name: str, rate: float = 5.0,
                 transport=None) -> PoliteClient:
    """A polite client with its own process-tree-wide rate limit (one lock file per host)."""
    return PoliteClient(
        user_agent=settings.sec_user_agent or DEFAULT_USER_AGENT,
        limiter=RateLimiter(settings.warehouse_dir / lock_name, rate),
        max_attempts=settings.http_max_attempts,
        backoff_seconds=settings.http_backoff_seconds,
        timeout_seconds=settings.http_timeout_seconds,
        transport=transport,
        base_url=settings.live_base_url,
    )
