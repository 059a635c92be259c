"""Parsed raw loads (filings, releases) stream in bounded batches and replace their tables whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.landing import LandedFile, landed_files
from orchestration.sources import raw
from orchestration.sources.sec_filings import tables
from orchestration.sources.sec_filings.accessions import SOURCE, extract_filings
from tests.unit.support import MSFT, snapshot_settings

BATCH = 500  # Microsoft's two recorded filings give 1,210 + 1,883 facts


def msft_landed(tmp_path: Path) -> list[LandedFile]:
    settings = snapshot_settings(tmp_path)
    extract_filings(settings, MSFT)
    return landed_files(settings.landing_dir, [SOURCE])


def spy_inserts(monkeypatch: pytest.MonkeyPatch,
                before: Callable[[], None] = lambda: None) -> list[tuple[str, int]]:
    """(table, rows) of every batch inserted, in order; ``before`` is called before each."""
    inserts: list[tuple[str, int]] = []
    insert = raw._insert

    def recorded(cursor, target, spec, rows):
        before()
        inserts.append((target, len(rows)))
        insert(cursor, target, spec, rows)

    monkeypatch.setattr(raw, "_insert", recorded)
    return inserts


def contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: con.execute(sql).fetchall() for name, sql in {
        "filings": "select * exclude (extracted_at) from raw.sec_filings order by all",
        "facts": "select * from raw.sec_filing_facts order by all",
        "state": "select * from raw._load_state order by all",
        "tables": "select table_name from duckdb_tables() order by all",
    }.items()}


def test_filings_are_parsed_lazily_and_inserted_in_bounded_batches(tmp_path, monkeypatch):
    landed = msft_landed(tmp_path)
    parsed: list[int] = []  # fact rows of each filing taken from the extractor so far
    seen: list[tuple[int, int]] = []  # at each insert: filings parsed, fact rows not yet inserted

    def documents() -> Iterator[tuple[list[dict], list[tuple]]]:
        for filing in tables.extract_landed(landed):
            parsed.append(len(filing[1]))
            yield filing

    def watch() -> None:
        inserted = sum(n for table, n in inserts if table == "_sec_filing_facts_loading")
        seen.append((len(parsed), sum(parsed) - inserted))

    inserts = spy_inserts(monkeypatch, watch)
    con = duckdb.connect()
    counts, unchanged = raw.load_parsed_tables(con, landed, "streamed", tables.TABLES,
                                               documents, batch_rows=BATCH)

    assert counts == {"sec_filings": 2, "sec_filing_facts": 3_093} and not unchanged
    facts = [rows for table, rows in inserts if table == "_sec_filing_facts_loading"]
    assert facts == [500] * 6 + [93]
    assert seen[0][0] == 1  # the first batch went in before the second filing was read
    # never more than a batch plus the filing just read held in Python
    assert max(pending for _, pending in seen) < BATCH + max(parsed)

    whole = duckdb.connect()
    raw.load_parsed_tables(whole, landed, "streamed", tables.TABLES,
                           lambda: tables.extract_landed(landed), batch_rows=10**9)
    assert contents(con) == contents(whole)  # the same rows, whatever the batches


def test_a_filing_failing_mid_stream_keeps_the_previous_tables_and_load_state(
    tmp_path, monkeypatch
):
    landed = msft_landed(tmp_path)
    con = duckdb.connect()
    raw.load_parsed_tables(con, landed, "first", tables.TABLES,
                           lambda: tables.extract_landed(landed))
    before = contents(con)

    read = tables.read_landed_filing

    def second_fails(ticker, form, folder):
        if folder.name == "0001193125-15-350718":
            raise OSError(f"{folder}: unreadable")
        return read(ticker, form, folder)

    monkeypatch.setattr(tables, "read_landed_filing", second_fails)
    inserts = spy_inserts(monkeypatch)
    with pytest.raises(OSError, match="0001193125-15-350718: unreadable"):
        raw.load_parsed_tables(con, landed, "changed", tables.TABLES,
                               lambda: tables.extract_landed(landed), batch_rows=BATCH)

    assert inserts[:2] == [("_sec_filing_facts_loading", 500)] * 2  # batches had gone in
    assert contents(con) == before  # tables, load state, and no loading table left behind
    monkeypatch.setattr(tables, "read_landed_filing", read)
    counts, _ = raw.load_parsed_tables(con, landed, "changed", tables.TABLES,
                                       lambda: tables.extract_landed(landed))
    assert counts == {"sec_filings": 2, "sec_filing_facts": 3_093}


def test_a_loading_table_a_killed_load_left_goes_with_the_next_load(tmp_path):
    landed = msft_landed(tmp_path)
    con = duckdb.connect()

    def load() -> tuple[dict[str, int], bool]:
        return raw.load_parsed_tables(con, landed, "same", tables.TABLES,
                                      lambda: tables.extract_landed(landed))

    load()
    before = contents(con)
    # what a SIGKILL between two committed batches leaves: a loading table with some rows
    con.execute("create table raw._sec_filing_facts_loading as "
                "select * from raw.sec_filing_facts limit 500")

    counts, unchanged = load()  # nothing to load: same files, same loader

    assert unchanged and counts == {"sec_filings": 2, "sec_filing_facts": 3_093}
    assert contents(con) == before


def test_a_copied_landing_zone_and_warehouse_are_not_parsed_again(tmp_path):
    first = snapshot_settings(tmp_path / "first")
    extract_filings(first, MSFT)
    with duckdb.connect(str(tmp_path / "first.duckdb")) as con:
        counts, unchanged = tables.load_filings(con, first.landing_dir)
        documents = sorted(row[0] for row in con.execute(
            "select source_document from raw.sec_filings").fetchall())
    assert not unchanged and counts == {"sec_filings": 2, "sec_filing_facts": 3_093}
    # rows and load state name each file inside the landing zone, not by where it lies
    assert len(documents) == 2 and all(
        d.startswith("sec/filings/sec-edgar-filings/MSFT/10-") for d in documents), documents

    second = tmp_path / "second"
    shutil.copytree(first.landing_dir, second / "landing")
    shutil.copy(tmp_path / "first.duckdb", tmp_path / "second.duckdb")
    with duckdb.connect(str(tmp_path / "second.duckdb")) as con:
        again, unchanged = tables.load_filings(con, second / "landing")
    assert unchanged and again == counts
