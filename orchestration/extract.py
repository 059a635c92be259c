"""Extract one SEC document for one company, live or from a snapshot, into the landing zone.

Both modes run the same validation and landing code; only where the bytes come from differs.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.landing import LandingRecord, append_log, atomic_write, land, utc_now
from orchestration.settings import Settings
from orchestration.sources.http import FetchError, PoliteClient, RateLimiter
from orchestration.sources.sec_api import (
    COMPANY_FACTS,
    SUBMISSIONS,
    InvalidPayload,
    SecEndpoint,
    validate_company_facts,
    validate_submissions,
)
from orchestration.universe import Company

VALIDATORS = {
    COMPANY_FACTS.name: validate_company_facts,
    SUBMISSIONS.name: validate_submissions,
}


class ExtractError(RuntimeError):
    """Extraction failed; the landing log has a ``failed`` record naming the input."""


def sec_client(settings: Settings, transport=None) -> PoliteClient:
    """The one SEC client: declared User-Agent (required), shared rate limit, retries."""
    return PoliteClient(
        user_agent=settings.require_live_user_agent(),
        limiter=RateLimiter(
            settings.warehouse_dir / ".sec-rate-limit.lock", settings.sec_max_requests_per_second
        ),
        max_attempts=settings.http_max_attempts,
        backoff_seconds=settings.http_backoff_seconds,
        timeout_seconds=settings.http_timeout_seconds,
        transport=transport,
    )


def quarantine(settings: Settings, relative: str, body: bytes) -> Path:
    """Keep a rejected document for inspection, outside everything the loaders read."""
    stamp = utc_now().replace(":", "").replace("-", "")
    target = settings.landing_dir / "_quarantine" / f"{relative}.{stamp}"
    atomic_write(target, body)
    return target


def extract_sec_document(
    settings: Settings,
    endpoint: SecEndpoint,
    company: Company,
    client: PoliteClient | None = None,
) -> tuple[LandingRecord, dict | None]:
    """Land one document; return its landing record and a summary (None when missing).

    A company absent from a snapshot is reported (status ``missing``), not an error.
    Invalid content or a failed download is logged as ``failed`` and raised.
    """
    validator = VALIDATORS[endpoint.name]
    relative = endpoint.relative_path(company.cik)

    def fail(origin: str, message: str) -> ExtractError:
        append_log(
            settings.landing_log,
            LandingRecord(endpoint.name, company.ticker, origin, None, None, None, utc_now(),
                          "failed", message),
        )
        return ExtractError(f"{company.ticker} {endpoint.name}: {message}")

    if settings.mode == "live":
        origin = endpoint.url(company.cik, host=settings.sec_data_host)
        client = client or sec_client(settings)
        try:
            body = client.get(origin, validate=lambda b: validator(b, company.cik))
        except FetchError as exc:
            raise fail(origin, str(exc)) from exc
    else:
        source_path: Path = settings.snapshot_dir / relative
        origin = str(source_path)
        if not source_path.is_file():
            record = LandingRecord(endpoint.name, company.ticker, origin, None, None, None,
                                   utc_now(), "missing", "not in snapshot")
            append_log(settings.landing_log, record)
            return record, None
        body = source_path.read_bytes()

    try:
        summary = validator(body, company.cik)
    except InvalidPayload as exc:
        kept = quarantine(settings, relative, body)
        raise fail(origin, f"{origin}: {exc} (quarantined as {kept})") from exc
    try:
        record = land(settings.landing_dir, relative, body,
                      source=endpoint.name, partition=company.ticker, origin=origin)
    except OSError as exc:
        raise fail(origin, f"cannot land {relative}: {exc}") from exc
    append_log(settings.landing_log, record)
    return record, summary
