"""The chart builders on the published marts of the snapshot run: real figures, right traces."""

import pandas as pd
import pytest

from orchestration.query import connect_published
from orchestration.report import charts
from orchestration.report.analyst import chart_section

BN = 1e9


@pytest.fixture(scope="module")
def figures(snapshot_run) -> dict:
    _, settings = snapshot_run
    with connect_published(settings.marts_db) as con:
        frames = {c.key: [con.execute(sql).df() for sql in c.queries.values()]
                  for c in charts.CHARTS}
    return {c.key: c.build(*frames[c.key]) for c in charts.CHARTS}


def trace(figure, name: str):
    matches = [t for t in figure.data if t.name == name]
    assert len(matches) >= 1, [t.name for t in figure.data]
    return matches


def value_at(trace_, x) -> float:
    points = dict(zip(pd.to_datetime(list(trace_.x)), trace_.y, strict=True))
    return float(points[pd.Timestamp(x)])


def test_capex_is_stacked_per_company_against_cloud_revenue(figures):
    figure = figures["capex-vs-cloud"]
    assert figure.layout.barmode == "stack"
    bars = {t.name for t in figure.data if t.type == "bar"}
    assert bars == {f"{t} capex" for t in ("AMZN", "GOOGL", "META", "MSFT", "NVDA", "ORCL")}
    # Microsoft FY2024 Q2 (calendar 2023-Q4), release 0000950170-24-008809 cash flows:
    # "Additions to property and equipment" (9,735)
    assert value_at(trace(figure, "MSFT capex")[0], "2023-10-01") == pytest.approx(9.735)
    # Alphabet FY2025 Q4 (calendar 2025-Q4) capex, 10-K: 27,851 M USD
    googl = trace(figure, "GOOGL capex")[0]
    assert value_at(googl, "2025-10-01") == pytest.approx(27_851_000_000 / BN)
    lines = {t.name for t in figure.data if t.type == "scatter"}
    assert "GOOGL Google Cloud revenue" in lines
    assert "AMZN Amazon Web Services revenue" in lines
    assert any(name.startswith("MSFT ") for name in lines)
    assert not any("Reality Labs" in name for name in lines)  # not a cloud segment


def test_cash_flow_ratio_and_free_cash_flow_per_company(figures):
    figure = figures["cash-flow"]
    ratio, fcf = trace(figure, "GOOGL")
    assert value_at(ratio, "2025-12-31") == pytest.approx(27_851 / 52_402, abs=1e-4)
    assert value_at(fcf, "2025-12-31") == pytest.approx((52_402_000_000 - 27_851_000_000) / BN)
    assert {t.name for t in figure.data} >= {"GOOGL", "NVDA"}


def test_revenue_gap_follows_the_sequoia_arithmetic(figures):
    figure = figures["revenue-gap"]
    required = trace(figure, "required AI revenue (NVIDIA DC run-rate x 4)")[0]
    # NVIDIA data center 2025-Q3: 51.2 bn a quarter -> 204.8 bn run-rate x 2 / 0.5
    assert value_at(required, "2025-07-01") == pytest.approx(819.2)
    assert len(trace(figure, "revenue gap")[0].x) > 0


def test_gpu_price_and_energy_cost_per_model(figures):
    figure = figures["gpu-economics"]
    for model in ("A100", "H100", "H200", "B200"):
        price = trace(figure, f"{model} price per GPU-hour")[0]
        energy = trace(figure, f"{model} energy cost per GPU-hour")[0]
        assert 0 < max(energy.y) < min(price.y)


def test_funding_runway_shows_every_scenario(figures):
    figure = figures["funding-runway"]
    assert {t.name for t in figure.data} == {"capex_flat", "capex_trailing_growth_cloud_stalls",
                                             "capex_trailing_growth_debt_funded"}
    stalls = trace(figure, "capex_trailing_growth_cloud_stalls")[0]
    debt = trace(figure, "capex_trailing_growth_debt_funded")[0]
    googl = list(stalls.x).index("GOOGL FY2026 Q1")
    assert stalls.text[googl] == "runs out in 6 q"
    # borrowing up to 1.5 x annualised OCF (1.5 x 4 x 45,790 - debt 79,499 = 195,241 M USD)
    # buys Alphabet two more quarters
    assert debt.text[list(debt.x).index("GOOGL FY2026 Q1")] == "runs out in 8 q"
    # Meta's quarterly dividends and buybacks come from its releases: every company has a runway
    assert not [a.text for a in figure.layout.annotations if a.text.startswith("inputs missing")]
    assert any(label.startswith("META FY") for label in stalls.x)


def bars_at(figure, name: str, ticker: str, x) -> float:
    """The value of the ``name`` trace in ``ticker``'s panel at ``x`` (panels titled by ticker)."""
    titles = [a.text for a in figure.layout.annotations]
    axis = titles.index(ticker) + 1
    xaxis = "x" if axis == 1 else f"x{axis}"
    (match,) = [t for t in figure.data if t.name == name and t.xaxis == xaxis]
    return value_at(match, x)


def test_funding_mix_stacks_what_paid_for_capex_and_returns(figures):
    figure = figures["funding-mix"]
    assert figure.layout.barmode == "stack"
    assert {t.name for t in figure.data} == {"operating cash flow", "new debt", "cash drawdown"}
    # Alphabet 2025-Q2 (10-Q 0001652044-25-000062): capex 22,446 + dividends 2,543 + buybacks
    # 13,638 = 38,627; operating cash 27,747 pays first, net new debt 12,970 covers the other
    # 10,880, nothing drawn from cash
    assert bars_at(figure, "operating cash flow", "GOOGL", "2025-06-30") == pytest.approx(27.747)
    assert bars_at(figure, "new debt", "GOOGL", "2025-06-30") == pytest.approx(10.880)
    assert bars_at(figure, "cash drawdown", "GOOGL", "2025-06-30") == 0
    # Alphabet 2023-Q4: 11,019 + 0 + 16,191 = 27,210 against OCF 18,915 and net debt -437:
    # 8,295 from cash and securities
    assert bars_at(figure, "cash drawdown", "GOOGL", "2023-12-31") == pytest.approx(8.295)
    # Amazon 2022-Q2 (10-Q 0001018724-23-000012): 15,724 + 3,334 against OCF 8,965 and net
    # new debt 10,078, the remaining 15 from cash
    assert bars_at(figure, "new debt", "AMZN", "2022-06-30") == pytest.approx(10.078)
    assert bars_at(figure, "cash drawdown", "AMZN", "2022-06-30") == pytest.approx(0.015)
    # Meta 2024-Q3, every input from its release 0001326801-24-000077: capex 8,258 + dividends
    # 1,263 + buybacks 8,818 = 18,339, all paid by operating cash flow 24,724 (its two covered
    # quarters drew nothing else, so its panel has no other trace)
    assert bars_at(figure, "operating cash flow", "META", "2024-09-30") == pytest.approx(18.339)
    # every company now has a covered quarter: no company is named as missing
    assert not [a.text for a in figure.layout.annotations if a.text.startswith("no quarter")]


def test_commitments_and_backlog_against_cash_and_capex(figures):
    figure = figures["commitments"]
    # Amazon 10-K 0001018724-25-000004 at 2024-12-31: RPO 177,000; leases not yet commenced
    # 61,627; cash and marketable securities 101,202; capex 2024 82,999
    assert bars_at(figure, "backlog (RPO)", "AMZN", "2024-12-31") == pytest.approx(177.0)
    assert bars_at(figure, "leases signed, not yet commenced", "AMZN",
                   "2024-12-31") == pytest.approx(61.627)
    assert bars_at(figure, "cash and securities", "AMZN", "2024-12-31") == pytest.approx(101.202)
    assert bars_at(figure, "capex, trailing four quarters", "AMZN",
                   "2024-12-31") == pytest.approx(82.999)
    # Meta's 34,120 "mostly data centers"; Oracle RPO 99,100 at 2024-08-31; NVIDIA purchase
    # obligations 45,079 at 2025-01-26
    assert bars_at(figure, "leases signed, not yet commenced", "META",
                   "2024-12-31") == pytest.approx(34.12)
    assert bars_at(figure, "backlog (RPO)", "ORCL", "2024-08-31") == pytest.approx(99.1)
    assert bars_at(figure, "purchase obligations", "NVDA", "2025-01-26") == pytest.approx(45.079)
    assert figure.layout.annotations[-1].text == "no backlog or commitment tagged: MSFT"


def test_depreciation_wave_against_reported_depreciation(figures):
    figure = figures["depreciation-wave"]
    # Alphabet 2025-Q4, servers over 3 years: the capex of 2023-Q1..2025-Q4 (6,289 + 6,888 +
    # 8,055 + 11,019 + 12,012 + 13,186 + 13,061 + 14,276 + 17,197 + 22,446 + 23,953 + 27,851
    # = 176,233) / 12 quarters
    assert bars_at(figure, "servers_3y depreciation", "GOOGL",
                   "2025-12-31") == pytest.approx(176_233 / 12 / 1000)
    # company policy: four years for capex before 2023, six from 2023 (10-K
    # 0001652044-24-000022): shorter lives depreciate faster, so it lies below the three-year line
    policy = bars_at(figure, "company_policy depreciation", "GOOGL", "2025-12-31")
    assert 0 < policy < bars_at(figure, "servers_3y depreciation", "GOOGL", "2025-12-31")
    # reported depreciation 2025-Q4: FY 21,136 (10-K 0001652044-26-000018) - nine months
    # 15,096 (10-Q 0001652044-25-000091)
    assert bars_at(figure, "reported D&A", "GOOGL", "2025-12-31") == pytest.approx(6.040)
    assert figure.layout.annotations[-1].text == (
        "capex history shorter than every useful life (no wave): AMZN, META, MSFT, ORCL")


def test_each_section_names_its_marts_and_sources(snapshot_run):
    _, settings = snapshot_run
    with connect_published(settings.marts_db) as con:
        html = chart_section(con, charts.CHARTS[0])
    assert "Mart: <code>fct_ai_capex, fct_cloud_segment_revenue</code>" in html
    assert "Sources: SEC 10-K/10-Q XBRL" in html
    assert "Plotly.newPlot(" in html
