"""Secrets never reach a disk or a log: API keys are removed from URLs, messages, response
bodies (EIA API v2 echoes ``request.params.api_key`` in every answer) and from the log lines
of the HTTP library (httpx logs every request URL at INFO)."""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(r"(?i)(api_key|apikey|key|token)=[^&\s'\"]+")
REDACTED = "REDACTED"


def redact(text: str) -> str:
    """Remove API keys from URLs and messages before they are logged or written anywhere."""
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={REDACTED}", text)


def redact_body(body: bytes, secret: str) -> bytes:
    """``body`` with every occurrence of ``secret`` replaced (a response echoing the key)."""
    return body.replace(secret.encode(), REDACTED.encode()) if secret else body


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with ``redact`` (attached to the httpx loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def redact_library_logs(*names: str) -> None:
    """Attach ``RedactingFilter`` once to each named logger."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
