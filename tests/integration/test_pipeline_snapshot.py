"""The whole path from the recorded snapshot: figures must equal the filings to the dollar."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import duckdb
import pytest

from orchestration.query import QueryRefused, run_query
from orchestration.report.run import source_as_of
from tests.integration.marts import annual_capex, one
from tests.unit.support import GOOGL_FACTS, NVDA_FACTS


@pytest.mark.parametrize(
    ("ticker", "fiscal_year", "capex", "accession"),
    [
        # 10-K values, from the latest 10-K that reports each year (PROVENANCE-api.md)
        ("GOOGL", 2021, 24_640_000_000, "0001652044-24-000022"),
        ("GOOGL", 2022, 31_485_000_000, "0001652044-25-000014"),
        ("GOOGL", 2025, 91_447_000_000, "0001652044-26-000018"),
        ("NVDA", 2022, 976_000_000, "0001045810-24-000029"),
        ("NVDA", 2023, 1_833_000_000, "0001045810-25-000023"),
        ("NVDA", 2026, 6_042_000_000, "0001045810-26-000021"),
    ],
)
def test_annual_capex_equals_the_10k(marts, ticker, fiscal_year, capex, accession):
    value, accn, source = annual_capex(marts, ticker, fiscal_year)
    assert value == capex
    assert accn == accession
    assert source == "company_facts"


def test_derived_q4_is_fiscal_year_minus_nine_month_ytd(marts, snapshot_run):
    _, settings = snapshot_run
    with duckdb.connect(str(settings.build_db), read_only=True) as build:
        (nine_months,) = one(
            build,
            "select val from raw.sec_company_facts where cik = 1652044 "
            "and concept = 'PaymentsToAcquirePropertyPlantAndEquipment' "
            "and period_start = '2025-01-01' and period_end = '2025-09-30' "
            "order by filed desc limit 1",
        )
    q4, method, start, end = one(
        marts,
        "select capex_usd, capex_method, period_start, period_end from fct_ai_capex "
        "where ticker = 'GOOGL' and fiscal_year = 2025 and fiscal_quarter = 4",
    )
    assert nine_months == 63_596_000_000
    assert q4 == 91_447_000_000 - nine_months == 27_851_000_000
    assert method == "derived_from_ytd"
    assert (str(start), str(end)) == ("2025-10-01", "2025-12-31")


def test_quarters_sum_to_the_fiscal_year_and_ttm(marts):
    quarters = marts.execute(
        "select capex_usd from fct_ai_capex where ticker = 'NVDA' and fiscal_year = 2026 "
        "order by fiscal_quarter"
    ).fetchall()
    assert [q[0] for q in quarters] == [
        1_227_000_000, 1_895_000_000, 1_636_000_000, 1_284_000_000
    ]
    (ttm,) = one(
        marts,
        "select capex_ttm_usd from fct_ai_capex where ticker = 'NVDA' "
        "and fiscal_year = 2026 and fiscal_quarter = 4",
    )
    assert ttm == 6_042_000_000


def test_restated_value_wins(marts):
    # Alphabet's 2015 operating cash flow: 26,024 M first reported, 26,572 M after restatement
    ocf, restated = one(
        marts,
        "select operating_cash_flow_usd, restated from fct_ai_capex_annual "
        "where ticker = 'GOOGL' and fiscal_year = 2015",
    )
    assert ocf == 26_572_000_000
    assert restated is True


def test_fiscal_and_calendar_periods(marts):
    # NVIDIA's Feb-Apr 2025 quarter is Q1 of FY2026 and calendar Q1 2025
    row = one(
        marts,
        "select fiscal_year, fiscal_quarter, calendar_year, calendar_quarter, period_start "
        "from fct_ai_capex where ticker = 'NVDA' and period_end = '2025-04-27'",
    )
    assert row[:4] == (2026, 1, 2025, 1)
    assert str(row[4]) == "2025-01-27"


def test_coverage_and_gaps_are_reported_not_invented(marts):
    years = dict(
        marts.execute(
            "select ticker, count(distinct fiscal_year) from fct_ai_capex "
            "where capex_usd is not null group by ticker"
        ).fetchall()
    )
    # company facts cover GOOGL and NVDA; the filings add a few AMZN, MSFT and ORCL quarters
    # (tests/integration/test_segments.py checks those)
    assert {"GOOGL", "NVDA"} <= set(years) <= {"GOOGL", "NVDA", "AMZN", "MSFT", "ORCL", "META"}
    assert years["GOOGL"] >= 5 and years["NVDA"] >= 5
    # NVIDIA's capex for Q1-Q2 FY2023 exists in no us-gaap concept: absent, with a reason
    rows = marts.execute(
        "select fiscal_quarter, capex_usd, missing_reason from fct_ai_capex "
        "where ticker = 'NVDA' and fiscal_year = 2023 order by fiscal_quarter"
    ).fetchall()
    assert [r[1] for r in rows[:2]] == [None, None]
    assert all(r[2] for r in rows[:2])
    facts = dict(marts.execute("select ticker, has_company_facts from dim_company").fetchall())
    assert facts == {"MSFT": False, "GOOGL": True, "AMZN": False, "META": False,
                     "NVDA": True, "ORCL": False}


def test_every_row_traceable_and_in_usd(marts):
    bad = one(
        marts,
        "select count(*) from fct_ai_capex where source_accession is null "
        "or (filed_date is null and source = 'company_facts') "
        "or not regexp_matches(source_accession, '^\\d{10}-\\d{2}-\\d{6}$')",
    )
    # filing-backed rows carry their accession; filed_date only where the landed data says
    # (submissions index or full-submission.txt): see test_segments.py
    assert bad == (0,)
    log = marts.execute("select run_id, row_counts from publish_log").fetchall()
    assert len(log) == 1


def test_run_reports_missing_companies_and_all_gates(snapshot_run):
    result, _ = snapshot_run
    evaluations = result.get_asset_check_evaluations()
    names = {e.check_name for e in evaluations}
    assert {"gx_fct_ai_capex", "gx_fct_ai_capex_annual", "gx_dim_company"} <= names
    assert "assert_annual_equals_sum_of_quarters" in names
    blocking = [e for e in evaluations if e.severity == dg.AssetCheckSeverity.ERROR]
    assert all(e.passed for e in blocking)
    # the recorded electricity prices end in April 2025: a freshness warning, not a block
    electricity = next(e for e in evaluations if e.check_name == "freshness_eia_retail_sales")
    assert electricity.severity == dg.AssetCheckSeverity.WARN and not electricity.passed
    assert "2025-04-01" in electricity.description
    # per GPU source, naming those that are raw files in personal repositories
    gpu_prices = next(e for e in evaluations if e.check_name == "freshness_gpu_prices")
    assert gpu_prices.severity == dg.AssetCheckSeverity.WARN and not gpu_prices.passed
    assert "primeintellect_summary: newest row 2025-11-16" in gpu_prices.description
    assert ("personal repository tugot17/gpu-price-tracker, not updated since 2025-11-16"
            in gpu_prices.description)


def test_query_surface_is_read_only(snapshot_run, tmp_path):
    _, settings = snapshot_run
    # a copy: this process already holds the original open with another configuration
    published = tmp_path / "marts.duckdb"
    shutil.copy(settings.marts_db, published)
    frame = run_query(published, "select count(*) as n from fct_ai_capex")
    assert int(frame["n"][0]) > 100
    for sql in (
        "select 1; select 2",
        "copy fct_ai_capex to '/tmp/x.csv'",
        "attach '/tmp/other.duckdb' as o",
        "install httpfs",
        "set enable_external_access = true",
        "delete from fct_ai_capex",
    ):
        with pytest.raises(QueryRefused):
            run_query(published, sql)
    with pytest.raises(duckdb.Error):
        run_query(published, "select * from read_csv('/etc/passwd')")


def test_sources_as_of_give_each_companys_newest_filing(snapshot_run):
    # the report joins a company's facts (named by their path in the landing zone) to the
    # landing log (which names full paths)
    _, settings = snapshot_run
    as_of = {(row["source"], row["partition"]): row for row in source_as_of(settings.build_db)}
    for ticker, facts in (("NVDA", NVDA_FACTS), ("GOOGL", GOOGL_FACTS)):
        document = json.loads(facts.read_text(encoding="utf-8"))
        newest = max(fact["filed"] for concepts in document["facts"].values()
                     for body in concepts.values() for unit_facts in body["units"].values()
                     for fact in unit_facts)
        assert as_of[("companyfacts", ticker)]["newest_filing"].startswith(newest), ticker
    assert as_of[("companyfacts", "MSFT")]["newest_filing"] is None  # not in the snapshot
