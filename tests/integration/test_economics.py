"""Economics marts from the recorded snapshot: real prices, real filings, scenario arithmetic."""

from __future__ import annotations

import csv
import math

import pytest

from orchestration.settings import DBT_PROJECT_DIR
from tests.integration.marts import one

ECONOMICS_MARTS = ("fct_gpu_economics", "fct_ai_monetization", "fct_ai_monetization_annual",
                   "fct_funding_runway")


@pytest.fixture(scope="module")
def assumptions() -> dict[tuple[str, str], str]:
    with (DBT_PROJECT_DIR / "seeds" / "assumptions.csv").open(encoding="utf-8") as fh:
        return {(r["assumption"], r["scenario"]): r["value"] or r["value_text"]
                for r in csv.DictReader(fh)}


@pytest.mark.parametrize("mart", ECONOMICS_MARTS)
def test_economics_marts_are_published_through_the_gates(snapshot_run, marts, mart):
    result, _ = snapshot_run
    assert marts.execute(f"select count(*) from {mart}").fetchone()[0] > 0
    checks = [c for c in result.get_asset_check_evaluations()
              if c.asset_key.path[-1] == mart]
    assert any(c.check_name == f"gx_{mart}" for c in checks)
    assert all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]


def test_h100_rental_index_economics_january_2024(marts, assumptions):
    price, kwh, kw, util, pue, energy_cost, margin, payback, purchase, hours = one(marts, """
        select usd_per_gpu_hour, electricity_usd_per_kwh, gpu_kw, gpu_utilisation, pue,
               energy_cost_usd_per_gpu_hour, gross_margin_usd_per_gpu_hour, payback_months,
               reference_purchase_price_usd, hours_per_month
        from fct_gpu_economics
        where price_month = date '2024-01-01' and gpu_model = 'H100'
          and price_source = 'gpu_price_index_backfill:us_rate_cards:rental_index'""")
    assert price == 4.7765  # GIX-H100 2024-01 in backfill_ratecards.csv
    assert kwh == pytest.approx(0.0941)  # EIA-861M Virginia commercial, January 2024: 9.41 c/kWh
    assert (kw, util, pue) == (0.7, float(assumptions[("gpu_utilisation", "all")]),
                               float(assumptions[("pue", "all")]))
    assert energy_cost == pytest.approx(0.7 * 0.7 * 1.2 * 0.0941)
    assert margin == pytest.approx(4.7765 * 0.7 - 0.7 * 0.7 * 1.2 * 0.0941)
    assert purchase == 33600
    assert payback == pytest.approx(33600 / (margin * hours))
    assert payback == pytest.approx(13.9977, abs=1e-4)


def test_aws_h100_price_cut_and_carried_forward_electricity(marts):
    before = one(marts, """select usd_per_gpu_hour from fct_gpu_economics
        where price_month = date '2025-05-01' and price_source = 'aws_price_list:aws:on_demand'""")
    after = one(marts, """select usd_per_gpu_hour, electricity_price_month,
                                 electricity_price_carried_forward, electricity_usd_per_kwh
        from fct_gpu_economics
        where price_month = date '2025-08-01' and price_source = 'aws_price_list:aws:on_demand'""")
    assert before[0] == pytest.approx(98.32 / 8)
    assert after[0] == pytest.approx(55.04 / 8)
    # the workbook ends in April 2025: later months use it and say so
    assert str(after[1]) == "2025-04-01" and after[2] is True
    assert after[3] == pytest.approx(0.0922)


def test_gpu_models_covered(marts):
    models = {r[0] for r in marts.execute(
        "select distinct gpu_model from fct_gpu_economics").fetchall()}
    assert {"H100", "A100", "H200", "B200"} <= models


def test_monetization_sequoia_arithmetic_on_epoch_quarter(marts):
    dc, run_rate, required, source, tco, margin = one(marts, """
        select nvidia_data_center_revenue_usd, nvidia_data_center_run_rate_usd,
               required_revenue_usd, nvidia_data_center_source, tco_multiple, end_user_margin
        from fct_ai_monetization where calendar_year = 2025 and calendar_quarter = 3""")
    # NVIDIA FY26 Q3 (Aug-Oct 2025): no filing in the snapshot -> Epoch AI, labelled
    assert source == "epoch_ai_secondary"
    assert dc == 51_200_000_000
    assert run_rate == 4 * dc
    assert required == pytest.approx(float(run_rate) * tco / (1 - margin))
    assert required == 819_200_000_000


def test_monetization_hyperscaler_capex_and_coverage(marts):
    capex, reporting, expected, missing, coverage = one(marts, """
        select hyperscaler_capex_usd, companies_reporting, companies_expected,
               missing_companies, capex_coverage
        from fct_ai_monetization where calendar_year = 2025 and calendar_quarter = 3""")
    # Alphabet's Q3 2025 capex (discrete quarter from the 10-Q year-to-date chain): the only
    # hyperscaler with company facts in the snapshot for that quarter
    googl = one(marts, """select capex_usd from fct_ai_capex
                          where ticker = 'GOOGL' and fiscal_year = 2025 and fiscal_quarter = 3""")
    assert capex == googl[0] == 23_953_000_000
    assert (reporting, expected) == (1, 5)
    assert missing == "AMZN, META, MSFT, ORCL"
    assert coverage == "partial"


def test_monetization_quarters_are_contiguous(marts):
    indexes = [r[0] for r in marts.execute(
        "select calendar_year * 4 + calendar_quarter from fct_ai_monetization order by 1"
    ).fetchall()]
    assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))


def test_monetization_never_fills_missing_data_center_revenue(marts):
    rows = marts.execute("""select nvidia_data_center_source, count(*),
                                   count(nvidia_data_center_revenue_usd)
                            from fct_ai_monetization group by 1""").fetchall()
    by_source = {r[0]: (r[1], r[2]) for r in rows}
    assert by_source["not available"][1] == 0
    assert by_source["epoch_ai_secondary"][0] == by_source["epoch_ai_secondary"][1]


def test_monetization_annual_uses_ten_k_capex(marts):
    capex, used, dc_quarters, dc, required = one(marts, """
        select hyperscaler_capex_usd, fiscal_years_used, nvidia_data_center_quarters,
               nvidia_data_center_revenue_usd, required_revenue_usd
        from fct_ai_monetization_annual where calendar_year = 2023""")
    assert "GOOGL FY2023" in used
    googl_2023 = one(marts, """select capex_usd from fct_ai_capex_annual
                               where ticker = 'GOOGL' and fiscal_year = 2023""")[0]
    assert capex >= googl_2023
    assert dc_quarters == 4
    assert required == pytest.approx(float(dc) * 2 / (1 - 0.5))


def _runway(cash, capex, ocf, returns, capex_growth, horizon, headroom=0.0):
    total = cash
    for quarter in range(1, horizon + 1):
        total += ocf - capex * (1 + capex_growth) ** quarter - returns
        if total + headroom < 0:
            return quarter
    return None


@pytest.mark.parametrize(("ticker", "fiscal_year", "fiscal_quarter"),
                         [("GOOGL", 2025, 4), ("GOOGL", 2025, 2), ("NVDA", 2026, 1)])
def test_funding_runway_scenario_arithmetic_on_real_figures(marts, ticker, fiscal_year,
                                                            fiscal_quarter):
    rows = marts.execute("""
        select scenario, cash_and_securities_usd, capex_usd, operating_cash_flow_usd,
               dividends_usd, share_repurchases_usd, capex_yoy_pct, capex_quarterly_growth,
               runway_horizon_quarters, runway_quarters, runway_status,
               free_cash_flow_usd, free_cash_flow_after_returns_usd, debt_usd,
               leverage_limit_debt_to_operating_cash_flow, debt_headroom_usd
        from fct_funding_runway
        where ticker = ? and fiscal_year = ? and fiscal_quarter = ?
        order by scenario""", [ticker, fiscal_year, fiscal_quarter]).fetchall()
    assert [r[0] for r in rows] == ["capex_flat", "capex_trailing_growth_cloud_stalls",
                                    "capex_trailing_growth_debt_funded"]
    for (scenario, cash, capex, ocf, dividends, buybacks, yoy, growth, horizon, runway, status,
         fcf, fcf_after, debt, limit, headroom) in rows:
        cash, capex, ocf = float(cash), float(capex), float(ocf)
        returns = float(dividends) + float(buybacks)
        expected_growth = 0.0 if scenario == "capex_flat" else (1 + yoy / 100) ** 0.25 - 1
        assert growth == pytest.approx(expected_growth)
        # the debt-funded scenario may borrow up to limit x annualised OCF, less the debt it has
        expected_headroom = (max(float(limit) * 4 * ocf - float(debt), 0.0)
                             if scenario.endswith("_debt_funded") else 0.0)
        assert float(headroom) == pytest.approx(expected_headroom)
        assert runway == _runway(cash, capex, ocf, returns, expected_growth, horizon,
                                 expected_headroom)
        assert status == ("runs_out" if runway else "beyond_horizon")
        assert float(fcf) == pytest.approx(ocf - capex)
        assert float(fcf_after) == pytest.approx(ocf - capex - returns)


def test_funding_runway_alphabet_q4_2025_figures(marts):
    cash, debt, ocf, capex, dividends, buybacks, runway = one(marts, """
        select cash_and_securities_usd, debt_usd, operating_cash_flow_usd, capex_usd,
               dividends_usd, share_repurchases_usd, runway_quarters
        from fct_funding_runway
        where ticker = 'GOOGL' and fiscal_year = 2025 and fiscal_quarter = 4
          and scenario = 'capex_trailing_growth_cloud_stalls'""")
    # Alphabet 10-K FY2025: Q4 = FY - 9M (capex 91,447 - 63,596; OCF 164,713 - 112,311)
    assert capex == 27_851_000_000
    assert ocf == 52_402_000_000
    assert cash == 126_843_000_000
    assert debt == 49_085_000_000
    assert dividends == 10_049_000_000 - 7_513_000_000
    assert buybacks == 45_709_000_000 - 40_210_000_000
    # capex nearly doubled year on year (+95 %): at that pace, with flat operating cash flow,
    # cash runs out in the eighth quarter
    assert runway == 8
    assert math.isfinite(float(cash))
