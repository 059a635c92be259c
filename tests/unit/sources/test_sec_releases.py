"""Earnings releases (8-K Item 2.02): the EX-99.1 parser on the recorded files, the landing
through the filings form-family code, refusal of a broken release, and the raw load.

Every value asserted below is a cell printed in the recorded release named with it (file under
``sec/filings/sec-edgar-filings/``, the table index the parser gives, the row label as printed).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pytest

from orchestration.sources.base import STALE_KEY
from orchestration.sources.sec_filings.accessions import (
    FILINGS_ROOT,
    extract_filings,
    landed_accessions,
    listed_accessions_to_skip,
    lists_item_202,
)
from orchestration.sources.sec_releases import EARNINGS_RELEASES, RELEASES_SOURCE
from orchestration.sources.sec_releases.release import (
    Period,
    Release,
    ReleaseError,
    number,
    parse_exhibit,
    parse_period,
    parse_release,
)
from orchestration.universe import Company
from tests.unit.support import FIXTURES, MSFT, NVDA, ORCL, snapshot_settings

RELEASES = FIXTURES / "sec" / "filings" / "sec-edgar-filings"
AMZN = Company("AMZN", 1018724, "Amazon.com, Inc.", 12)
GOOGL = Company("GOOGL", 1652044, "Alphabet Inc.", 12)
META = Company("META", 1326801, "Meta Platforms, Inc.", 12)
COMPANIES = {c.ticker: c for c in (MSFT, AMZN, GOOGL, META, NVDA, ORCL)}


@cache
def parsed(ticker: str, accession: str) -> Release:
    path = RELEASES / ticker / "8-K" / accession / "full-submission.txt"
    return parse_release(path.read_bytes(), COMPANIES[ticker].fiscal_year_end_month, str(path))


def cell(ticker: str, accession: str, label: str, header: str, *, table: int | None = None,
         section: str | None = None):
    """The one fact printed under ``label`` (exact) and ``header`` (exact)."""
    found = [f for f in parsed(ticker, accession).facts
             if f.row_label == label and f.column_header == header
             and (table is None or f.table_index == table)
             and (section is None or f.section == section)]
    assert len(found) == 1, [(f.table_index, f.section) for f in found]
    return found[0]


M = Decimal(1_000_000)

# (ticker, accession, table, section, row label, column header, printed, period start, end)
PRINTED = [
    # capex, one quarter per company
    ("MSFT", "0000950170-24-008809", 7, "Investing", "Additions to property and equipment",
     "Three Months Ended December 31, 2023", "(9,735)", "2023-10-01", "2023-12-31"),
    ("AMZN", "0001018724-25-000002", 0, "INVESTING ACTIVITIES:",
     "Purchases of property and equipment", "Three Months Ended December 31, 2024",
     "(27,834)", "2024-10-01", "2024-12-31"),
    ("GOOGL", "0001652044-24-000014", 7, "Investing activities",
     "Purchases of property and equipment", "Quarter Ended December 31, 2023 (unaudited)",
     "(11,019)", "2023-10-01", "2023-12-31"),
    ("META", "0001326801-25-000014", 3, None, "Purchases of property and equipment",
     "Three Months Ended December 31, 2024", "(14,425)", "2024-10-01", "2024-12-31"),
    ("NVDA", "0001045810-24-000028", 7, None,
     "Purchase related to property and equipment and intangible assets",
     "Three Months Ended January 28, 2024", "(253)", "2023-10-30", "2024-01-28"),
    ("ORCL", "0000950170-24-071916", 13, None, "Capital expenditures",
     "Year Ended May 31, 2024", "(6,866", "2023-06-01", "2024-05-31"),
    # revenue
    ("MSFT", "0000950170-24-008809", 4, None, "Total revenue",
     "Three Months Ended December 31, 2023", "62,020", "2023-10-01", "2023-12-31"),
    ("AMZN", "0001018724-25-000002", 3, "Consolidated", "Net sales",
     "Three Months Ended December 31, 2024", "187,792", "2024-10-01", "2024-12-31"),
    ("GOOGL", "0001652044-24-000014", 8, "Revenues:", "Total revenues",
     "Quarter Ended December 31, 2023", "86,310", "2023-10-01", "2023-12-31"),
    ("META", "0001326801-25-000014", 0, None, "Revenue",
     "Three Months Ended December 31, 2024", "48,385", "2024-10-01", "2024-12-31"),
    ("NVDA", "0001045810-24-000028", 5, None, "Revenue",
     "Three Months Ended January 28, 2024", "22,103", "2023-10-30", "2024-01-28"),
    ("ORCL", "0000950170-24-071916", 1, "REVENUES", "Total revenues",
     "Three Months Ended May 31, 2024", "14,287", "2024-03-01", "2024-05-31"),
    # cloud (or other named) segments: the table's section tells revenue from income
    ("MSFT", "0000950170-24-008809", 8, "Operating Income", "Intelligent Cloud",
     "Three Months Ended December 31, 2023", "12,461", "2023-10-01", "2023-12-31"),
    ("AMZN", "0001018724-25-000002", 3, "AWS", "Net sales",
     "Three Months Ended December 31, 2024", "28,786", "2024-10-01", "2024-12-31"),
    ("GOOGL", "0001652044-24-000014", 8, "Revenues:", "Google Cloud",
     "Quarter Ended December 31, 2023", "9,192", "2023-10-01", "2023-12-31"),
    ("GOOGL", "0001652044-24-000014", 8, "Operating income (loss):", "Google Cloud",
     "Quarter Ended December 31, 2023", "864", "2023-10-01", "2023-12-31"),
    ("META", "0001326801-25-000014", 5, "Income (loss) from operations:", "Reality Labs",
     "Three Months Ended December 31, 2024", "(4,967)", "2024-10-01", "2024-12-31"),
    ("ORCL", "0000950170-24-071916", 15, "REVENUES BY OFFERINGS",
     "Cloud services and license support", "Fiscal 2024 Q4", "10,234", "2024-03-01",
     "2024-05-31"),
]


@pytest.mark.parametrize(("ticker", "accession", "table", "section", "label", "header",
                          "printed", "start", "end"), PRINTED,
                         ids=[f"{p[0]}-{p[4][:20]}-{p[6]}" for p in PRINTED])
def test_printed_cells(ticker, accession, table, section, label, header, printed, start, end):
    fact = cell(ticker, accession, label, header, table=table, section=section)
    assert fact.printed == printed
    digits = Decimal(printed.strip("()$ ").replace(",", ""))
    assert fact.value == (-digits if printed.startswith("(") else digits) * M
    assert fact.unit == "USD"
    assert fact.period.start == date.fromisoformat(start)
    assert fact.period.end == date.fromisoformat(end)


def test_msft_recast_segment_is_printed_by_the_later_release():
    # Q2 FY2024 Intelligent Cloud revenue: 25,880 as first printed (January 2024), 21,525 in
    # the January 2025 release, after Microsoft re-cast its segments for FY2025
    first = cell("MSFT", "0000950170-24-008809", "Intelligent Cloud",
                 "Three Months Ended December 31, 2023", section="Revenue", table=8)
    recast = cell("MSFT", "0000950170-25-010484", "Intelligent Cloud",
                  "Three Months Ended December 31, 2023", section="Revenue", table=7)
    assert first.printed == "25,880" and recast.printed == "21,525"
    assert first.period == recast.period


def test_oracle_trailing_four_quarters_table_is_twelve_months():
    # "FREE CASH FLOW - TRAILING 4-QUARTERS": the Q1 FY2024 column prints (8,290), the four
    # quarters ended August 31, 2023 -- not a quarter
    fact = cell("ORCL", "0000950170-24-071916", "Capital Expenditures", "Fiscal 2024 Q1",
                table=14)
    assert fact.printed == "(8,290" and fact.value == -8290 * M
    assert fact.period == Period(date(2022, 9, 1), date(2023, 8, 31), 12, "fiscal label")


def test_amazon_prior_year_first_columns_and_an_unspanned_group_header():
    # Amazon prints 2023 before 2024, and its "Twelve Months Ended" header stops one column
    # short of the 2024 amounts: the group header still applies to them
    fact = cell("AMZN", "0001018724-25-000002", "Purchases of property and equipment",
                "Twelve Months Ended December 31, 2024", table=0)
    assert fact.printed == "(82,999)" and fact.period.months == 12
    earlier = cell("AMZN", "0001018724-25-000002", "Purchases of property and equipment",
                   "Three Months Ended December 31, 2023", table=0)
    assert earlier.printed == "(14,588)"


def test_nvidia_continuation_table_keeps_the_statement_heading():
    # the cash-flow statement runs on into a second table with no header rows
    fact = cell("NVDA", "0001045810-24-000028",
                "Principal payments on property and equipment and intangible assets",
                "Three Months Ended January 28, 2024", table=8)
    assert fact.printed == "(29)" and fact.section == "Cash flows from financing activities:"
    assert "CASH FLOWS" in fact.table_title


def test_per_share_and_share_counts_are_not_scaled_as_dollars():
    eps = cell("MSFT", "0000950170-24-008809", "Diluted",
               "Three Months Ended December 31, 2023", table=4, section="Earnings per share:")
    assert eps.unit == "USD/share" and eps.value == Decimal("2.93")
    shares = cell("MSFT", "0000950170-24-008809", "Diluted",
                  "Three Months Ended December 31, 2023", table=4,
                  section="Weighted average shares outstanding:")
    assert shares.unit == "shares" and shares.value == 7468 * M


# sha256 of every value the parser reads from the 41 recorded releases (``_printed_lines``):
# the parser's speed-ups (issue 18) changed none of them. A deliberate change to what it reads
# changes this digest: say in the commit which values moved, and why.
RECORDED_DIGEST = "5f80c6c3e00b69e7c6822241e7fa49915c0140318037515d282aabd7f57f6068"


def _printed_lines(ticker: str, accession: str, release: Release) -> list[str]:
    head = (ticker, accession, release.filed_date, release.exhibit, release.tables,
            release.tables_skipped)
    return ["|".join(map(str, (*head, f.table_index, f.table_title, f.section, f.row_index,
                                f.row_label, f.column_index, f.column_header, f.period.start,
                                f.period.end, f.period.months, f.period.basis, f.printed,
                                f.value, f.unit)))
            for f in release.facts]


def test_every_recorded_release_parses_whole():
    paths = sorted(RELEASES.glob("*/8-K/*/full-submission.txt"))
    assert len(paths) == 41
    lines, tables, skipped = [], 0, 0
    for path in paths:
        ticker, accession = path.parent.parent.parent.name, path.parent.name
        release = parsed(ticker, accession)
        assert release.facts and release.exhibit
        assert all(f.period.months in (0, 3, 6, 9, 12) for f in release.facts)
        lines += _printed_lines(ticker, accession, release)
        tables, skipped = tables + release.tables, skipped + release.tables_skipped
    assert (len(lines), tables, skipped) == (16561, 447, 108)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert digest == RECORDED_DIGEST


# --- headers and cells ----------------------------------------------------------------------

@pytest.mark.parametrize(("header", "fye", "expected"), [
    ("Three Months Ended December 31, 2023", 6, Period(date(2023, 10, 1), date(2023, 12, 31), 3)),
    ("Six Months Ended December 31, 2023", 6, Period(date(2023, 7, 1), date(2023, 12, 31), 6)),
    ("Nine Months Ended September 30, 2024", 12, Period(date(2024, 1, 1), date(2024, 9, 30), 9)),
    ("Twelve Months Ended June 30, 2024", 12, Period(date(2023, 7, 1), date(2024, 6, 30), 12)),
    ("Year Ended May 31, 2024", 5, Period(date(2023, 6, 1), date(2024, 5, 31), 12)),
    ("Quarter Ended June 30, 2024", 12, Period(date(2024, 4, 1), date(2024, 6, 30), 3)),
    ("Year to Date June 30, 2024", 12, Period(date(2024, 1, 1), date(2024, 6, 30), 6)),
    ("As of December 31, 2023", 12, Period(None, date(2023, 12, 31), 0)),
    ("Three Months Ended October 29 2023", 1, Period(date(2023, 7, 31), date(2023, 10, 29), 3)),
    ("Fiscal 2024 Q1", 5, Period(date(2023, 6, 1), date(2023, 8, 31), 3, "fiscal label")),
    ("Fiscal 2024 TOTAL", 5, Period(date(2023, 6, 1), date(2024, 5, 31), 12, "fiscal label")),
    ("Q2 2024", 12, Period(date(2024, 4, 1), date(2024, 6, 30), 3, "fiscal label")),
    ("Q4 FY24", 1, Period(date(2023, 11, 1), date(2024, 1, 31), 3, "fiscal label")),
    ("Three Months Ended December 31, Revenue", 6, None),  # the year is in the row labels
])
def test_parse_period(header, fye, expected):
    assert parse_period(header, fye) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(9,735)", (Decimal(9735), True)), ("$ 62,020", (Decimal(62020), False)),
    ("(639", (Decimal(639), True)), ("2.93", (Decimal("2.93"), False)),
    ("—", None), ("-", None), ("25%", None), ("(5%)", None), ("*", None), ("n/a", None),
])
def test_number(text, expected):
    assert number(text) == expected


def exhibit(table: str, before: str = "<p>(In millions)</p>") -> bytes:
    return f"<html><body>{before}<table>{table}</table></body></html>".encode()


HEADER = ("<tr><td></td><td colspan='2'>Three Months Ended December 31,</td></tr>"
          "<tr><td></td><td>2023</td><td>2022</td></tr>")


def test_dashes_percentages_and_change_columns_are_not_values():
    body = exhibit(
        "<tr><td></td><td colspan='2'>Three Months Ended December 31,</td><td>% Change</td></tr>"
        "<tr><td></td><td>2023</td><td>2022</td><td></td></tr>"
        "<tr><td>Revenue</td><td>$ 1,000</td><td>—</td><td>25</td><td>%</td></tr>"
        "<tr><td>Other</td><td>12</td><td>7</td><td>(15</td><td>%)</td></tr>")
    facts, tables, skipped = parse_exhibit(body, 12, "t.htm")
    assert (tables, skipped) == (1, 0)
    assert [(f.row_label, f.printed, f.period.end.year) for f in facts] == [
        ("Revenue", "$ 1,000", 2023), ("Other", "12", 2023), ("Other", "7", 2022)]
    assert facts[0].value == 1000 * M


def test_a_table_in_thousands_is_scaled():
    body = exhibit(HEADER + "<tr><td>Revenue</td><td>1,500</td><td>1,200</td></tr>",
                   before="<p>(In thousands)</p>")
    facts, _, _ = parse_exhibit(body, 12, "t.htm")
    assert [f.value for f in facts] == [1_500_000, 1_200_000]


def test_a_table_without_unit_is_refused():
    body = exhibit(HEADER + "<tr><td>Revenue</td><td>1,500</td><td>1,200</td></tr>", before="")
    with pytest.raises(ReleaseError, match=r"t\.htm: table 0 .*no unit"):
        parse_exhibit(body, 12, "t.htm")


def test_an_unreadable_period_header_is_refused_with_table_and_row():
    body = exhibit("<tr><td></td><td>Three Months Ended December 2023</td></tr>"
                   "<tr><td>Revenue</td><td>1,500</td></tr>")
    with pytest.raises(ReleaseError, match=r"t\.htm: table 0, row 1 \('Revenue'\): column "
                                           r"header 'Three Months Ended December 2023'"):
        parse_exhibit(body, 12, "t.htm")


def test_a_table_without_period_columns_is_skipped_not_guessed():
    body = exhibit("<tr><td></td><td>Revenue</td><td>Operating Income</td></tr>"
                   "<tr><td>2023 As Reported (GAAP)</td><td>$62,020</td><td>$27,032</td></tr>")
    facts, tables, skipped = parse_exhibit(body, 6, "t.htm")
    assert facts == [] and (tables, skipped) == (1, 1)


def submission(exhibit_type: str = "EX-99.1", item: str = "Results of Operations and "
               "Financial Condition") -> bytes:
    return (
        "<SEC-DOCUMENT>0000000000-24-000001.txt : 20240130\n<SEC-HEADER>\n"
        f"ITEM INFORMATION:\t\t{item}\nFILED AS OF DATE:\t\t20240130\n</SEC-HEADER>\n"
        f"<DOCUMENT>\n<TYPE>{exhibit_type}\n<SEQUENCE>2\n<FILENAME>ex991.htm\n<TEXT>\n"
    ).encode() + exhibit(HEADER + "<tr><td>Revenue</td><td>1,500</td><td>1,200</td></tr>") + (
        b"\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")


def test_a_release_without_ex_99_1_is_refused():
    with pytest.raises(ReleaseError, match=r"x/full-submission\.txt: no EX-99\.1 document"):
        parse_release(submission("EX-99.2"), 12, "x/full-submission.txt")
    assert parse_release(submission(), 12, "x").filed_date == "2024-01-30"


# --- landing through the filings form-family code ------------------------------------------

def read_log(settings) -> list[dict]:
    return [json.loads(line) for line in settings.landing_log.read_text().splitlines()]


def snapshot_with(tmp_path: Path, ticker: str, accessions: list[str]) -> Path:
    snapshot = tmp_path / "snapshot"
    for accession in accessions:
        shutil.copytree(RELEASES / ticker / "8-K" / accession,
                        snapshot / FILINGS_ROOT / ticker / "8-K" / accession)
    return snapshot


def test_releases_land_once_beside_the_periodic_filings(tmp_path):
    settings = snapshot_settings(tmp_path)
    first = extract_filings(settings, MSFT, family=EARNINGS_RELEASES)
    assert len(first.landed) == 6 and not first.failed and not first.ignored
    periodic = extract_filings(settings, MSFT)  # 10-K/10-Q: the 8-Ks are not theirs
    assert not set(periodic.landed) & set(first.landed)
    again = extract_filings(settings, MSFT, family=EARNINGS_RELEASES)
    assert again.landed == [] and sorted(again.skipped) == sorted(first.landed)
    sources = {r["source"] for r in read_log(settings) if r["landed_path"]
               and "/8-K/" in r["landed_path"]}
    assert sources == {"releases"}


def test_an_8k_without_item_202_is_not_landed(tmp_path):
    snapshot = snapshot_with(tmp_path, "MSFT", ["0000950170-24-008809"])
    other = snapshot / FILINGS_ROOT / "MSFT" / "8-K" / "0000950170-24-000001"
    other.mkdir(parents=True)
    (other / "full-submission.txt").write_bytes(submission(item="Other Events"))
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    result = extract_filings(settings, MSFT, family=EARNINGS_RELEASES)
    assert result.landed == ["0000950170-24-008809"]
    assert result.ignored == ["0000950170-24-000001"]


def test_a_broken_release_is_quarantined_named_and_not_landed(tmp_path):
    good, bad = "0000950170-24-008809", "0000950170-24-048268"
    snapshot = snapshot_with(tmp_path, "MSFT", [good, bad])
    broken = snapshot / FILINGS_ROOT / "MSFT" / "8-K" / bad / "full-submission.txt"
    broken.write_bytes(broken.read_bytes().replace(b"<TYPE>EX-99.1", b"<TYPE>EX-99.9"))
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    result = extract_filings(settings, MSFT, family=EARNINGS_RELEASES)
    assert result.landed == [good]
    assert len(result.failed) == 1 and "no EX-99.1 document" in result.failed[0]
    assert str(broken) in result.failed[0]
    failed = [r for r in read_log(settings) if r["status"] == "failed"]
    assert len(failed) == 1 and bad in failed[0]["origin"]
    assert "no EX-99.1" in failed[0]["detail"] and "quarantined" in failed[0]["detail"]
    assert landed_accessions(settings.landing_dir, "MSFT") == {good}
    quarantined = list((settings.landing_dir / "_quarantine").rglob("full-submission.txt.*"))
    assert len(quarantined) == 1 and bad in str(quarantined[0])
    # the company fails alone, naming the release; the release landed before is kept (stale)
    outcome = RELEASES_SOURCE.extract(settings, ["MSFT"], _Log())
    assert outcome.failure is None
    [note] = outcome.metadata[STALE_KEY]
    assert note.startswith(f"MSFT: {bad}: ") and "no EX-99.1" in note
    assert note.endswith("its last good data (1 landed filing(s)) is kept and flagged stale")


def test_live_listing_skips_8ks_without_item_202():
    submissions = {"filings": {"recent": {
        "accessionNumber": ["a-1", "a-2", "a-3", "a-4"],
        "form": ["8-K", "8-K", "10-Q", "8-K"],
        "items": ["2.02,9.01", "5.07", "", ""],
    }}}
    assert listed_accessions_to_skip(submissions, EARNINGS_RELEASES) == {"a-2"}
    assert lists_item_202("2.02,9.01") and not lists_item_202("8.01,9.01")


class _Log:
    def info(self, msg: str) -> None: ...
    def warning(self, msg: str) -> None: ...
    def error(self, msg: str) -> None: ...


# --- raw load -------------------------------------------------------------------------------

def test_raw_load_from_the_landing_log_and_unchanged(tmp_path):
    snapshot = snapshot_with(tmp_path, "GOOGL", ["0001652044-24-000014"])
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    assert not RELEASES_SOURCE.extract(settings, ["GOOGL"], _Log()).failure
    settings.warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.build_db)) as con:
        loaded = {item.table: item for item in RELEASES_SOURCE.load(con, settings)}
        assert loaded["sec_releases"].rows == 1
        assert not loaded["sec_release_facts"].metadata["unchanged"]
        row = con.execute(
            "select value, period_start, period_end, period_months, section, source_url "
            "from raw.sec_release_facts f join raw.sec_releases r using (accession_number) "
            "where row_label = 'Google Cloud' and section = 'Operating income (loss):' "
            "and period_end = date '2023-12-31' and table_index = 8").fetchall()
        assert row == [(Decimal("864000000.000000"), date(2023, 10, 1), date(2023, 12, 31), 3,
                        "Operating income (loss):",
                        "https://www.sec.gov/Archives/edgar/data/1652044/000165204424000014/"
                        "0001652044-24-000014-index.htm")]
        again = {item.table: item for item in RELEASES_SOURCE.load(con, settings)}
        assert again["sec_release_facts"].metadata["unchanged"]
        assert again["sec_release_facts"].rows == loaded["sec_release_facts"].rows


def test_a_landed_release_that_no_longer_parses_loads_no_fact(tmp_path):
    snapshot = snapshot_with(tmp_path, "GOOGL", ["0001652044-24-000014"])
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    RELEASES_SOURCE.extract(settings, ["GOOGL"], _Log())
    landed = next(settings.landing_dir.rglob("full-submission.txt"))
    landed.write_bytes(landed.read_bytes().replace(b"<TYPE>EX-99.1", b"<TYPE>EX-99.9"))
    settings.warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.build_db)) as con:
        loaded = {item.table: item for item in RELEASES_SOURCE.load(con, settings)}
        assert loaded["sec_release_facts"].rows == 0
        assert any("no EX-99.1" in w for w in loaded["sec_releases"].warnings)


# --- live mode: sec-edgar-downloader get("8-K") through the project's SEC client ------------

LIVE_RELEASE = "0000950170-24-008809"


class FakeSecReleases:
    """The submissions list (three 8-Ks) and the archive files sec-edgar-downloader asks for."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.full = (RELEASES / "MSFT" / "8-K" / LIVE_RELEASE / "full-submission.txt").read_bytes()
        self.listing = {
            "cik": "789019", "name": "MICROSOFT CORP",
            "filings": {"recent": {
                "accessionNumber": [LIVE_RELEASE, "0000950170-24-000002", "0000950170-24-000003"],
                "form": ["8-K", "8-K", "8-K"],
                "items": ["2.02,9.01", "5.07", ""],
                "primaryDocument": ["msft-20240130.htm", "vote.htm", "other.htm"],
                "filingDate": ["2024-01-30", "2024-02-01", "2024-02-02"],
            }, "files": []},
        }

    def __call__(self, request):
        import httpx

        url = str(request.url)
        self.urls.append(url)
        if url == "https://data.sec.gov/submissions/CIK0000789019.json":
            return httpx.Response(200, json=self.listing)
        base = "https://www.sec.gov/Archives/edgar/data/789019/"
        if url == f"{base}000095017024008809/{LIVE_RELEASE}.txt":
            return httpx.Response(200, content=self.full)
        if url == f"{base}000095017024000003/0000950170-24-000003.txt":
            return httpx.Response(200, content=submission(item="Other Events"))
        if url.endswith((".htm", ".html")) and url.startswith(base):
            return httpx.Response(200, content=b"<html><body>8-K</body></html>")
        return httpx.Response(404)


def test_live_lands_only_item_202_releases(tmp_path, monkeypatch):
    import httpx
    from sec_edgar_downloader import _orchestrator

    from orchestration.sources.http import sec_client
    from tests.unit.support import live_settings

    monkeypatch.setattr(_orchestrator, "get_ticker_to_cik_mapping",
                        lambda *_: pytest.fail("ticker download"))
    settings = live_settings(tmp_path)
    fake = FakeSecReleases()
    client = sec_client(settings, transport=httpx.MockTransport(fake))
    result = extract_filings(settings, MSFT, client=client, family=EARNINGS_RELEASES)
    assert result.landed == [LIVE_RELEASE] and not result.failed, result
    assert result.ignored == ["0000950170-24-000003"]  # no 2.02 in its SGML header
    assert not any("000095017024000002" in u for u in fake.urls)  # 5.07: never requested
    landed = settings.landing_dir / FILINGS_ROOT / "MSFT" / "8-K" / LIVE_RELEASE
    assert (landed / "full-submission.txt").read_bytes() == fake.full
    assert landed_accessions(settings.landing_dir, "MSFT") == {LIVE_RELEASE}
