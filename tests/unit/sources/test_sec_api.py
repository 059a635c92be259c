"""SEC endpoints and the pure validators, on the real recorded responses."""

from __future__ import annotations

import json

import pytest

from orchestration.sources.sec_company_facts.api import (
    COMPANY_FACTS,
    SEC_DATA_HOST,
    SUBMISSIONS,
    InvalidPayload,
    validate_company_facts,
    validate_submissions,
)
from tests.unit.support import FIXTURES

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title>"
    b"</head><body>Your request rate is too high.</body></html>"
)


def facts_doc(cik: int = 1045810, **fact: object) -> bytes:
    row = {"end": "2026-01-25", "val": 1, "accn": "0001045810-26-000021", "filed": "2026-02-25"}
    row.update(fact)
    row = {k: v for k, v in row.items() if v is not None}
    return json.dumps(
        {"cik": cik, "entityName": "X", "facts": {"us-gaap": {"Assets": {"units": {"USD": [row]}}}}}
    ).encode()


# --- endpoints -----------------------------------------------------------------------------


def test_company_facts_url_and_relative_path_use_zero_padded_cik10() -> None:
    assert COMPANY_FACTS.url(1045810) == (
        "https://data.sec.gov/api/xbrl/companyfacts/CIK0001045810.json"
    )
    assert COMPANY_FACTS.relative_path(1045810) == "sec/companyfacts/CIK0001045810.json"


def test_submissions_url_and_relative_path_use_zero_padded_cik10() -> None:
    assert SUBMISSIONS.url(789019) == "https://data.sec.gov/submissions/CIK0000789019.json"
    assert SUBMISSIONS.relative_path(789019) == "sec/submissions/CIK0000789019.json"


def test_url_accepts_another_host_with_or_without_trailing_slash() -> None:
    assert SEC_DATA_HOST == "https://data.sec.gov"
    for host in ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"):
        assert SUBMISSIONS.url(1, host=host) == (
            "http://127.0.0.1:8080/submissions/CIK0000000001.json"
        )


def test_relative_path_matches_the_snapshot_layout() -> None:
    # The snapshot and the landing zone share this layout (see the module docstring).
    assert (FIXTURES / COMPANY_FACTS.relative_path(1045810)).is_file()
    assert (FIXTURES / SUBMISSIONS.relative_path(789019)).is_file()
    assert not (FIXTURES / COMPANY_FACTS.relative_path(1341439)).exists()  # ORCL: not recorded


# --- company facts: real files -------------------------------------------------------------


def test_validate_company_facts_summarises_nvidia(nvda_facts_bytes: bytes) -> None:
    summary = validate_company_facts(nvda_facts_bytes, expected_cik=1045810)

    assert summary == {
        "cik": 1045810,
        "entity_name": "NVIDIA CORP",
        "facts": 26903,
        "newest_filed": "2026-06-17",
    }


def test_validate_company_facts_summarises_alphabet(googl_facts_bytes: bytes) -> None:
    summary = validate_company_facts(googl_facts_bytes)

    assert summary["cik"] == 1652044
    assert summary["entity_name"] == "ALPHABET INC."
    assert summary["facts"] == 20324
    assert summary["newest_filed"] == "2026-06-04"


def test_validate_company_facts_refuses_cik_mismatch(nvda_facts_bytes: bytes) -> None:
    with pytest.raises(InvalidPayload) as info:
        validate_company_facts(nvda_facts_bytes, expected_cik=789019)

    message = str(info.value)
    assert "1045810" in message
    assert "789019" in message


# --- company facts: refused inputs ---------------------------------------------------------


def test_validate_company_facts_refuses_invalid_json(nvda_facts_bytes: bytes) -> None:
    with pytest.raises(InvalidPayload, match="not JSON"):
        validate_company_facts(nvda_facts_bytes[:5000], expected_cik=1045810)


def test_validate_company_facts_refuses_html_error_page() -> None:
    with pytest.raises(InvalidPayload) as info:
        validate_company_facts(HTML_ERROR_PAGE, expected_cik=1045810)

    assert "not JSON" in str(info.value)
    assert "<!DOCTYPE html>" in str(info.value)  # the message quotes the start of the body


def test_validate_company_facts_refuses_non_utf8_bytes() -> None:
    with pytest.raises(InvalidPayload, match="not JSON"):
        validate_company_facts(b"\x80\x81\x82 not text")


def test_validate_company_facts_refuses_a_json_list() -> None:
    with pytest.raises(InvalidPayload, match="expected a JSON object, got list"):
        validate_company_facts(b'[{"cik": 1045810}]')


@pytest.mark.parametrize("body", [b'{"entityName": "X", "facts": {}}', b'{"cik": "abc"}',
                                  b'{"cik": null}'])
def test_validate_company_facts_refuses_missing_or_bad_cik(body: bytes) -> None:
    with pytest.raises(InvalidPayload, match="'cik'"):
        validate_company_facts(body)


def test_validate_company_facts_accepts_a_string_cik() -> None:
    body = b'{"cik": "0001045810", "entityName": "X", "facts": {}}'
    assert validate_company_facts(body, expected_cik=1045810) == {
        "cik": 1045810, "entity_name": "X", "facts": 0, "newest_filed": None,
    }


@pytest.mark.parametrize("missing", ["val", "end", "accn", "filed"])
def test_validate_company_facts_refuses_fact_without_required_key(missing: str) -> None:
    body = facts_doc(**{missing: None})

    with pytest.raises(InvalidPayload) as info:
        validate_company_facts(body, expected_cik=1045810)

    assert "us-gaap:Assets [USD]" in str(info.value)
    assert "end/val/accn/filed" in str(info.value)


def test_validate_company_facts_counts_a_minimal_valid_document() -> None:
    summary = validate_company_facts(facts_doc(), expected_cik=1045810)
    assert summary == {"cik": 1045810, "entity_name": "X", "facts": 1,
                       "newest_filed": "2026-02-25"}


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"cik": 1}, "'facts' must be an object"),
        ({"cik": 1, "facts": []}, "'facts' must be an object"),
        ({"cik": 1, "facts": {"us-gaap": []}}, "taxonomy 'us-gaap' is not an object"),
        ({"cik": 1, "facts": {"us-gaap": {"Assets": {}}}}, "has no 'units' object"),
        ({"cik": 1, "facts": {"us-gaap": {"Assets": {"units": {"USD": {}}}}}}, "is not a list"),
        ({"cik": 1, "facts": {"us-gaap": {"Assets": {"units": {"USD": [1]}}}}}, "a fact without"),
    ],
)
def test_validate_company_facts_refuses_malformed_structure(doc: dict, fragment: str) -> None:
    with pytest.raises(InvalidPayload, match=fragment):
        validate_company_facts(json.dumps(doc).encode())


# --- submissions ---------------------------------------------------------------------------


def test_validate_submissions_summarises_microsoft(msft_submissions_bytes: bytes) -> None:
    summary = validate_submissions(msft_submissions_bytes, expected_cik=789019)

    assert summary == {
        "cik": 789019,
        "entity_name": "MICROSOFT CORP",
        "filings": 1009,
        "newest_filed": "2026-04-15",
    }


def test_validate_submissions_refuses_cik_mismatch(msft_submissions_bytes: bytes) -> None:
    with pytest.raises(InvalidPayload) as info:
        validate_submissions(msft_submissions_bytes, expected_cik=1045810)

    assert "789019" in str(info.value)
    assert "1045810" in str(info.value)


def test_validate_submissions_refuses_truncated_json(msft_submissions_bytes: bytes) -> None:
    with pytest.raises(InvalidPayload, match="not JSON"):
        validate_submissions(msft_submissions_bytes[:-10], expected_cik=789019)


def test_validate_submissions_refuses_html_error_page() -> None:
    with pytest.raises(InvalidPayload, match="submissions: not JSON"):
        validate_submissions(HTML_ERROR_PAGE)


def test_validate_submissions_refuses_a_json_list() -> None:
    with pytest.raises(InvalidPayload, match="expected a JSON object, got list"):
        validate_submissions(b"[]")


def test_validate_submissions_refuses_missing_recent_filings() -> None:
    with pytest.raises(InvalidPayload, match=r"missing 'filings\.recent'"):
        validate_submissions(b'{"cik": 789019, "filings": {}}')


def test_validate_submissions_refuses_columns_of_different_length(
    msft_submissions_bytes: bytes,
) -> None:
    doc = json.loads(msft_submissions_bytes)
    doc["filings"]["recent"]["form"] = doc["filings"]["recent"]["form"][:-1]

    with pytest.raises(InvalidPayload, match="differ in length"):
        validate_submissions(json.dumps(doc).encode(), expected_cik=789019)
