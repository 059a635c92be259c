"""Live SEC extraction against a misbehaving loopback server: retried, then a clear error
naming the URL; nothing half-written in the landing zone; the landing log records it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from orchestration.config import settings_for
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, Settings
from orchestration.sources.sec_company_facts import ExtractError, extract_sec_document
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS, SUBMISSIONS
from orchestration.universe import company_by_ticker

from .loopback import FaultServer

NVDA = company_by_ticker("NVDA")
FACTS = (DEFAULT_SNAPSHOT_DIR / COMPANY_FACTS.relative_path(NVDA.cik)).read_bytes()
HTML = b"<html><body><h1>503 Service Unavailable</h1></body></html>"


def live(tmp_path: Path, host: str) -> Settings:
    return settings_for(mode="live", snapshot_dir=tmp_path / "none",
                        landing_dir=tmp_path / "landing", warehouse_dir=tmp_path / "warehouse",
                        reports_dir=tmp_path / "reports",
                        sec_user_agent="aicapex reliability test@example.com", sec_data_host=host,
                        http_max_attempts=3, http_backoff_seconds=0.01, http_timeout_seconds=0.5)


def landed(settings: Settings) -> list[Path]:
    folder = settings.landing_dir / "sec"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def log(settings: Settings) -> list[dict]:
    return [json.loads(x) for x in settings.landing_log.read_text().splitlines()]


@pytest.mark.fault(
    kind="HTTP fault",
    injected="loopback SEC server answers {param} once, then the real document",
    expected="retried once; the real document landed exactly; User-Agent sent",
)
@pytest.mark.parametrize(
    "first_failure",
    [
        ("status", 429, {"Retry-After": "0"}, b"slow down"),
        ("status", 503, {}, b"busy"),
        ("reset",),
        ("sleep", 1.5, b"{}"),  # longer than the 0.5 s timeout
        ("truncate", FACTS[:1000]),
        ("ok", HTML),  # an HTML error page with status 200
    ],
    ids=["429-retry-after", "503", "connection-reset", "timeout", "truncated-body", "html-page"],
)
def test_transient_fault_then_success_lands_the_real_document(tmp_path, first_failure):
    with FaultServer(first_failure, ("ok", FACTS)) as server:
        settings = live(tmp_path, server.url)
        record, summary = extract_sec_document(settings, COMPANY_FACTS, NVDA)
    assert len(server.requests) == 2
    path, headers = server.requests[0]
    assert path == "/api/xbrl/companyfacts/CIK0001045810.json"
    assert headers["User-Agent"] == "aicapex reliability test@example.com"
    assert summary["cik"] == NVDA.cik
    assert landed(settings) == [Path(record.landed_path)]
    assert Path(record.landed_path).read_bytes() == FACTS


@pytest.mark.fault(
    kind="HTTP fault",
    injected="loopback SEC server answers {param} on every attempt",
    expected=("ExtractError naming the URL after 3 attempts; nothing landed, no .tmp; landing log "
              "'failed'"),
)
@pytest.mark.parametrize(
    "fault",
    [("status", 503, {}, b"busy"), ("reset",), ("truncate", FACTS[:1000]), ("ok", HTML)],
    ids=["503", "connection-reset", "truncated-body", "html-page"],
)
def test_persistent_fault_fails_clearly_and_lands_nothing(tmp_path, fault):
    with FaultServer(fault) as server:
        settings = live(tmp_path, server.url)
        with pytest.raises(ExtractError) as info:
            extract_sec_document(settings, COMPANY_FACTS, NVDA)
    url = f"{server.url}/api/xbrl/companyfacts/CIK0001045810.json"
    assert url in str(info.value)
    assert "after 3 attempt(s)" in str(info.value)
    assert len(server.requests) == 3
    assert landed(settings) == []
    assert not list(settings.landing_dir.rglob("*.tmp"))
    (entry,) = log(settings)
    assert entry["status"] == "failed" and entry["origin"] == url


@pytest.mark.fault(
    kind="HTTP fault",
    injected="loopback SEC server answers HTTP 404 for a company's submissions",
    expected="ExtractError 'HTTP 404' after one request (no retry)",
)
def test_client_error_is_not_retried(tmp_path):
    with FaultServer(("status", 404, {}, b"not found")) as server:
        settings = live(tmp_path, server.url)
        with pytest.raises(ExtractError, match="HTTP 404"):
            extract_sec_document(settings, SUBMISSIONS, NVDA)
    assert len(server.requests) == 1


@pytest.mark.fault(
    kind="HTTP fault",
    injected="loopback SEC server answers HTTP 404 for a company's company facts",
    expected="the company is recorded missing (the SEC has none), after one request; no error",
)
def test_no_company_facts_is_missing_after_one_request(tmp_path):
    with FaultServer(("status", 404, {}, b"not found")) as server:
        settings = live(tmp_path, server.url)
        record, summary = extract_sec_document(settings, COMPANY_FACTS, NVDA)
    assert len(server.requests) == 1
    assert record.status == "missing" and summary is None
    assert [e["status"] for e in log(settings)] == ["missing"]
    assert landed(settings) == []


@pytest.mark.fault(
    kind="bad configuration",
    injected="live SEC extract with a User-Agent without e-mail",
    expected="ValueError naming the e-mail; zero requests sent",
)
def test_live_without_contact_email_sends_nothing(tmp_path):
    with FaultServer(("ok", FACTS)) as server:
        settings = live(tmp_path, server.url)
        anonymous = dataclasses.replace(settings, sec_user_agent="aicapex")
        with pytest.raises(ValueError, match="e-mail"):
            extract_sec_document(anonymous, COMPANY_FACTS, NVDA)
    assert server.requests == []
