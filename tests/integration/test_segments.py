"""Segment revenue and filings-backed capex from the recorded filings, to the dollar.

Every expected figure below was read in the filing documents themselves (the inline-XBRL
primary document or the XBRL instance under ../shared/fixtures/sec/filings), not taken from a
pipeline run.
"""

from __future__ import annotations

import pytest

from tests.integration.marts import annual_capex, one


@pytest.mark.parametrize(
    ("ticker", "segment", "fiscal_year", "revenue", "accession"),
    [
        # AMZN 10-K FY2024, segment information: AWS net sales 107,556 / 90,757 / 80,096 (M)
        ("AMZN", "aws", 2024, 107_556_000_000, "0001018724-25-000004"),
        ("AMZN", "aws", 2023, 90_757_000_000, "0001018724-25-000004"),
        # Alphabet 10-K FY2024: Google Cloud revenues 43,229 (M)
        ("GOOGL", "google_cloud", 2024, 43_229_000_000, "0001652044-25-000014"),
        # NVIDIA 10-K FY2025: Data Center 115,186; Compute & Networking 116,193 (M)
        ("NVDA", "nvidia_data_center", 2025, 115_186_000_000, "0001045810-25-000023"),
        ("NVDA", "nvidia_compute_networking", 2025, 116_193_000_000, "0001045810-25-000023"),
        # Meta 10-K FY2024: Reality Labs 2,146; Family of Apps 162,355 (M)
        ("META", "meta_reality_labs", 2024, 2_146_000_000, "0001326801-25-000017"),
        ("META", "meta_family_of_apps", 2024, 162_355_000_000, "0001326801-25-000017"),
    ],
)
def test_annual_segment_revenue_equals_the_10k(marts, ticker, segment, fiscal_year, revenue,
                                               accession):
    value, accn, url = one(
        marts,
        "select revenue_usd, source_accession, source_url from fct_cloud_segment_revenue_annual "
        "where ticker = ? and segment = ? and fiscal_year = ?",
        [ticker, segment, fiscal_year],
    )
    assert value == revenue
    assert accn == accession
    assert url.startswith("https://www.sec.gov/Archives/edgar/data/") and accession in url


@pytest.mark.parametrize(
    ("ticker", "segment", "fiscal_year", "fiscal_quarter", "revenue", "method"),
    [
        # AMZN 10-Q Q2 2023: AWS Apr-Jun 2023 22,140 (M)
        ("AMZN", "aws", 2023, 2, 22_140_000_000, "reported_quarter"),
        # Alphabet 10-Q Q3 2023: Google Cloud Jul-Sep 2023 8,411 (M)
        ("GOOGL", "google_cloud", 2023, 3, 8_411_000_000, "reported_quarter"),
        # Q4 2023 = FY 33,088 (10-K) - nine months 23,896 (10-Q Q3 2023) = 9,192
        ("GOOGL", "google_cloud", 2023, 4, 9_192_000_000, "derived_from_ytd"),
        # MSFT 10-Q Q1 FY2016 instance: Intelligent Cloud Jul-Sep 2015 5,892 (M)
        ("MSFT", "microsoft_intelligent_cloud", 2016, 1, 5_892_000_000, "reported_quarter"),
        # Oracle 10-Q Q1 FY2024: cloud and license 10,356; cloud services & license support 9,547
        ("ORCL", "oracle_cloud_and_license", 2024, 1, 10_356_000_000, "reported_quarter"),
        ("ORCL", "oracle_cloud_services_license_support", 2024, 1, 9_547_000_000,
         "reported_quarter"),
        # NVIDIA 10-Q Q2 FY2026: Data Center Apr-Jul 2025 41,096 (M)
        ("NVDA", "nvidia_data_center", 2026, 2, 41_096_000_000, "reported_quarter"),
        # Meta 10-Q Q2 2023: Reality Labs 276 (M)
        ("META", "meta_reality_labs", 2023, 2, 276_000_000, "reported_quarter"),
    ],
)
def test_quarterly_segment_revenue_equals_the_filing(marts, ticker, segment, fiscal_year,
                                                     fiscal_quarter, revenue, method):
    value, got_method = one(
        marts,
        "select revenue_usd, revenue_method from fct_cloud_segment_revenue "
        "where ticker = ? and segment = ? and fiscal_year = ? and fiscal_quarter = ?",
        [ticker, segment, fiscal_year, fiscal_quarter],
    )
    assert value == revenue
    assert got_method == method


def test_operating_loss_keeps_its_sign_and_calendar_labels(marts):
    # Meta 10-Q Q2 2023: Reality Labs loss from operations (3,739) (M)
    loss, cal_year, cal_q = one(
        marts,
        "select operating_income_usd, calendar_year, calendar_quarter "
        "from fct_cloud_segment_revenue where ticker = 'META' "
        "and segment = 'meta_reality_labs' and fiscal_year = 2023 and fiscal_quarter = 2",
    )
    assert loss == -3_739_000_000
    # Oracle's Jun-Aug quarter is Q1 of its fiscal year and calendar Q3
    assert one(
        marts,
        "select calendar_year, calendar_quarter from fct_cloud_segment_revenue "
        "where ticker = 'ORCL' and fiscal_year = 2024 and fiscal_quarter = 1 limit 1",
    ) == (2023, 3)
    assert (cal_year, cal_q) == (2023, 2)


def test_no_quarter_is_invented(marts):
    # Alphabet 2023: Q2 and Q3 from their 10-Qs, Q4 derived from the 10-K (FY - 9M); Q1 has no
    # 10-Q here and comes from the prior-year column of the Q1 2024 earnings release
    # 0001652044-24-000047 (segment results, Google Cloud 7,454), never from a guess
    quarters = marts.execute(
        "select fiscal_quarter, revenue_usd, source_accession from fct_cloud_segment_revenue "
        "where ticker = 'GOOGL' and segment = 'google_cloud' and fiscal_year = 2023 "
        "order by 1").fetchall()
    assert [(q, a) for q, _, a in quarters] == [
        (1, "0001652044-24-000047"), (2, "0001652044-23-000070"),
        (3, "0001652044-23-000094"), (4, "0001652044-25-000014")]
    assert quarters[0][1] == 7_454_000_000
    # Amazon 2023: the Q2 10-Q; Q1, Q3 and Q4 only as printed by the 2024-2025 releases (AWS net
    # sales 21,354 in 0001018724-24-000081, 23,059 in -24-000158, 24,204 in -25-000002)
    amzn = marts.execute(
        "select fiscal_quarter, revenue_usd, source_accession from fct_cloud_segment_revenue "
        "where ticker = 'AMZN' and fiscal_year = 2023 order by 1").fetchall()
    assert amzn == [(1, 21_354_000_000, "0001018724-24-000081"),
                    (2, 22_140_000_000, "0001018724-23-000012"),
                    (3, 23_059_000_000, "0001018724-24-000158"),
                    (4, 24_204_000_000, "0001018724-25-000002")]


def test_yoy_and_share_of_company_revenue(marts):
    yoy, share = one(
        marts,
        "select revenue_yoy_pct, share_of_company_revenue from fct_cloud_segment_revenue_annual "
        "where ticker = 'AMZN' and segment = 'aws' and fiscal_year = 2024",
    )
    assert yoy == pytest.approx(100 * (107_556 / 90_757 - 1))
    # AMZN total net sales FY2024: 637,959 (M)
    assert share == pytest.approx(107_556 / 637_959)


@pytest.mark.parametrize(
    ("ticker", "fiscal_year", "capex", "accession"),
    [
        # AMZN 10-K FY2024 cash-flow statement: purchases of property and equipment 82,999 (M)
        ("AMZN", 2024, 82_999_000_000, "0001018724-25-000004"),
        # Meta 10-K FY2024: purchases of property and equipment 37,256 (M)
        ("META", 2024, 37_256_000_000, "0001326801-25-000017"),
        # MSFT FY2015 10-K instance: additions to property and equipment 5,944 (M)
        ("MSFT", 2015, 5_944_000_000, "0001193125-15-272806"),
    ],
)
def test_annual_capex_only_the_filings_carry(marts, ticker, fiscal_year, capex, accession):
    value, accn, source = annual_capex(marts, ticker, fiscal_year)
    assert (value, accn, source) == (capex, accession, "filing")


def test_quarterly_capex_only_the_filings_carry(marts):
    # MSFT 10-Q Q1 FY2016 instance: additions to property and equipment Jul-Sep 2015 1,356 (M)
    # Oracle 10-Q Q1 FY2024: capital expenditures Jun-Aug 2023 (1,314) (M)
    rows = dict(
        ((r[0], r[1], r[2]), (r[3], r[4]))
        for r in marts.execute(
            "select ticker, fiscal_year, fiscal_quarter, capex_usd, source from fct_ai_capex "
            "where ticker in ('MSFT', 'ORCL') and capex_usd is not null"
        ).fetchall()
    )
    assert rows[("MSFT", 2016, 1)] == (1_356_000_000, "filing")
    assert rows[("ORCL", 2024, 1)] == (1_314_000_000, "filing")


def test_company_facts_win_where_both_cover_a_period(marts):
    # Alphabet's FY2023 capex is in company facts and in two landed 10-Ks: company facts win
    source, = one(
        marts,
        "select source from fct_ai_capex_annual where ticker = 'GOOGL' and fiscal_year = 2023",
    )
    assert source == "company_facts"
    sources = {r[0] for r in marts.execute(
        "select distinct source from fct_ai_capex where ticker in ('GOOGL', 'NVDA')").fetchall()}
    assert sources == {"company_facts"}


def test_reconciliation_and_segment_gates_ran_and_passed(snapshot_run):
    result, _ = snapshot_run
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    for name in ("assert_filing_facts_agree_with_company_facts",
                 "assert_segment_sums_within_company_revenue",
                 "assert_segment_annual_equals_sum_of_quarters",
                 "gx_fct_cloud_segment_revenue", "gx_fct_cloud_segment_revenue_annual"):
        assert name in evaluations, name
        assert evaluations[name].passed, name


def test_reconciliation_compared_real_overlap(build):
    # the gate is only meaningful if filings and company facts overlap: they do (GOOGL, NVDA)
    (overlap,) = one(
        build,
        "select count(*) from staging.stg_sec__filing_facts as f "
        "join staging.stg_sec__company_facts as c using (accession_number, taxonomy, concept, "
        "unit, period_end) where f.dimension_count = 0",
    )
    assert overlap > 1000


def test_unknown_members_and_bad_filings_are_listed_not_dropped(build):
    # the snapshot's segment members are all mapped; the listing exists and is empty
    assert one(build, "select count(*) from intermediate.int_segment_members_unmapped") == (0,)
    # Oracle's Q1 FY2025 10-Q folder is named by its accession now: landed, nothing rejected
    # (the refusal of a folder that is not an accession is tested on a copy in the unit tests)
    (landed,) = one(
        build,
        "select count(*) from raw.landing_log where status = 'landed' "
        "and origin like '%ORCL/10-Q/0000950170-24-104905%'",
    )
    assert landed == 1
    assert one(build, "select count(*) from raw.landing_log where status = 'rejected'") == (0,)


def test_filed_date_is_known_or_explained(marts, build):
    # filing rows without a filing date are exactly those whose accession is in neither the
    # submissions index nor a landed full-submission.txt (Meta, Microsoft, Oracle here)
    undated = {r[0] for r in marts.execute(
        "select distinct source_accession from fct_ai_capex where filed_date is null "
        "union select distinct source_accession from fct_cloud_segment_revenue "
        "where filed_date is null").fetchall()}
    assert undated
    known = {r[0] for r in build.execute(
        "select accession_number from staging.stg_sec__submissions "
        "union select accession_number from staging.stg_sec__filings "
        "where filed_date is not null").fetchall()}
    assert not undated & known
    assert {a[:10] for a in undated} <= {"0001326801", "0001193125", "0000950170"}
