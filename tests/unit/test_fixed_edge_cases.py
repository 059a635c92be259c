"""Edge cases found in review: each once slipped through with the wrong error."""

from __future__ import annotations

import os

import pytest

from orchestration.landing import atomic_write
from orchestration.sources.http import _retry_after_seconds
from orchestration.sources.sec_company_facts.api import (
    InvalidPayload,
    validate_company_facts,
    validate_submissions,
)
from orchestration.universe import validate_ticker


def test_unparseable_retry_after_falls_back_to_backoff():
    import httpx

    response = httpx.Response(503, headers={"Retry-After": "soon"})
    assert _retry_after_seconds(response) is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"cik": 789019, "filings": {"recent": {}}}',
        b'{"cik": 789019, "filings": [1]}',
        b'{"cik": 789019, "filings": {"recent": '
        b'{"accessionNumber": "x", "form": [], "filingDate": []}}}',
    ],
)
def test_malformed_submissions_are_invalid_payloads(body):
    with pytest.raises(InvalidPayload):
        validate_submissions(body, 789019)


def test_fact_with_null_filed_is_refused():
    body = (b'{"cik": 1, "facts": {"us-gaap": {"X": {"units": {"USD": ['
            b'{"end": "2024-01-01", "val": 1, "accn": "a", "filed": null}]}}}}}')
    with pytest.raises(InvalidPayload, match="us-gaap:X"):
        validate_company_facts(body, 1)


def test_ticker_with_trailing_newline_is_refused():
    with pytest.raises(ValueError):
        validate_ticker("NVDA\n")


def test_landed_files_are_readable_by_group_and_others(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "f.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "f.json").stat().st_mode & 0o777 == 0o644
