"""Land one non-SEC document (price file, workbook, API page), live or from a snapshot.

Live and snapshot share the relative layout under the landing zone (``energy/...``,
``gpu/...``, ``other/...``): the live extractor writes exactly what a snapshot holds. The
parser runs before landing, so a file with changed headers or the wrong shape fails here with
its name in the message, and nothing is landed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from orchestration.landing import LandingRecord, already_landed, append_log, land, utc_now
from orchestration.settings import Settings
from orchestration.sources.http import FetchError, PoliteClient, RateLimiter

DEFAULT_USER_AGENT = "aicapex-warehouse (research; https://github.com/aicapex)"
_SECRET_PARAMS = re.compile(r"(?i)(api_key|apikey|key|token)=[^&\s'\"]+")


class DocumentError(RuntimeError):
    """A document could not be fetched or does not have the expected shape (file named)."""


class FormatError(ValueError):
    """A recorded or downloaded file does not have the layout its parser expects."""


def redact(text: str) -> str:
    """Remove API keys from URLs and messages before they are logged or written anywhere."""
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=REDACTED", text)


def price_client(settings: Settings, lock_name: str, rate: float = 5.0,
                 transport=None) -> PoliteClient:
    """A polite client with its own process-tree-wide rate limit (one lock file per host)."""
    return PoliteClient(
        user_agent=settings.sec_user_agent or DEFAULT_USER_AGENT,
        limiter=RateLimiter(settings.warehouse_dir / lock_name, rate),
        max_attempts=settings.http_max_attempts,
        backoff_seconds=settings.http_backoff_seconds,
        transport=transport,
    )


def land_document(
    settings: Settings,
    *,
    source: str,
    relative_path: str,
    parse: Callable[[bytes, str], object],
    fetch: Callable[[], bytes] | None = None,
    origin: str | None = None,
    required: bool = False,
) -> LandingRecord:
    """Land ``relative_path`` from the network (``fetch``) or from the snapshot.

    A document absent from the snapshot is recorded as ``missing`` (an error only when
    ``required``). ``parse(body, name)`` must raise ``FormatError`` for a bad file.
    """
    partition = relative_path.split("/", 1)[0]

    def fail(where: str, message: str) -> DocumentError:
        where, message = redact(where), redact(message)
        append_log(settings.landing_log, LandingRecord(
            source, partition, where, None, None, None, utc_now(), "failed", message))
        return DocumentError(f"{source}: {message}")

    if fetch is not None:
        where = redact(origin or relative_path)
        try:
            body = fetch()
        except FetchError as exc:
            raise fail(where, str(exc)) from None
    else:
        path: Path = settings.snapshot_dir / relative_path
        where = str(path)
        if not path.is_file():
            record = LandingRecord(source, partition, where, None, None, None, utc_now(),
                                   "missing", "not in snapshot")
            append_log(settings.landing_log, record)
            if required:
                raise DocumentError(f"{source}: {path} is missing from the snapshot")
            return record
        body = path.read_bytes()
    # the same bytes as the landed file were validated when they were landed: parsing a
    # workbook again costs more than the rest of a run with nothing new
    if not already_landed(settings.landing_dir, relative_path, body):
        try:
            parse(body, where)
        except FormatError as exc:
            raise fail(where, str(exc)) from exc
    record = land(settings.landing_dir, relative_path, body,
                  source=source, partition=partition, origin=where)
    append_log(settings.landing_log, record)
    return record
