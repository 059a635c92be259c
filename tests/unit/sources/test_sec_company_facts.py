"""extract_sec_document in snapshot mode (real fixtures) and live mode (a fake transport)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest

from orchestration.settings import ConfigError, Settings
from orchestration.sources import http as extract
from orchestration.sources.http import PoliteClient, sec_client
from orchestration.sources.sec_company_facts import ExtractError, extract_sec_document
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS, SUBMISSIONS
from tests.unit.support import (
    MSFT,
    NVDA,
    NVDA_FACTS,
    NVDA_FACTS_SHA256,
    ORCL,
    TEST_USER_AGENT,
    live_settings,
    snapshot_settings,
)

NVDA_FACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK0001045810.json"


def read_log(settings: Settings) -> list[dict]:
    if not settings.landing_log.exists():
        return []
    return [json.loads(line) for line in settings.landing_log.read_text().splitlines()]


def landed_files(settings: Settings) -> list[Path]:
    """Files the loaders would read: rejected documents sit apart in _quarantine/."""
    quarantine = settings.landing_dir / "_quarantine"
    return sorted(
        p for p in settings.landing_dir.rglob("*")
        if p.is_file() and p != settings.landing_log and quarantine not in p.parents
    )


def quarantined_files(settings: Settings) -> list[Path]:
    return sorted(p for p in (settings.landing_dir / "_quarantine").rglob("*") if p.is_file())


def snapshot_holding(tmp_path: Path, relative: str, body: bytes) -> tuple[Settings, Path]:
    """Settings over a snapshot under ``tmp_path`` that holds only ``body`` at ``relative``,
    and that file."""
    path = tmp_path / "snapshot" / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    return snapshot_settings(tmp_path, snapshot_dir=tmp_path / "snapshot"), path


# --- snapshot mode -------------------------------------------------------------------------


def test_snapshot_lands_nvidia_company_facts_and_logs_it(tmp_path: Path) -> None:
    settings = snapshot_settings(tmp_path)

    record, summary = extract_sec_document(settings, COMPANY_FACTS, NVDA)

    target = settings.landing_dir / "sec" / "companyfacts" / "CIK0001045810.json"
    assert record.status == "landed"
    assert record.sha256 == NVDA_FACTS_SHA256
    assert record.bytes == 4_039_082
    assert record.landed_path == str(target.resolve())
    assert record.origin == str(NVDA_FACTS)
    assert (record.source, record.partition) == ("companyfacts", "NVDA")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == NVDA_FACTS_SHA256
    assert landed_files(settings) == [target]
    assert summary == {"cik": 1045810, "entity_name": "NVIDIA CORP", "facts": 26903,
                       "newest_filed": "2026-06-17"}

    (entry,) = read_log(settings)
    assert entry["status"] == "landed"
    assert entry["sha256"] == NVDA_FACTS_SHA256
    assert entry["partition"] == "NVDA"
    assert entry["source"] == "companyfacts"
    assert entry["origin"] == str(NVDA_FACTS)
    assert entry["landed_path"] == str(target.resolve())


def test_snapshot_extract_twice_is_unchanged(tmp_path: Path) -> None:
    settings = snapshot_settings(tmp_path)

    first, _ = extract_sec_document(settings, COMPANY_FACTS, NVDA)
    second, summary = extract_sec_document(settings, COMPANY_FACTS, NVDA)

    assert (first.status, second.status) == ("landed", "unchanged")
    assert second.sha256 == NVDA_FACTS_SHA256
    assert summary is not None and summary["cik"] == 1045810
    assert [e["status"] for e in read_log(settings)] == ["landed", "unchanged"]


def test_snapshot_lands_microsoft_submissions(tmp_path: Path) -> None:
    settings = snapshot_settings(tmp_path)

    record, summary = extract_sec_document(settings, SUBMISSIONS, MSFT)

    assert record.status == "landed"
    assert summary is not None
    assert summary["filings"] == 1009
    assert summary["entity_name"] == "MICROSOFT CORP"
    assert landed_files(settings) == [
        settings.landing_dir / "sec" / "submissions" / "CIK0000789019.json"
    ]


def test_snapshot_company_missing_is_reported_not_raised(tmp_path: Path) -> None:
    settings = snapshot_settings(tmp_path)

    record, summary = extract_sec_document(settings, COMPANY_FACTS, ORCL)

    assert summary is None
    assert record.status == "missing"
    assert record.landed_path is None
    assert record.sha256 is None
    assert record.origin.endswith("sec/companyfacts/CIK0001341439.json")
    assert landed_files(settings) == []
    (entry,) = read_log(settings)
    assert entry["status"] == "missing"
    assert entry["partition"] == "ORCL"
    assert entry["detail"] == "not in snapshot"


def test_snapshot_file_with_wrong_cik_fails_logs_and_lands_nothing(
    tmp_path: Path, googl_facts_bytes: bytes
) -> None:
    # Alphabet's facts filed under NVIDIA's CIK
    settings, wrong = snapshot_holding(tmp_path, COMPANY_FACTS.relative_path(NVDA.cik),
                                       googl_facts_bytes)

    with pytest.raises(ExtractError) as info:
        extract_sec_document(settings, COMPANY_FACTS, NVDA)

    message = str(info.value)
    assert message.startswith("NVDA companyfacts:")
    assert "1652044" in message
    assert "1045810" in message
    assert landed_files(settings) == []
    (entry,) = read_log(settings)
    assert entry["status"] == "failed"
    assert entry["origin"] == str(wrong)
    assert entry["landed_path"] is None
    assert entry["sha256"] is None
    assert "1652044" in entry["detail"]
    (kept,) = quarantined_files(settings)
    assert kept.read_bytes() == googl_facts_bytes
    assert str(kept) in entry["detail"]


def test_snapshot_html_instead_of_json_fails(tmp_path: Path) -> None:
    settings, _ = snapshot_holding(tmp_path, SUBMISSIONS.relative_path(MSFT.cik),
                                   b"<html><body>Access Denied</body></html>")

    with pytest.raises(ExtractError, match="not JSON"):
        extract_sec_document(settings, SUBMISSIONS, MSFT)

    assert landed_files(settings) == []
    assert [e["status"] for e in read_log(settings)] == ["failed"]


def test_snapshot_failure_keeps_a_previously_landed_file(
    tmp_path: Path, nvda_facts_bytes: bytes
) -> None:
    settings, source = snapshot_holding(tmp_path, COMPANY_FACTS.relative_path(NVDA.cik),
                                        nvda_facts_bytes)
    extract_sec_document(settings, COMPANY_FACTS, NVDA)

    source.write_bytes(nvda_facts_bytes[:1000])  # truncated on the next run
    with pytest.raises(ExtractError):
        extract_sec_document(settings, COMPANY_FACTS, NVDA)

    (landed,) = landed_files(settings)
    assert landed.read_bytes() == nvda_facts_bytes
    assert [e["status"] for e in read_log(settings)] == ["landed", "failed"]


# --- live mode (fake transport, no network) ------------------------------------------------


class ReplaySec:
    """Answers like data.sec.gov from a table of URL -> list of responses (last one repeats)."""

    def __init__(self, routes: dict[str, list[httpx.Response]]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answers = self.routes.get(str(request.url))
        if answers is None:
            return httpx.Response(404, content=b"not found")
        return answers.pop(0) if len(answers) > 1 else answers[0]


def live_client(settings: Settings, handler: ReplaySec) -> PoliteClient:
    return sec_client(settings, transport=httpx.MockTransport(handler))


def test_live_lands_the_recorded_bytes_and_sends_the_user_agent(
    tmp_path: Path, nvda_facts_bytes: bytes
) -> None:
    settings = live_settings(tmp_path)
    handler = ReplaySec({NVDA_FACTS_URL: [httpx.Response(200, content=nvda_facts_bytes)]})

    record, summary = extract_sec_document(
        settings, COMPANY_FACTS, NVDA, client=live_client(settings, handler)
    )

    (request,) = handler.requests
    assert str(request.url) == NVDA_FACTS_URL
    assert request.headers["User-Agent"] == TEST_USER_AGENT
    target = settings.landing_dir / "sec" / "companyfacts" / "CIK0001045810.json"
    assert target.read_bytes() == nvda_facts_bytes
    assert record.status == "landed"
    assert record.sha256 == NVDA_FACTS_SHA256
    assert record.origin == NVDA_FACTS_URL
    assert summary is not None and summary["entity_name"] == "NVIDIA CORP"
    (entry,) = read_log(settings)
    assert (entry["status"], entry["origin"]) == ("landed", NVDA_FACTS_URL)


def test_live_429_then_200_succeeds(tmp_path: Path, nvda_facts_bytes: bytes) -> None:
    settings = live_settings(tmp_path)
    handler = ReplaySec({NVDA_FACTS_URL: [
        httpx.Response(429, headers={"Retry-After": "0"}, content=b"slow down"),
        httpx.Response(200, content=nvda_facts_bytes),
    ]})
    client = live_client(settings, handler)

    record, _ = extract_sec_document(settings, COMPANY_FACTS, NVDA, client=client)

    assert len(handler.requests) == 2
    assert record.status == "landed"
    assert record.sha256 == NVDA_FACTS_SHA256
    assert client.attempts_log == [f"{NVDA_FACTS_URL} 429", f"{NVDA_FACTS_URL} 200"]
    assert [e["status"] for e in read_log(settings)] == ["landed"]


def test_live_persistent_503_raises_and_lands_nothing(tmp_path: Path) -> None:
    settings = live_settings(tmp_path, http_max_attempts=3)
    handler = ReplaySec({NVDA_FACTS_URL: [httpx.Response(503, content=b"unavailable")]})

    with pytest.raises(ExtractError) as info:
        extract_sec_document(settings, COMPANY_FACTS, NVDA,
                             client=live_client(settings, handler))

    assert len(handler.requests) == 3
    assert NVDA_FACTS_URL in str(info.value)
    assert "HTTP 503" in str(info.value)
    assert landed_files(settings) == []
    assert not (settings.landing_dir / COMPANY_FACTS.relative_path(NVDA.cik)).exists()
    (entry,) = read_log(settings)
    assert entry["status"] == "failed"
    assert entry["origin"] == NVDA_FACTS_URL
    assert "after 3 attempt(s)" in entry["detail"]


def test_live_answer_for_the_wrong_company_is_retried_then_refused(
    tmp_path: Path, googl_facts_bytes: bytes
) -> None:
    settings = live_settings(tmp_path, http_max_attempts=2)
    handler = ReplaySec({NVDA_FACTS_URL: [httpx.Response(200, content=googl_facts_bytes)]})

    with pytest.raises(ExtractError, match="does not match the requested CIK 1045810"):
        extract_sec_document(settings, COMPANY_FACTS, NVDA,
                             client=live_client(settings, handler))

    assert len(handler.requests) == 2
    assert landed_files(settings) == []
    assert [e["status"] for e in read_log(settings)] == ["failed"]


def test_live_not_found_fails_at_once(tmp_path: Path) -> None:
    settings = live_settings(tmp_path)
    handler = ReplaySec({})  # every URL answers 404

    with pytest.raises(ExtractError, match="HTTP 404"):
        extract_sec_document(settings, SUBMISSIONS, MSFT, client=live_client(settings, handler))

    assert [str(r.url) for r in handler.requests] == [
        "https://data.sec.gov/submissions/CIK0000789019.json"
    ]
    assert landed_files(settings) == []


def test_live_company_facts_not_published_are_missing_and_named(tmp_path: Path) -> None:
    settings = live_settings(tmp_path)
    handler = ReplaySec({})  # the SEC has no company facts for this CIK: 404
    url = "https://data.sec.gov/api/xbrl/companyfacts/CIK0001341439.json"

    record, summary = extract_sec_document(settings, COMPANY_FACTS, ORCL,
                                           client=live_client(settings, handler))

    assert summary is None
    assert [str(r.url) for r in handler.requests] == [url]  # not retried
    assert (record.status, record.partition, record.origin) == ("missing", "ORCL", url)
    assert record.detail == f"not published by the source (HTTP 404 for {url})"
    assert landed_files(settings) == []
    assert [(e["status"], e["detail"]) for e in read_log(settings)] == [
        ("missing", record.detail)]


def test_sec_client_takes_its_limits_from_settings(tmp_path: Path) -> None:
    settings = live_settings(tmp_path, http_max_attempts=4, http_backoff_seconds=0.25,
                             sec_max_requests_per_second=8.0)

    client = sec_client(settings)

    assert client.user_agent == TEST_USER_AGENT
    assert client.max_attempts == 4
    assert client.backoff_seconds == 0.25
    assert client.limiter.interval == pytest.approx(1 / 8.0)
    assert client.limiter.lock_path == settings.warehouse_dir / ".sec-rate-limit.lock"


@pytest.mark.parametrize("user_agent", ["", "aicapex tests", "aicapex tests at example dot com"])
def test_live_without_contact_email_refuses_before_any_request(
    tmp_path: Path, user_agent: str
) -> None:
    settings = live_settings(tmp_path, user_agent=user_agent)
    handler = ReplaySec({})

    with pytest.raises(ConfigError, match="AICAPEX_SEC_USER_AGENT"):
        extract.sec_client(settings, transport=httpx.MockTransport(handler))

    assert handler.requests == []


def test_live_extract_without_contact_email_raises_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = live_settings(tmp_path, user_agent="aicapex tests")
    opened: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise AssertionError("an HTTP client was opened")

    monkeypatch.setattr(httpx, "Client", no_network)

    with pytest.raises(ConfigError):
        extract_sec_document(settings, COMPANY_FACTS, NVDA)

    assert opened == []
    assert not settings.landing_dir.exists() or landed_files(settings) == []
