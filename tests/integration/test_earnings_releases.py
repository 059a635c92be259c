"""Earnings releases (8-K exhibit 99.1) in the published marts, to the printed cell.

Every expected figure below was read in the release itself (the file under
../shared/fixtures/sec/filings/sec-edgar-filings/<TICKER>/8-K/<ACCESSION>/full-submission.txt,
the table and row named beside it), not taken from a pipeline run.
"""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest

from ..snapshots import OLDER_WORLD_LEAVES_OUT

M = 1_000_000


def capex_row(marts, ticker, fiscal_year, fiscal_quarter):
    row = marts.execute(
        "select capex_usd, revenue_usd, capex_method, source, source_accession, restated "
        "from fct_ai_capex where ticker = ? and fiscal_year = ? and fiscal_quarter = ?",
        [ticker, fiscal_year, fiscal_quarter]).fetchone()
    assert row is not None, (ticker, fiscal_year, fiscal_quarter)
    return row


@pytest.mark.parametrize(("ticker", "fiscal_year", "fiscal_quarter", "capex", "revenue",
                          "accession"), [
    # MSFT 0000950170-24-008809 (and prior-year column of 0000950170-25-010484): cash flows,
    # "Additions to property and equipment" (9,735); income statements "Total revenue" 62,020
    ("MSFT", 2024, 2, 9_735, 62_020, "0000950170-25-010484"),
    # AMZN 0001018724-25-000002: cash flows "Purchases of property and equipment" (27,834);
    # statements of operations "Total net sales" 187,792
    ("AMZN", 2024, 4, 27_834, 187_792, "0001018724-25-000002"),
    # META 0001326801-25-000014: cash flows "Purchases of property and equipment" (14,425);
    # segment results "Total revenue" 48,385
    ("META", 2024, 4, 14_425, 48_385, "0001326801-25-000014"),
])
def test_release_quarters_are_published_as_printed(marts, ticker, fiscal_year, fiscal_quarter,
                                                   capex, revenue, accession):
    row = capex_row(marts, ticker, fiscal_year, fiscal_quarter)
    assert row[:2] == (Decimal(capex * M), Decimal(revenue * M))
    assert row[2:5] == ("reported_quarter", "earnings_release", accession)


def test_oracle_year_to_date_capex_becomes_a_quarter(marts):
    # ORCL cash flows "Capital expenditures": Year Ended May 31, 2024 (6,866 in
    # 0000950170-24-071916 and 0000950170-25-084831) minus Nine Months Ended February 29, 2024
    # (4,068 in 0000950170-24-029250 and 0000950170-25-036295) = Q4 FY2024 2,798; revenue is
    # the printed three-month "Total revenues" 14,287
    capex, revenue, method, source, accession, _ = capex_row(marts, "ORCL", 2024, 4)
    assert capex == Decimal((6_866 - 4_068) * M) and method == "derived_from_ytd"
    assert revenue == Decimal(14_287 * M)
    assert source == "earnings_release" and accession == "0000950170-25-084831"


def test_xbrl_wins_over_a_release_for_the_same_quarter(marts, build):
    # GOOGL Q4 2023: the release 0001652044-24-000014 prints capex (11,019) for the quarter;
    # company facts give the year and the nine months, so the quarter is XBRL's, derived
    capex, _, method, source, _, _ = capex_row(marts, "GOOGL", 2023, 4)
    assert source == "company_facts" and method == "derived_from_ytd"
    assert capex == Decimal(11_019 * M)  # and the two agree
    # the releases' three-month figure (the Q4 2023 release and the prior-year column of the
    # Q4 2024 one) is in the stream (XBRL reports no three-month capex) but loses to XBRL's
    # derived quarter; its twelve-month figure never enters the stream,
    # since company facts report that very period
    def count(model, source_filter, months):
        return build.execute(
            f"select count(*) from intermediate.{model} where ticker = 'GOOGL' "
            f"and metric = 'capex' and period_end = date '2023-12-31' "
            f"and duration_months = {months} {source_filter}").fetchone()[0]

    assert count("int_sec_facts_mapped", "and source = 'earnings_release'", 3) == 2
    assert count("int_release_facts_mapped", "", 12) >= 1
    assert count("int_sec_facts_mapped", "and source = 'earnings_release'", 12) == 0


def test_latest_release_wins_and_a_changed_figure_is_restated(marts, build):
    # META Q4 2023 capex: (7,665) in 0001326801-24-000010's cash flows, (7,592) in the prior-year
    # column of 0001326801-25-000014's (Meta's cash-flow line became net of proceeds)
    values = build.execute(
        "select accession_number, reported_value from intermediate.int_release_facts_mapped "
        "where ticker = 'META' and metric = 'capex' and period_end = date '2023-12-31' "
        "and duration_months = 3 order by 1").fetchall()
    assert values == [("0001326801-24-000010", Decimal("7665000000.000000")),
                      ("0001326801-25-000014", Decimal("7592000000.000000"))]
    capex, _, _, source, accession, restated = capex_row(marts, "META", 2023, 4)
    assert (capex, source, accession, restated) == (
        Decimal(7_592 * M), "earnings_release", "0001326801-25-000014", True)


@pytest.mark.parametrize(("ticker", "segment", "fiscal_year", "fiscal_quarter", "revenue",
                          "operating_income", "accession"), [
    # AMZN 0001018724-25-000002 segment information, AWS: "Net sales" 28,786,
    # "Operating income" 10,632
    ("AMZN", "aws", 2024, 4, 28_786, 10_632, "0001018724-25-000002"),
    # GOOGL 0001652044-25-000056 segment results, Google Cloud: 13,624 and 2,826
    ("GOOGL", "google_cloud", 2025, 2, 13_624, 2_826, "0001652044-25-000056"),
    # MSFT 0000950170-25-010484 segment revenue and operating income, Intelligent Cloud
    ("MSFT", "microsoft_intelligent_cloud", 2025, 2, 25_544, 10_851, "0000950170-25-010484"),
    # META 0001326801-25-000014 segment results, Reality Labs: 1,083 and (4,967)
    ("META", "meta_reality_labs", 2024, 4, 1_083, -4_967, "0001326801-25-000014"),
    # ORCL 0000950170-24-071916 statements of operations, REVENUES "Cloud services and license
    # support" 10,234 (latest print: the prior-year column of 0000950170-25-084831)
    ("ORCL", "oracle_cloud_services_license_support", 2024, 4, 10_234, None,
     "0000950170-25-084831"),
])
def test_release_segments_are_published(marts, ticker, segment, fiscal_year, fiscal_quarter,
                                        revenue, operating_income, accession):
    row = marts.execute(
        "select revenue_usd, operating_income_usd, source_accession, source_url "
        "from fct_cloud_segment_revenue where ticker = ? and segment = ? and fiscal_year = ? "
        "and fiscal_quarter = ?", [ticker, segment, fiscal_year, fiscal_quarter]).fetchone()
    assert row is not None
    assert row[0] == Decimal(revenue * M)
    assert row[1] == (None if operating_income is None else Decimal(operating_income * M))
    assert row[2] == accession
    assert row[3].endswith(f"/{accession.replace('-', '')}/{accession}-index.htm")


def test_six_companies_have_quarters(marts):
    tickers = {row[0] for row in marts.execute(
        "select ticker from fct_ai_capex where capex_usd is not null "
        "and period_end >= date '2024-01-01'").fetchall()}
    assert tickers == {"MSFT", "GOOGL", "AMZN", "META", "NVDA", "ORCL"}


@pytest.mark.pipeline
def test_a_release_cell_changed_by_hand_is_stopped_by_the_reconciliation_gate(tmp_path):
    """Amazon's FY2024 capex printed (82,999) in 0001018724-25-000002, edited to (83,999): the
    10-K 0001018724-25-000004 reports 82,999 for the same year, so the run is not published."""
    import dagster as dg

    from ..snapshots import mirror_snapshot
    from .conftest import FIXTURES, pipeline_env, run_main_job_on

    release = ("sec/filings/sec-edgar-filings/AMZN/8-K/0001018724-25-000002/"
               "full-submission.txt")
    body = (FIXTURES / release).read_bytes()
    assert body.count(b"(82,999)") == 1
    snapshot = mirror_snapshot(FIXTURES, tmp_path / "snapshot",
                               {release: body.replace(b"(82,999)", b"(83,999)")})
    from orchestration.report import build_run_report

    instance = dg.DagsterInstance.ephemeral()
    bad, settings = run_main_job_on(tmp_path, snapshot, instance)
    assert not bad.success
    assert not settings.marts_db.exists()  # nothing published from this build
    with pipeline_env(tmp_path, snapshot) as env:
        report = build_run_report(instance, bad.run_id, env)
    [check] = [c for c in report.failed_checks
               if c.check_name.startswith("assert_releases_reconcile_with_xbrl")]
    assert check.blocking
    failing = json.loads(check.failing_rows)  # the gate's rows, as the quality report shows
    assert [(r["ticker"], r["metric"], r["period_end"][:10], int(r["release_value_usd"]),
             int(r["xbrl_value_usd"]), r["xbrl_accession"]) for r in failing] == [
        ("AMZN", "capex", "2024-12-31", 83_999 * M, 82_999 * M, "0001018724-25-000004")]


def test_dim_company_says_which_source_covers_which_quarters(marts):
    rows = dict(marts.execute(
        "select ticker, capex_quarters_by_source from dim_company").fetchall())
    # Amazon: two quarters from its recorded 10-Qs' XBRL, ten from the releases (Q4 2022, the
    # prior-year column of the Q4 2023 release, to Q2 2025); NVIDIA only from company facts
    assert rows["AMZN"] == ("filing FY2022 Q2 to FY2023 Q2 (2); "
                            "earnings_release FY2022 Q4 to FY2025 Q2 (10)")
    assert rows["NVDA"].startswith("company_facts FY") and "earnings_release" not in rows["NVDA"]
    counts = marts.execute(
        "select capex_quarters_from_releases, quarters_with_capex from dim_company "
        "where ticker = 'MSFT'").fetchone()
    assert counts[0] == 10 and counts[1] == 12


def test_the_quality_report_lists_every_reconciliation(snapshot_run, snapshot_instance, build,
                                                      tmp_path):
    from orchestration.report import build_run_report, write_report

    result, settings = snapshot_run
    write_report(tmp_path, build_run_report(snapshot_instance, result.run_id, settings),
                 settings.marts_db)
    latest = tmp_path / "latest"
    report = json.loads((latest / "dq_results.json").read_text())
    compared = report["release_reconciliation"]
    assert len(compared) == build.execute(
        "select count(*) from intermediate.int_release_reconciliation").fetchone()[0] > 100
    # Amazon FY2024 capex: the release 0001018724-25-000002 prints (82,999); the 10-K
    # 0001018724-25-000004 reports 82,999 for the same year
    amzn = [c for c in compared if c["ticker"] == "AMZN" and c["metric"] == "capex"
            and c["period_start"].startswith("2024-01-01")
            and c["period_end"].startswith("2024-12-31")
            and c["release_accession"] == "0001018724-25-000002"]
    assert [(c["release_value_usd"], c["xbrl_value_usd"], c["xbrl_accession"], c["outcome"])
            for c in amzn] == [(82_999 * M, 82_999 * M, "0001018724-25-000004", "agrees")]
    accepted = [c for c in compared if c["outcome"] == "accepted_difference"]
    assert {(c["ticker"], c["metric"]) for c in accepted} == {
        ("META", "capex"), ("NVDA", "operating_cash_flow")}
    assert all(c["exception_evidence"] for c in accepted)
    assert not [c for c in compared if c["outcome"] == "disagrees"]
    page = (latest / "quality.html").read_text()
    assert "Earnings releases against XBRL" in page
    assert f"{len(compared)} comparisons" in page and "0001018724-25-000004" in page


@pytest.mark.pipeline
def test_a_later_release_dropped_into_the_snapshot_is_published(tmp_path, older_world):
    """Amazon's Q2 2025 release 0001018724-25-000084 (cash flows "Purchases of property and
    equipment" (32,183) for the three months ended June 30, 2025; "Total net sales" 167,702):
    absent from the older snapshot, then dropped in; the SEC job the new-filing sensor runs
    publishes its quarter with no code change."""
    import dagster as dg

    from ..pipeline import copy_run
    from .conftest import FIXTURES, run_main_job_on

    assert "sec/filings/sec-edgar-filings/AMZN/8-K/0001018724-25-000084" in OLDER_WORLD_LEAVES_OUT
    settings = copy_run(older_world.root, tmp_path)  # published without that release

    def last_amzn_quarter():
        with duckdb.connect(str(settings.marts_db), read_only=True) as con:
            return con.execute(
                "select fiscal_year, fiscal_quarter, capex_usd, revenue_usd, source, "
                "source_accession from fct_ai_capex where ticker = 'AMZN' "
                "order by period_end desc limit 1").fetchone()

    assert last_amzn_quarter()[:2] == (2025, 1)
    second, _ = run_main_job_on(tmp_path, FIXTURES, dg.DagsterInstance.ephemeral(),
                                companies=["AMZN"])
    assert second.success
    assert last_amzn_quarter() == (2025, 2, Decimal(32_183 * M), Decimal(167_702 * M),
                                   "earnings_release", "0001018724-25-000084")
