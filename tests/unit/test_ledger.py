"""The run ledger: what steps record is what publish and the reports read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.quality.checks import FAILING_ROW_SAMPLE, check_results, compiled_tests
from orchestration.quality.ledger import (
    DQ_COLUMNS,
    CheckResult,
    PublishRecord,
    RunLedger,
    read_ledger,
    record_checks,
    record_publish,
    record_skipped,
    write_published_tables,
)
from orchestration.report.run import RunReport


def _check(run_id: str, name: str, passed: bool = True) -> CheckResult:
    return CheckResult(run_id, "2026-01-01T00:00:00+00:00", "audit/fct_ai_capex", name,
                       "volume", passed, "ERROR", True, "", "3 rows", "[]")


def test_an_empty_ledger_is_not_published(tmp_path: Path) -> None:
    ledger = read_ledger(tmp_path, "r0")
    assert ledger == RunLedger("r0")
    assert ledger.verdict == "NOT published - the previous version stays served"


def test_checks_skips_and_the_publish_are_read_back(tmp_path: Path) -> None:
    record_checks(tmp_path, [_check("r1", "a", passed=False), _check("r1", "b")])
    record_checks(tmp_path, [_check("r1", "a")])  # a re-executed step: its latest result
    record_publish(tmp_path, "r1", PublishRecord(
        True, False, "2026-01-01T00:00:00+00:00", "marts.duckdb", ("fct_ai_capex",),
        {"fct_ai_capex": 3}, "build.duckdb"))
    ledger = read_ledger(tmp_path, "r1")
    assert [(c.check_name, c.passed) for c in ledger.checks] == [("b", True), ("a", True)]
    assert ledger.published and not ledger.unchanged and ledger.verdict == "published"
    assert ledger.publish is not None and ledger.publish.tables == ("fct_ai_capex",)
    assert (tmp_path / "runs" / "r1" / "ledger.jsonl").is_file()


def test_a_skipped_build_is_recorded_not_inferred(tmp_path: Path) -> None:
    record_skipped(tmp_path, "r2", ["dbt build", "mart gates", "publish"],
                   "nothing new since run r1", since_run_id="r1")
    ledger = read_ledger(tmp_path, "r2")
    assert ledger.build_skipped and ledger.unchanged and not ledger.published
    assert ledger.skipped[0].describe() == "dbt build skipped: nothing new since run r1"
    assert ledger.verdict == "unchanged (nothing new since the last publish)"


def test_published_tables_carry_the_history_over(tmp_path: Path) -> None:
    previous = tmp_path / "previous.duckdb"
    with duckdb.connect(str(previous)) as con:
        write_published_tables(con, RunLedger("r1", (_check("r1", "a"),)),
                               PublishRecord(True, False, "2026-01-01T00:00:00+00:00", "p"),
                               None)
    with duckdb.connect(str(tmp_path / "new.duckdb")) as con:
        write_published_tables(con, RunLedger("r2", (_check("r2", "a"), _check("r2", "b"))),
                               PublishRecord(True, False, "2026-01-02T00:00:00+00:00", "p",
                                             ("fct_ai_capex",), {"fct_ai_capex": 3}),
                               previous)
        columns = [r[0] for r in con.execute("describe dq_results").fetchall()]
        runs = con.execute("select run_id, count(*) from dq_results group by 1 order by 1")
        assert runs.fetchall() == [("r1", 1), ("r2", 2)]
        log = con.execute("select run_id, tables, row_counts from publish_log order by 1")
        assert log.fetchall() == [("r1", "", "{}"),
                                  ("r2", "fct_ai_capex", '{"fct_ai_capex": 3}')]
    assert tuple(columns) == DQ_COLUMNS


def test_a_gx_suite_result_becomes_one_row_per_expectation() -> None:
    result = dg.AssetCheckResult(
        passed=False, metadata={"results": dg.MetadataValue.json([
            {"expectation": "expect_column_values_to_be_between",
             "kwargs": {"column": "capex_usd", "max_value": 1}, "success": False,
             "observed_value": None, "unexpected_count": 2, "failing_rows": [{"x": 1}]},
            {"expectation": "expect_table_row_count_to_be_between",
             "kwargs": {"min_value": 1}, "success": True, "observed_value": 5,
             "unexpected_count": None, "failing_rows": []}])})
    rows = check_results("r1", result, asset=dg.AssetKey(["audit", "fct_ai_capex"]),
                         check_name="gx_fct_ai_capex")
    assert [(r.check_name, r.passed, r.observed_value, r.blocking) for r in rows] == [
        ("gx_fct_ai_capex: expect_column_values_to_be_between capex_usd", False,
         "2 unexpected", True),
        ("gx_fct_ai_capex: expect_table_row_count_to_be_between", True, "5", True)]
    assert rows[0].asset == "audit/fct_ai_capex"


def test_a_failed_dbt_test_carries_the_rows_its_compiled_sql_returns(tmp_path: Path) -> None:
    """No stored failures: the failed test's SQL from run_results.json is run again on the build
    database; a passing test, and a test without SQL, carry no rows."""
    build_db = tmp_path / "aicapex.duckdb"
    with duckdb.connect(str(build_db)) as con:
        con.execute("create schema audit; create table audit.fct_ai_capex as "
                    "select i as fiscal_year, case when i % 2 = 0 then null else i end as capex_usd"
                    " from range(2000, 2020) t(i)")
    run_results = {"results": [
        {"unique_id": "test.aicapex.not_null_fct_ai_capex_capex_usd.1",
         "compiled_code": "-- a comment line, as singular tests start\nselect capex_usd, "
                          'fiscal_year from "aicapex"."audit"."fct_ai_capex" '
                          "where capex_usd is null -- trailing comment"},
        {"unique_id": "model.aicapex.fct_ai_capex", "compiled_code": "select 1"},
        {"unique_id": "unit_test.aicapex.fct_ai_capex.u", "compiled_code": "select 1"}]}
    compiled = compiled_tests(run_results)
    assert list(compiled) == ["test.aicapex.not_null_fct_ai_capex_capex_usd.1"]

    def result(passed: bool, unique_id: str) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            passed=passed, asset_key=dg.AssetKey(["audit", "fct_ai_capex"]),
            check_name="not_null_fct_ai_capex_capex_usd",
            metadata={"unique_id": unique_id, "dagster_dbt/failed_row_count": 10})

    [failed] = check_results("r1", result(False, "test.aicapex.not_null_fct_ai_capex_capex_usd.1"),
                             build_db, compiled)
    rows = json.loads(failed.failing_rows)
    assert len(rows) == FAILING_ROW_SAMPLE
    assert all(r["capex_usd"] is None and r["fiscal_year"] % 2 == 0 for r in rows)
    assert failed.observed_value == "10 failing rows" and failed.check_type == "dbt_test"
    [passed] = check_results("r1", result(True, "test.aicapex.not_null_fct_ai_capex_capex_usd.1"),
                             build_db, compiled)
    [no_sql] = check_results("r1", result(False, "test.aicapex.other.2"), build_db, compiled)
    assert passed.failing_rows == no_sql.failing_rows == "[]"


def test_report_json_round_trip_keeps_the_skipped_stages(tmp_path: Path) -> None:
    record_skipped(tmp_path, "r3", ["dbt build"], "nothing new since run r1", "r1")
    ledger = read_ledger(tmp_path, "r3")
    report = RunReport("r3", "snapshot", "SUCCESS", True, False, "", [], {}, {}, [],
                       unchanged=True, build_skipped=True, skipped_stages=list(ledger.skipped))
    assert RunReport.from_json(report.to_json()) == report


def test_nothing_heavy_at_import() -> None:
    """Importing publish and the reports neither parses the dbt project nor reads seeds."""
    code = (
        "import orchestration.dbt_project as d, orchestration.universe as u\n"
        "def refuse(*a, **k): raise AssertionError('called at import')\n"
        "d.ensure_manifest = d.published_mart_names = u.load_universe = refuse\n"
        "import orchestration.publish, orchestration.report, orchestration.report.charts\n"
        "import orchestration.quality.ledger, orchestration.quality.gx\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
