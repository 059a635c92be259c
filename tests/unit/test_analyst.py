"""The analyst page without (all of) its marts: notes naming the marts instead of charts."""

from pathlib import Path

import duckdb

from orchestration.report.analyst import render_page
from orchestration.report.charts import CHARTS


def test_no_published_file_gives_a_note_per_chart(tmp_path: Path) -> None:
    html = render_page(tmp_path / "marts.duckdb", None, None)
    assert "Plotly.newPlot(" not in html
    assert html.count("class='missing'") == len(CHARTS)
    assert "fct_gpu_economics (not published yet)" in html
    assert "No data-quality results yet" in html


def test_a_missing_or_empty_mart_replaces_only_its_charts(tmp_path: Path) -> None:
    marts = tmp_path / "marts.duckdb"
    with duckdb.connect(str(marts)) as con:
        con.execute("create table fct_gpu_economics (price_month date, gpu_model varchar, "
                    "price_source varchar, usd_per_gpu_hour double, "
                    "energy_cost_usd_per_gpu_hour double)")
        con.execute("insert into fct_gpu_economics values ('2025-01-01', 'H100', 'x', 2.5, 0.05)")
        con.execute("create table fct_funding_runway (ticker varchar, scenario varchar, "
                    "fiscal_year integer, fiscal_quarter integer, period_end date, "
                    "runway_quarters integer, runway_status varchar, "
                    "runway_horizon_quarters integer)")
        con.execute("create table fct_ai_monetization (calendar_year integer)")
    html = render_page(marts, None, None)
    assert html.count("Plotly.newPlot(") == 1  # GPU economics
    assert "fct_funding_runway (no rows)" in html
    assert "fct_ai_monetization (Binder Error: Referenced column" in html
    assert "fct_ai_capex (not published yet), fct_cloud_segment_revenue (not published yet)" in html
    assert "no publish recorded" in html


def test_charts_are_rendered_again_only_when_the_published_file_changes(tmp_path: Path,
                                                                        monkeypatch) -> None:
    """The rendered charts are kept with the published file's sha256: an unchanged file reuses
    them (no chart is built), a new publish renders them again."""
    from orchestration.report import analyst

    marts, cache = tmp_path / "marts.duckdb", tmp_path / "latest" / ".charts.html"
    with duckdb.connect(str(marts)) as con:
        con.execute("create table fct_gpu_economics as select date '2025-01-01' as price_month, "
                    "'H100' as gpu_model, 'x' as price_source, 2.5 as usd_per_gpu_hour, "
                    "0.05 as energy_cost_usd_per_gpu_hour")
    first = render_page(marts, None, None, cache)
    assert first.count("Plotly.newPlot(") == 1 and cache.is_file()

    built = []
    real = analyst.chart_section
    monkeypatch.setattr(analyst, "chart_section",
                        lambda *args: built.append(args[1].key) or real(*args))
    second = render_page(marts, None, None, cache)
    assert built == []
    assert second.split("<p class=\"meta\">")[1].split("</nav>")[1] == \
        first.split("<p class=\"meta\">")[1].split("</nav>")[1]  # the same charts

    with duckdb.connect(str(marts)) as con:  # a new publish: another H100 price
        con.execute("insert into fct_gpu_economics values ('2025-02-01', 'H100', 'x', 2.0, 0.05)")
    third = render_page(marts, None, None, cache)
    assert len(built) == len(CHARTS)
    assert third.count("Plotly.newPlot(") == 1 and "2025-02-01" in third
