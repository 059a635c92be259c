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
    assert {t.name for t in figure.data} == {"capex_flat", "capex_trailing_growth_cloud_stalls"}
    stalls = trace(figure, "capex_trailing_growth_cloud_stalls")[0]
    googl = next(i for i, x in enumerate(stalls.x) if x.startswith("GOOGL"))
    assert stalls.text[googl] == f"runs out in {stalls.y[googl]:.0f} q"
    note = figure.layout.annotations[0].text
    # Amazon pays no dividend (0, non_payer) and Oracle's debt is its notes payable, so both
    # have a runway now; Meta tags buybacks and dividends for full years only
    assert note == "inputs missing (no runway): META"


def test_each_section_names_its_marts_and_sources(snapshot_run):
    _, settings = snapshot_run
    with connect_published(settings.marts_db) as con:
        html = chart_section(con, charts.CHARTS[0])
    assert "Mart: <code>fct_ai_capex, fct_cloud_segment_revenue</code>" in html
    assert "Sources: SEC 10-K/10-Q XBRL" in html
    assert "Plotly.newPlot(" in html
