"""The CLI refuses bad input with exit code 2 and a message naming it."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.cli import main


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "marts.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table fct_ai_capex as select 'GOOGL' as ticker, "
                    "91447000000::decimal(38,2) as capex_usd, 2025 as fiscal_year")
    return path


@pytest.mark.fault(
    kind="bad configuration",
    injected="`aicapex run --live` with a User-Agent without e-mail",
    expected="exit 2 naming AICAPEX_SEC_USER_AGENT; no warehouse created",
)
def test_live_run_without_contact_email_refuses_before_any_work(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AICAPEX_SEC_USER_AGENT", "no email here")
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(tmp_path / "wh"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    assert main(["run", "--live"]) == 2
    assert "AICAPEX_SEC_USER_AGENT" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


@pytest.mark.fault(
    kind="bad configuration",
    injected="`aicapex run --snapshot DIR` where DIR has no sec/ folder",
    expected="exit 2 naming the directory",
)
def test_snapshot_without_sec_folder_is_refused(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    assert main(["run", "--snapshot", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("csv", "ticker,capex_usd,fiscal_year\nGOOGL,91447000000.00,2025\n"),
     ("json", '"capex_usd": 91447000000.0'),
     ("table", "ticker      capex_usd fiscal_year\nGOOGL  91,447,000,000        2025")],
)
def test_query_formats(published, capsys, fmt, expected):
    assert main(["query", "select * from fct_ai_capex", "--database", str(published),
                 "--format", fmt]) == 0
    assert expected in capsys.readouterr().out


@pytest.mark.fault(
    kind="query refused",
    injected="`aicapex query` given {param}",
    expected="exit 2 with a message; nothing executed",
)
@pytest.mark.parametrize(
    "sql",
    ["drop table fct_ai_capex", "select 1; select 2", "select * from read_csv('/etc/passwd')",
     "attach '/tmp/x.duckdb'"],
)
def test_query_refusals(published, capsys, sql):
    assert main(["query", sql, "--database", str(published)]) == 2
    assert capsys.readouterr().err.strip()


def test_query_before_any_publish_says_what_to_do(tmp_path, capsys):
    assert main(["query", "select 1", "--database", str(tmp_path / "none.duckdb")]) == 2
    assert "make run" in capsys.readouterr().err


def test_report_rewrites_the_analyst_page_from_the_latest_results(monkeypatch, tmp_path, capsys):
    from orchestration.quality.ledger import CheckResult
    from orchestration.report import RunReport

    reports = tmp_path / "reports"
    monkeypatch.setenv("AICAPEX_REPORTS_DIR", str(reports))
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(tmp_path / "wh"))
    assert main(["report"]) == 0  # before any run: notes, not a crash
    page = reports / "latest" / "index.html"
    assert f"analyst report: {page}" in capsys.readouterr().out
    assert "No data-quality results yet" in page.read_text()

    blocked = CheckResult("r1", "2026-01-01", "fct_ai_capex", "gx_capex_between", "gx_expectation",
                          False, "ERROR", True, "", "3 rows", "[]")
    run = RunReport("r1", "snapshot", "FAILURE", False, False, "2026-01-01", [blocked], {},
                    {}, ["publish: blocked"])
    (reports / "latest" / "dq_results.json").write_text(run.to_json())
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "marts NOT published" in out and "FAIL fct_ai_capex :: gx_capex_between" in out
    html = page.read_text()
    assert "gx_capex_between" in html and "banner blocked" in html
