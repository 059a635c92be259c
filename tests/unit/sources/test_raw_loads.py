"""Typed loads of the real recorded SEC files into an in-memory DuckDB ``raw`` schema."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.landing import LandingRecord, append_log
from orchestration.sources.eia import EIA_SOURCE
from orchestration.sources.epoch import EPOCH_SOURCE
from orchestration.sources.gpu import GPU_SOURCE
from orchestration.sources.raw import (
    LOAD_MEMORY_FLOOR,
    load_landing_log,
    load_memory_limit,
    max_object_size,
    sync_files,
)
from orchestration.sources.sec_company_facts import COMPANY_FACTS_SOURCE, SUBMISSIONS_SOURCE
from orchestration.sources.sec_company_facts.tables import (
    COMPANY_FACTS_COLUMNS,
    COMPANY_FACTS_SELECT,
    load_company_facts,
    load_submissions,
)
from orchestration.universe import load_universe
from tests.unit.support import COMPANY_FACTS_DIR, NVDA_FACTS, SUBMISSIONS_DIR, snapshot_settings

FACTS_FILES = sorted(COMPANY_FACTS_DIR.glob("CIK*.json"))
SUBMISSIONS_FILES = sorted(SUBMISSIONS_DIR.glob("CIK*.json"))


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    yield connection
    connection.close()


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from raw.{table}").fetchone()[0]


# --- company facts -------------------------------------------------------------------------


def test_fixture_file_sets_are_the_expected_ones() -> None:
    assert [p.name for p in FACTS_FILES] == ["CIK0001045810.json", "CIK0001652044.json"]
    assert len(SUBMISSIONS_FILES) == 5


def test_load_company_facts_loads_every_fact(con: duckdb.DuckDBPyConnection) -> None:
    assert load_company_facts(con, FACTS_FILES).rows == 47_227
    assert count(con, "sec_company_facts") == 47_227

    per_cik = dict(con.execute(
        "select cik, count(*) from raw.sec_company_facts group by cik"
    ).fetchall())
    assert per_cik == {1045810: 26_903, 1652044: 20_324}


def test_load_company_facts_known_nvidia_capex_fact(con: duckdb.DuckDBPyConnection) -> None:
    load_company_facts(con, FACTS_FILES)

    rows = con.execute(
        """
        select val, accn, fy, fp, form, filed, frame, unit, source_file
        from raw.sec_company_facts
        where cik = 1045810 and taxonomy = 'us-gaap'
          and concept = 'PaymentsToAcquireProductiveAssets'
          and period_start = date '2025-01-27' and period_end = date '2026-01-25'
        """
    ).fetchall()

    assert rows == [(
        Decimal("6042000000"), "0001045810-26-000021", 2026, "FY", "10-K",
        dt.date(2026, 2, 25), "CY2025", "USD", str(NVDA_FACTS),
    )]


def test_load_company_facts_instant_facts_have_no_period_start(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_company_facts(con, FACTS_FILES)

    rows = con.execute(
        """
        select period_start, val from raw.sec_company_facts
        where cik = 1045810 and concept = 'Assets' and period_end = date '2026-01-25'
          and accn = '0001045810-26-000021'
        """
    ).fetchall()

    assert rows == [(None, Decimal("206803000000"))]
    nulls = con.execute(
        "select count(*) from raw.sec_company_facts where period_start is null"
    ).fetchone()[0]
    assert 0 < nulls < 47_227


def test_load_company_facts_column_types(con: duckdb.DuckDBPyConnection) -> None:
    load_company_facts(con, FACTS_FILES)

    types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'sec_company_facts'"
    ).fetchall())

    assert types["cik"] == "BIGINT"
    assert types["period_start"] == types["period_end"] == types["filed"] == "DATE"
    assert types["val"] == "DECIMAL(38,6)"
    assert types["fy"] == "INTEGER"


def test_load_company_facts_with_no_files_gives_an_empty_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_company_facts(con, FACTS_FILES)

    assert load_company_facts(con, []).rows == 0
    assert count(con, "sec_company_facts") == 0


def test_load_company_facts_replaces_rather_than_appends(con: duckdb.DuckDBPyConnection) -> None:
    load_company_facts(con, FACTS_FILES)

    assert load_company_facts(con, [NVDA_FACTS]).rows == 26_903
    assert con.execute(
        "select distinct cik from raw.sec_company_facts"
    ).fetchall() == [(1045810,)]


def test_failed_load_of_a_missing_file_keeps_the_previous_table(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_company_facts(con, FACTS_FILES)

    with pytest.raises(FileNotFoundError, match=r"CIK0000000000\.json"):
        load_company_facts(con, [NVDA_FACTS, tmp_path / "CIK0000000000.json"])

    assert count(con, "sec_company_facts") == 47_227


def test_failed_load_of_a_corrupt_file_keeps_the_previous_table(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_company_facts(con, FACTS_FILES)
    corrupt = tmp_path / "CIK0001045810.json"
    corrupt.write_bytes(NVDA_FACTS.read_bytes()[:100_000])  # truncated mid-document

    with pytest.raises(duckdb.Error):
        load_company_facts(con, [corrupt])

    assert count(con, "sec_company_facts") == 47_227
    # The connection is usable afterwards (the failed transaction was rolled back).
    assert load_company_facts(con, [FACTS_FILES[1]]).rows == 20_324


def test_load_settings_are_the_connections_own_again_after_a_failed_load(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    con.execute("set preserve_insertion_order = true")
    con.execute("set memory_limit = '3GiB'")
    corrupt = tmp_path / "CIK0001045810.json"
    corrupt.write_bytes(NVDA_FACTS.read_bytes()[:100_000])

    with pytest.raises(duckdb.Error):
        load_company_facts(con, [corrupt])

    assert con.execute("select current_setting('preserve_insertion_order'), "
                       "current_setting('memory_limit')").fetchall() == [(True, "3.0 GiB")]


def test_read_json_object_size_and_memory_follow_the_largest_file() -> None:
    nvda = NVDA_FACTS.stat().st_size  # 4.0 MB: one JSON object
    assert max_object_size(nvda) == 4 * 1024 * 1024 >= nvda
    assert max_object_size(0) == 1024 * 1024
    assert load_memory_limit(nvda, threads=2) == LOAD_MEMORY_FLOOR
    assert load_memory_limit(100 * 1024 * 1024, threads=2) == 3200 * 1024 * 1024


def test_load_company_facts_reads_a_copy_the_same_way(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    copy = tmp_path / "landing" / "CIK0001045810.json"
    copy.parent.mkdir()
    shutil.copyfile(NVDA_FACTS, copy)

    assert load_company_facts(con, [copy]).rows == 26_903
    assert con.execute(
        "select distinct source_file from raw.sec_company_facts"
    ).fetchall() == [(str(copy),)]


def test_reload_reads_only_new_or_changed_files(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    nvda, googl = (landing / p.name for p in FACTS_FILES)
    shutil.copyfile(FACTS_FILES[0], nvda)
    shutil.copyfile(FACTS_FILES[1], googl)
    first = load_company_facts(con, [nvda, googl])
    assert (first.rows, first.loaded, first.unchanged) == (47_227, [str(nvda), str(googl)], 0)

    again = load_company_facts(con, [nvda, googl])
    assert (again.rows, again.loaded, again.unchanged) == (47_227, [], 2)

    # a changed file is re-read alone; its old rows go, the other company's stay
    nvda.write_bytes(nvda.read_bytes().replace(b'"val":6042000000', b'"val":6042000001', 1))
    changed = load_company_facts(con, [nvda, googl])
    assert (changed.rows, changed.loaded, changed.unchanged) == (47_227, [str(nvda)], 1)
    assert con.execute(
        "select count(*) from raw.sec_company_facts where val = 6042000001"
    ).fetchone()[0] == 1

    gone = load_company_facts(con, [googl])
    assert (gone.rows, gone.loaded, gone.removed) == (20_324, [], [str(nvda)])


def test_a_sync_is_checkpointed_before_its_memory_limit_is_lifted(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("set memory_limit = '3GiB'")
        assert load_company_facts(con, FACTS_FILES).rows == 47_227
        # written out to the database file already, not left in the WAL for close
        wal = database.with_name(database.name + ".wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert con.execute("select current_setting('memory_limit')").fetchall() == [("3.0 GiB",)]


def test_a_changed_loader_rebuilds_the_table(con: duckdb.DuckDBPyConnection) -> None:
    load_company_facts(con, FACTS_FILES)
    narrower = COMPANY_FACTS_SELECT.replace("from facts", "from facts where unit = 'USD'")
    rebuilt = sync_files(con, "sec_company_facts", COMPANY_FACTS_COLUMNS, narrower, FACTS_FILES)
    assert rebuilt.loaded == [str(p) for p in FACTS_FILES]
    assert con.execute(
        "select count(distinct unit) from raw.sec_company_facts").fetchone()[0] == 1


# --- submissions ---------------------------------------------------------------------------


def test_load_submissions_loads_every_recent_filing(con: duckdb.DuckDBPyConnection) -> None:
    assert load_submissions(con, SUBMISSIONS_FILES).rows == 5_034

    rows = con.execute(
        "select cik, entity_name, count(*), max(filing_date) from raw.sec_submissions "
        "group by all order by cik"
    ).fetchall()
    assert rows == [
        (789019, "MICROSOFT CORP", 1009, dt.date(2026, 4, 15)),
        (1018724, "AMAZON COM INC", 1002, dt.date(2026, 4, 24)),
        (1045810, "NVIDIA CORP", 1000, dt.date(2026, 3, 26)),
        (1326801, "Meta Platforms, Inc.", 1000, dt.date(2022, 11, 10)),
        (1652044, "Alphabet Inc.", 1023, dt.date(2026, 4, 17)),
    ]


def test_load_submissions_keeps_filings_aligned_and_blank_report_dates_null(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_submissions(con, SUBMISSIONS_FILES)

    row = con.execute(
        "select form, filing_date, report_date, primary_document from raw.sec_submissions "
        "where accession_number = '0000789019-26-000070'"
    ).fetchone()
    assert row == ("4", dt.date(2026, 4, 15), dt.date(2026, 4, 15), "xslF345X06/form4.xml")

    blank = con.execute(
        "select report_date from raw.sec_submissions "
        "where accession_number = '0000102909-26-001884'"
    ).fetchone()
    assert blank == (None,)
    assert con.execute(
        "select count(*) from raw.sec_submissions where filing_date is null"
    ).fetchone()[0] == 0


def test_failed_submissions_load_keeps_the_previous_table(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_submissions(con, SUBMISSIONS_FILES)
    corrupt = tmp_path / "CIK0000789019.json"
    corrupt.write_bytes(b'{"cik": "0000789019", "filings": {"recent": {"accessionNumber": [')

    with pytest.raises(duckdb.Error):
        load_submissions(con, [*SUBMISSIONS_FILES, corrupt])

    assert count(con, "sec_submissions") == 5_034


# --- landing log ---------------------------------------------------------------------------


def test_load_landing_log_reads_append_log_output(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    log = tmp_path / "landing_log.jsonl"
    append_log(log, LandingRecord("companyfacts", "NVDA", "https://x", "/l/x", "ab", 3,
                                  "2026-07-09T11:17:10+00:00", "landed"))
    append_log(log, LandingRecord("companyfacts", "ORCL", "/snap/y", None, None, None,
                                  "2026-07-09T11:17:11+00:00", "missing", "not in snapshot"))

    assert load_landing_log(con, log) == 2
    rows = con.execute(
        "select partition, status, bytes, detail, epoch(retrieved_at) from raw.landing_log "
        "order by partition"
    ).fetchall()
    assert rows == [
        ("NVDA", "landed", 3, None, 1783595830.0),
        ("ORCL", "missing", None, "not in snapshot", 1783595831.0),
    ]


def test_load_landing_log_without_a_log_gives_an_empty_table(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert load_landing_log(con, tmp_path / "absent.jsonl") == 0
    (tmp_path / "empty.jsonl").write_text("")
    assert load_landing_log(con, tmp_path / "empty.jsonl") == 0


# --- a copied landing zone ------------------------------------------------------------------

FILE_LOADS = (COMPANY_FACTS_SOURCE, SUBMISSIONS_SOURCE, EIA_SOURCE, GPU_SOURCE, EPOCH_SOURCE)


def _raw_tables(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {source.table.name: con.execute(
            f"select * exclude (loaded_at) from raw.{source.table.name} order by all"
            if "loaded_at" in source.table.columns else
            f"select * from raw.{source.table.name} order by all").fetchall()
            for source in FILE_LOADS}


def test_a_copied_landing_zone_and_warehouse_are_not_read_again(tmp_path: Path) -> None:
    first = snapshot_settings(tmp_path / "first")
    database = tmp_path / "first.duckdb"
    with duckdb.connect(str(database)) as con:
        for source in FILE_LOADS:
            tickers = [company.ticker for company in load_universe()]
            assert not source.extract(first, tickers, logging.getLogger(__name__)).failure
            source.load(con, first)
        facts_files = sorted(row[0] for row in con.execute(
            "select distinct source_file from raw.sec_company_facts").fetchall())
        gpu_files = {row[0] for row in con.execute(
            "select distinct source_file from raw.gpu_prices").fetchall()}
    # rows name their files inside the landing zone, not where the zone lies
    assert facts_files == ["sec/companyfacts/CIK0001045810.json",
                           "sec/companyfacts/CIK0001652044.json"]
    assert "gpu/aws_price_list/gpu_prices.csv" in gpu_files
    assert not any(str(tmp_path) in name for name in gpu_files)

    second = snapshot_settings(tmp_path / "second")
    shutil.copytree(first.landing_dir, second.landing_dir)
    shutil.copyfile(database, tmp_path / "second.duckdb")
    with duckdb.connect(str(tmp_path / "second.duckdb")) as con:
        loaded = [item for source in FILE_LOADS for item in source.load(con, second)]
    facts, submissions, *prices = loaded
    assert (facts.metadata["files_read"], facts.metadata["files_unchanged"]) == ([], 2)
    assert (submissions.metadata["files_read"], submissions.metadata["files_unchanged"]) == ([], 5)
    assert [item.metadata["unchanged"] for item in prices] == [True, True, True]
    assert _raw_tables(tmp_path / "second.duckdb") == _raw_tables(database)


def test_paths_with_a_root_are_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # a root names the files of a {name: sha256} mapping (the landing log's); paths are their
    # own names
    with pytest.raises(TypeError, match="a root names files of a"):
        load_company_facts(con, [NVDA_FACTS], root=tmp_path)
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'"
                       ).fetchone() == (0,)
