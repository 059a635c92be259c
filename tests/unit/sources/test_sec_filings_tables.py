"""Landed filings -> raw.sec_filings / raw.sec_filing_facts (DuckDB), bad XBRL named."""

from __future__ import annotations

import duckdb

from orchestration.sources.sec_filings.accessions import (
    MANIFEST,
    accession_relative_dir,
    extract_filings,
    land_accession_folder,
)
from orchestration.sources.sec_filings.tables import load_filings
from tests.unit.support import MSFT, snapshot_settings


def test_load_landed_filings_and_name_the_bad_one(tmp_path):
    settings = snapshot_settings(tmp_path)
    extract_filings(settings, MSFT)
    broken = tmp_path / "elsewhere" / "0000789019-99-000001"
    broken.mkdir(parents=True)
    (broken / "primary-document.html").write_text("<html><body>truncated")
    land_accession_folder(settings, MSFT, "10-K", broken, str(broken))  # raw loads read the log

    con = duckdb.connect()
    counts, unchanged = load_filings(con, settings.landing_dir)
    assert counts["sec_filings"] == 3 and not unchanged
    rows = dict(con.execute(
        "select accession_number, extract_error from raw.sec_filings").fetchall())
    assert rows["0001193125-15-350718"] is None
    assert "not well-formed" in rows["0000789019-99-000001"]
    value, unit, dims = con.execute(
        "select value, unit, dimensions from raw.sec_filing_facts "
        "where accession_number = '0001193125-15-350718' and concept = 'SalesRevenueNet' "
        "and period_start = '2015-07-01' and period_end = '2015-09-30' "
        "and dimensions like '%IntelligentCloudMember'").fetchone()
    assert value == 5_892_000_000 and unit == "USD"
    assert dims == ("us-gaap:ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember|"
                    "us-gaap:StatementBusinessSegmentsAxis=msft:IntelligentCloudMember")
    url, = con.execute("select source_url from raw.sec_filings "
                       "where accession_number = '0001193125-15-272806'").fetchone()
    assert url.endswith("/000119312515272806/0001193125-15-272806-index.htm")


def test_load_with_nothing_landed_creates_empty_tables(tmp_path):
    con = duckdb.connect()
    empty = {"sec_filings": 0, "sec_filing_facts": 0}
    assert load_filings(con, tmp_path / "landing") == (empty, False)
    assert con.execute("select count(*) from raw.sec_filing_facts").fetchall() == [(0,)]
    assert load_filings(con, tmp_path / "landing") == (empty, True)


def test_unchanged_filings_are_not_extracted_again_and_a_new_one_is(tmp_path, monkeypatch):
    settings = snapshot_settings(tmp_path)
    extract_filings(settings, MSFT)
    con = duckdb.connect()
    first, _ = load_filings(con, settings.landing_dir)

    calls = []
    monkeypatch.setattr("orchestration.sources.sec_filings.tables.extract_landed",
                        lambda landed: calls.append(landed) or iter(()))
    assert load_filings(con, settings.landing_dir) == (first, True)
    assert calls == []

    extra = tmp_path / "elsewhere" / "0000789019-99-000001"
    extra.mkdir(parents=True)
    (extra / "primary-document.html").write_text("<html></html>")
    land_accession_folder(settings, MSFT, "10-K", extra, str(extra))  # raw loads read the log
    assert (settings.landing_dir / accession_relative_dir(
        "MSFT", "10-K", "0000789019-99-000001") / MANIFEST).is_file()
    load_filings(con, settings.landing_dir)
    [landed] = calls  # read once, with every landed file of the log, the new one included
    assert any("0000789019-99-000001" in str(f.path) for f in landed)
