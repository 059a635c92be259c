"""Funding and fragility marts on the recorded filings (issue 17).

Each expected figure is the value the filing's XBRL states (accession beside it), read through
metric_concepts / concept_overrides / dimensional_concepts.
"""

from __future__ import annotations

from decimal import Decimal

from tests.integration.marts import one

M = 1_000_000


def test_finance_lease_principal_and_debt_flows_2024(marts):
    # 10-K cash flows 2024: principal repayments of finance leases AMZN 2,043
    # (0001018724-25-000004), META 1,969 (0001326801-25-000017), GOOGL 405 (0001652044-25-000014)
    for ticker, value in {"AMZN": 2_043, "META": 1_969, "GOOGL": 405}.items():
        (principal,) = one(
            marts,
            "select finance_lease_principal_payments_usd from fct_capex_funding_annual "
            "where ticker = ? and fiscal_year = 2024", [ticker])
        assert principal == Decimal(value * M), ticker
    # AMZN 2024: long-term debt issued 0, repaid 9,182; short-term 5,142 - 5,060 = 82
    issued, repaid, net = one(
        marts,
        "select debt_issued_usd, debt_repaid_usd, net_debt_issued_usd "
        "from fct_capex_funding_annual "
        "where ticker = 'AMZN' and fiscal_year = 2024", [])
    assert (issued, repaid, net) == (Decimal(0), Decimal(9_182 * M), Decimal(-9_100 * M))


def test_debt_lines_tagged_on_other_concepts(marts):
    # ORCL Q1 FY2025 (10-Q 0000950170-24-104905): "Proceeds from issuances of term loan credit
    # agreements" 5,627 on ProceedsFromLongTermLinesOfCredit; repaid 7,630; commercial paper -396
    issued, net = one(
        marts,
        "select debt_issued_usd, net_debt_issued_usd from fct_capex_funding "
        "where ticker = 'ORCL' and fiscal_year = 2025 and fiscal_quarter = 1", [])
    assert (issued, net) == (Decimal(5_627 * M), Decimal((5_627 - 7_630 - 396) * M))
    # AMZN 2020 (10-K 0001018724-23-000004): short-term debt on its extensions, 6,796 - 6,177
    short_net, net = one(
        marts,
        "select short_term_debt_net_change_usd, net_debt_issued_usd from fct_capex_funding_annual "
        "where ticker = 'AMZN' and fiscal_year = 2020", [])
    assert short_net == Decimal((6_796 - 6_177) * M)
    assert net == Decimal((10_525 - 1_553 + 6_796 - 6_177) * M)


def test_uncovered_quarters_name_every_missing_input(marts):
    # Meta's releases print no debt line in a quarter without an issue (a dash is not a value),
    # and Q4 2024 buybacks are a dash too (FY = 9M, but FY comes from the 10-K and 9M from a
    # release: the two chains never mix): those quarters stay uncovered, each says what it lacks
    reasons = dict(marts.execute(
        "select period_end::varchar, coverage_missing_reason from fct_capex_funding "
        "where ticker = 'META'").fetchall())
    assert reasons["2023-03-31"] == "not reported for the period: debt issued or repaid"
    assert reasons["2024-12-31"] == "not reported for the period: buybacks, debt issued or repaid"
    assert reasons["2023-06-30"] is None and reasons["2024-09-30"] is None


def test_release_financing_lines_fill_the_funding_quarters(marts, build):
    def quarter(ticker, fiscal_year, fiscal_quarter, metric):
        return one(build, "select value_usd, value_method, accession_number, source "
                          "from intermediate.int_sec_quarters_discretized "
                          "where ticker = ? and fiscal_year = ? and fiscal_quarter = ? "
                          "and metric = ?", [ticker, fiscal_year, fiscal_quarter, metric])
    # META Q1 2025 release 0001326801-25-000050: "Repurchases of Class A common stock (12,754)"
    assert quarter("META", 2025, 1, "share_repurchases") == (
        Decimal(12_754 * M), "reported_quarter", "0001326801-25-000050", "earnings_release")
    (buybacks,) = one(marts, "select share_repurchases_usd from fct_capex_funding where "
                             "ticker = 'META' and fiscal_year = 2025 and fiscal_quarter = 1", [])
    assert buybacks == Decimal(12_754 * M)
    # MSFT Q4 FY2024 release 0000950170-24-087835, three months to June 2024: "Common stock cash
    # dividends paid (5,574)", "Repayments of debt (13,065)", 90-day debt net "(1,142)"
    assert quarter("MSFT", 2024, 4, "dividends")[:3] == (
        Decimal(5_574 * M), "reported_quarter", "0000950170-24-087835")
    repaid, short_net = one(
        marts, "select debt_repaid_usd, short_term_debt_net_change_usd from fct_capex_funding "
               "where ticker = 'MSFT' and fiscal_year = 2024 and fiscal_quarter = 4", [])
    assert (repaid, short_net) == (Decimal(13_065 * M), Decimal(-1_142 * M))
    # ORCL Q4 FY2025 = twelve months "(4,743)" (0000950170-25-084831) - nine months "(3,340)"
    # (0000950170-25-036295): Oracle prints its cash flows year to date
    assert quarter("ORCL", 2025, 4, "dividends")[:3] == (
        Decimal((4_743 - 3_340) * M), "derived_from_ytd", "0000950170-25-084831")
    covered = dict(marts.execute(
        "select ticker, count(*) from fct_capex_funding "
        "where coverage_missing_reason is null group by ticker").fetchall())
    # before the releases' financing lines were mapped: META 0, MSFT 2, ORCL 3, AMZN 2
    assert (covered["META"], covered["MSFT"], covered["ORCL"], covered["AMZN"]) == (2, 12, 9, 2)


def test_release_financing_lines_reconcile_with_xbrl(build):
    # every release print of a financing line that XBRL also reports, in its sign (outflows
    # positive), agrees within the release's rounding
    outcomes = dict(build.execute(
        "select outcome, count(*) from intermediate.int_release_reconciliation "
        "where metric not in ('capex', 'revenue', 'operating_cash_flow', 'operating_income') "
        "group by outcome").fetchall())
    assert outcomes == {"agrees": 166}


def test_coverage_adds_up(marts):
    rows = marts.execute(
        "select uses_usd, covered_by_operating_cash_usd + covered_by_new_debt_usd"
        " + covered_by_cash_drawdown_usd from fct_capex_funding"
        " where coverage_missing_reason is null").fetchall()
    assert rows and all(abs(uses - covered) < 1 for uses, covered in rows)


def test_commitments_rpo_leases_and_debt(marts):
    def at(ticker, date, column):
        return one(marts, f"select {column} from fct_commitments "
                          "where ticker = ? and balance_sheet_date = ?", [ticker, date])[0]
    # RPO: AMZN 177,000 (typed timing axis), GOOGL 93,200, ORCL 99,100, NVDA 1,700
    assert at("AMZN", "2024-12-31", "remaining_performance_obligation_usd") == Decimal(177_000 * M)
    assert at("GOOGL", "2024-12-31", "remaining_performance_obligation_usd") == Decimal(93_200 * M)
    assert at("ORCL", "2024-08-31", "remaining_performance_obligation_usd") == Decimal(99_100 * M)
    assert at("NVDA", "2025-01-26", "remaining_performance_obligation_usd") == Decimal(1_700 * M)
    # near-term shares with each company's horizon: GOOGL 0.5 / 24 months, ORCL 0.38 / 12, AMZN none
    assert at("GOOGL", "2024-12-31", "rpo_near_term_share") == 0.5
    assert at("GOOGL", "2024-12-31", "rpo_near_term_months") == 24
    assert at("ORCL", "2024-08-31", "rpo_near_term_share") == 0.38
    assert at("ORCL", "2024-08-31", "rpo_near_term_months") == 12
    assert at("AMZN", "2024-12-31", "rpo_near_term_share") is None
    reason = at("AMZN", "2024-12-31", "rpo_near_term_missing_reason")
    assert reason.startswith("the company states a weighted-average")
    # leases not yet commenced: AMZN 61,627 (company member), META 34,120 (purchase-obligation
    # concept), NVDA 7,600, GOOGL 773 + 6,500 (two extensions)
    assert at("AMZN", "2024-12-31", "leases_not_commenced_usd") == Decimal(61_627 * M)
    assert at("META", "2024-12-31", "leases_not_commenced_usd") == Decimal(34_120 * M)
    assert at("NVDA", "2025-01-26", "leases_not_commenced_usd") == Decimal(7_600 * M)
    assert at("GOOGL", "2024-12-31", "leases_not_commenced_usd") == Decimal(7_273 * M)
    # Oracle's debt: notes payable 9,201 + 75,314
    assert at("ORCL", "2024-08-31", "debt_usd") == Decimal((9_201 + 75_314) * M)
    assert at("AMZN", "2024-12-31", "source_accession") == "0001018724-25-000004"


def test_useful_life_effects_are_the_tagged_values(marts, build):
    # Alphabet FY2023 (10-K 0001652044-24-000022): depreciation -3,900, net income +3,000;
    # Amazon FY2024 (10-K 0001018724-25-000004): -3,200 / +2,500; FY2022: -3,600 / +2,800
    rows = dict(((t, y), (d, n)) for t, y, d, n in build.execute(
        "select ticker, fiscal_year, useful_life_depreciation_effect_usd,"
        " useful_life_net_income_effect_usd "
        "from intermediate.int_funding_flows_pivoted where period_grain = 'year' "
        "and useful_life_net_income_effect_usd is not null").fetchall())
    assert rows[("GOOGL", 2023)] == (Decimal(-3_900 * M), Decimal(3_000 * M))
    assert rows[("AMZN", 2024)] == (Decimal(-3_200 * M), Decimal(2_500 * M))
    assert rows[("AMZN", 2022)] == (Decimal(-3_600 * M), Decimal(2_800 * M))
    # quarters: Alphabet Q2 2023 -966 (reported), Q4 2023 -1,000 (FY - 9M: -3,900 - -2,900)
    q = dict(marts.execute(
        "select fiscal_quarter, useful_life_depreciation_effect_usd from fct_depreciation_wave "
        "where ticker = 'GOOGL' and fiscal_year = 2023 and scenario = 'company_policy'").fetchall())
    assert q[2] == Decimal(-966 * M) and q[4] == Decimal(-1_000 * M)


def test_depreciation_wave_needs_full_history(marts):
    # Alphabet has quarterly capex from 2014: a six-year window is complete from 2020;
    # Amazon's few recorded quarters never are, so its wave is null with the reason
    (complete,) = one(
        marts,
        "select count(*) from fct_depreciation_wave where ticker = 'GOOGL' "
        "and scenario = 'servers_6y' and scenario_depreciation_usd is not null", [])
    assert complete > 0
    reasons = marts.execute(
        "select distinct wave_missing_reason is not null from fct_depreciation_wave "
        "where ticker = 'AMZN'").fetchall()
    assert reasons == [(True,)]


def test_depreciation_wave_per_fiscal_year(marts):
    def year(ticker, fiscal_year, scenario, columns):
        return one(marts, f"select {columns} from fct_depreciation_wave_annual "
                          "where ticker = ? and fiscal_year = ? and scenario = ?",
                   [ticker, fiscal_year, scenario])
    # the annual reports' twelve-month values: Alphabet FY2023 (10-K 0001652044-24-000022)
    # depreciation -3,900, net income +3,000, depreciation of property and equipment 11,946;
    # Amazon FY2024 (10-K 0001018724-25-000004) -3,200 / +2,500, D&A 52,795
    assert year("GOOGL", 2023, "company_policy",
                "useful_life_depreciation_effect_usd, useful_life_net_income_effect_usd,"
                " useful_life_effect_accession, reported_depreciation_amortization_usd") == (
        Decimal(-3_900 * M), Decimal(3_000 * M), "0001652044-24-000022", Decimal(11_946 * M))
    assert year("AMZN", 2024, "company_policy",
                "useful_life_depreciation_effect_usd, useful_life_net_income_effect_usd,"
                " reported_depreciation_amortization_usd") == (
        Decimal(-3_200 * M), Decimal(2_500 * M), Decimal(52_795 * M))
    # a year's wave is its four quarters summed; next year's commitment is the fourth quarter's
    total, committed = year("GOOGL", 2024, "servers_4y",
                            "scenario_depreciation_usd, committed_depreciation_next_4q_usd")
    quarters = marts.execute(
        "select fiscal_quarter, scenario_depreciation_usd, committed_depreciation_next_4q_usd "
        "from fct_depreciation_wave where ticker = 'GOOGL' and fiscal_year = 2024 "
        "and scenario = 'servers_4y' order by fiscal_quarter").fetchall()
    assert [q for q, _, _ in quarters] == [1, 2, 3, 4]
    assert abs(total - sum(d for _, d, _ in quarters)) < 1
    assert committed == quarters[-1][2]
    # Amazon's recorded quarters never cover a life: every year is null with the reason
    (reason,) = year("AMZN", 2024, "servers_3y", "wave_missing_reason")
    assert reason == ("capex history shorter than the useful life: "
                      "0 of 4 quarters in the year complete")


def test_debt_funded_runway_lasts_at_least_as_long(marts):
    rows = marts.execute(
        "select d.runway_quarters, s.runway_quarters from fct_funding_runway d "
        "join fct_funding_runway s using (ticker, fiscal_year, fiscal_quarter) "
        "where d.scenario = 'capex_trailing_growth_debt_funded' "
        "and s.scenario = 'capex_trailing_growth_cloud_stalls' "
        "and d.runway_status = 'runs_out' and s.runway_status = 'runs_out'").fetchall()
    assert rows and all(debt >= stalls for debt, stalls in rows)
