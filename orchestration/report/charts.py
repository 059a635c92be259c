"""The charts of the analyst report: one pure function per chart, mart frames -> plotly figure.

Each ``Chart`` names the published marts it reads (one SQL per mart), the sources behind them and
the function that draws it, so the page can say where every line comes from and replace a chart
whose mart is not published yet by a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from orchestration.universe import load_universe

BILLION = 1e9
WIDTH, HEIGHT = 960, 460  # fixed: the page prints on landscape A4 without rescaling the charts
# the cloud segments fct_ai_monetization sums (dbt_project/seeds/cloud_revenue_segments.csv)
CLOUD_SEGMENTS = ("aws", "google_cloud", "microsoft_intelligent_cloud",
                  "oracle_cloud_services_license_support")
RATIO_RANGE = (-0.5, 2.0)  # negative or tiny operating cash flow makes the ratio meaningless
GPU_COLORS = dict(zip(("A100", "H100", "H200", "B200"), qualitative.Dark2, strict=False))


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    sources: str
    queries: dict[str, str]  # published mart -> SQL reading it
    build: Callable[..., go.Figure]  # one frame per mart, in the order of ``queries``
    note: str = ""

    @property
    def marts(self) -> list[str]:
        return list(self.queries)


@cache
def ticker_colors() -> dict[str, str]:
    """One colour per company of the universe (a seed: read when the first chart is drawn)."""
    return {c.ticker: qualitative.D3[i % len(qualitative.D3)]
            for i, c in enumerate(load_universe())}


def _color(ticker: str) -> str:
    return ticker_colors().get(ticker, "#7f7f7f")


def _quarter_start(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(pd.DataFrame({"year": frame["calendar_year"],
                                        "month": frame["calendar_quarter"] * 3 - 2, "day": 1}))


def _quarter_label(frame: pd.DataFrame) -> pd.Series:
    return frame["calendar_year"].astype(str) + "-Q" + frame["calendar_quarter"].astype(str)


def _layout(fig: go.Figure, yaxis_title: str, **layout) -> go.Figure:
    defaults = {"width": WIDTH, "height": HEIGHT, "template": "plotly_white",
                "margin": {"l": 70, "r": 20, "t": 30, "b": 50}, "hovermode": "closest",
                "legend": {"orientation": "h", "y": -0.15}}
    fig.update_layout(**{**defaults, **layout}, yaxis_title=yaxis_title)
    return fig


def capex_vs_cloud(capex: pd.DataFrame, cloud: pd.DataFrame) -> go.Figure:
    """Capex per company per calendar quarter, stacked, against cloud segment revenue."""
    fig = go.Figure()
    capex = capex.dropna(subset=["capex_usd"]).assign(
        quarter=_quarter_start, label=_quarter_label).sort_values("quarter")
    for ticker, rows in capex.groupby("ticker", sort=True):
        fig.add_bar(
            x=rows["quarter"], y=rows["capex_usd"] / BILLION, name=f"{ticker} capex",
            marker_color=_color(str(ticker)), customdata=rows[["label", "source_accession"]],
            hovertemplate="%{customdata[0]} " + str(ticker)
            + " capex $%{y:.2f} bn<br>accession %{customdata[1]}<extra></extra>",
        )
    cloud = cloud[cloud["segment"].isin(CLOUD_SEGMENTS)].dropna(subset=["revenue_usd"]).assign(
        quarter=_quarter_start, label=_quarter_label).sort_values("quarter")
    for (ticker, label), rows in cloud.groupby(["ticker", "segment_label"], sort=True):
        fig.add_scatter(
            x=rows["quarter"], y=rows["revenue_usd"] / BILLION, mode="lines+markers",
            name=f"{ticker} {label} revenue", marker={"symbol": "diamond", "size": 9},
            line={"color": _color(str(ticker)), "dash": "dot", "width": 2},
            customdata=rows[["label", "source_accession"]],
            hovertemplate="%{customdata[0]} " + f"{ticker} {label}"
            + " revenue $%{y:.2f} bn<br>accession %{customdata[1]}<extra></extra>",
        )
    return _layout(fig, "USD bn per quarter", barmode="stack", xaxis_title="calendar quarter")


def cash_flow(capex: pd.DataFrame) -> go.Figure:
    """Capex / operating cash flow (top) and free cash flow after capex (bottom) per company."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("capex / operating cash flow",
                                        "free cash flow after capex, USD bn per quarter"))
    capex = capex.sort_values("period_end")
    for ticker, rows in capex.groupby("ticker", sort=True):
        color = _color(str(ticker))
        ratio = rows.dropna(subset=["capex_to_ocf"])
        fcf = rows.dropna(subset=["free_cash_flow_usd"])
        if ratio.empty and fcf.empty:
            continue
        fig.add_scatter(x=ratio["period_end"], y=ratio["capex_to_ocf"], row=1, col=1,
                        mode="lines+markers", name=str(ticker), legendgroup=str(ticker),
                        line={"color": color}, marker={"size": 4},
                        hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: capex = %{y:.0%} of OCF"
                        "<extra></extra>")
        fig.add_scatter(x=fcf["period_end"], y=fcf["free_cash_flow_usd"] / BILLION, row=2, col=1,
                        mode="lines+markers", name=str(ticker), legendgroup=str(ticker),
                        showlegend=False, line={"color": color}, marker={"size": 4},
                        hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: FCF $%{y:.2f} bn"
                        "<extra></extra>")
    fig.add_hline(y=1, row=1, col=1, line={"dash": "dash", "color": "#999"},
                  annotation_text="capex = operating cash flow")
    fig.add_hline(y=0, row=2, col=1, line={"color": "#999"})
    fig.update_yaxes(tickformat=".0%", range=RATIO_RANGE, row=1, col=1)
    fig = _layout(fig, "", height=HEIGHT + 140)
    fig.update_xaxes(title_text="fiscal quarter end", row=2, col=1)
    return fig


def revenue_gap(monetization: pd.DataFrame) -> go.Figure:
    """Sequoia's required AI revenue vs annualised cloud revenue, and the gap between them."""
    frame = monetization.assign(quarter=_quarter_start, label=_quarter_label).sort_values("quarter")
    fig = go.Figure()
    gap = frame.dropna(subset=["revenue_gap_usd"])
    fig.add_bar(x=gap["quarter"], y=gap["revenue_gap_usd"] / BILLION, name="revenue gap",
                marker_color="#d62728", opacity=0.55, customdata=gap[["label", "cloud_coverage"]],
                hovertemplate="%{customdata[0]} gap $%{y:.0f} bn<br>%{customdata[1]}"
                "<extra></extra>")
    required = frame.dropna(subset=["required_revenue_usd"])
    fig.add_scatter(x=required["quarter"], y=required["required_revenue_usd"] / BILLION,
                    mode="lines+markers", name="required AI revenue (NVIDIA DC run-rate x 4)",
                    line={"color": "#1f77b4", "width": 3},
                    customdata=required[["label", "nvidia_data_center_source"]],
                    hovertemplate="%{customdata[0]} required $%{y:.0f} bn/yr"
                    "<br>data center: %{customdata[1]}<extra></extra>")
    cloud = frame.dropna(subset=["cloud_revenue_usd"])
    fig.add_scatter(x=cloud["quarter"], y=cloud["cloud_revenue_usd"] * 4 / BILLION,
                    mode="markers", name="hyperscaler cloud revenue, annualised",
                    marker={"color": "#2ca02c", "size": 10, "symbol": "diamond"},
                    customdata=cloud[["label", "cloud_coverage"]],
                    hovertemplate="%{customdata[0]} cloud $%{y:.0f} bn/yr<br>%{customdata[1]}"
                    "<extra></extra>")
    return _layout(fig, "USD bn per year (annualised)", xaxis_title="calendar quarter")


def gpu_economics(gpu: pd.DataFrame) -> go.Figure:
    """Rental $/GPU-hour against the energy cost of a GPU-hour, by GPU model (median of sources)."""
    monthly = (gpu.groupby(["gpu_model", "price_month"], as_index=False)
               .agg(usd_per_gpu_hour=("usd_per_gpu_hour", "median"),
                    energy=("energy_cost_usd_per_gpu_hour", "median"),
                    sources=("price_source", "nunique"))
               .sort_values("price_month"))
    fig = go.Figure()
    for model, rows in monthly.groupby("gpu_model", sort=True):
        color = GPU_COLORS.get(str(model), "#7f7f7f")
        fig.add_scatter(x=rows["price_month"], y=rows["usd_per_gpu_hour"], mode="lines+markers",
                        name=f"{model} price per GPU-hour", line={"color": color},
                        marker={"size": 5}, customdata=rows[["sources"]],
                        hovertemplate=f"{model} " + "%{x|%Y-%m}: $%{y:.2f}/GPU-h "
                        "(median of %{customdata[0]} price sources)<extra></extra>")
        fig.add_scatter(x=rows["price_month"], y=rows["energy"], mode="lines",
                        name=f"{model} energy cost per GPU-hour",
                        line={"color": color, "dash": "dot"},
                        hovertemplate=f"{model} " + "%{x|%Y-%m}: energy $%{y:.3f}/GPU-h"
                        "<extra></extra>")
    fig.update_yaxes(type="log", tickprefix="$")
    return _layout(fig, "USD per GPU-hour (log scale)", xaxis_title="price month")


def latest_runway(runway: pd.DataFrame) -> pd.DataFrame:
    """Per company and scenario, the newest quarter whose runway could be computed (else newest)."""
    ranked = runway.assign(computed=runway["runway_status"] != "inputs_missing")
    ranked = ranked.sort_values(["computed", "period_end"])
    return ranked.groupby(["ticker", "scenario"], as_index=False).tail(1).sort_values(
        ["ticker", "scenario"]).reset_index(drop=True)


def funding_runway(runway: pd.DataFrame) -> go.Figure:
    """Quarters the balance sheet carries the capex trajectory, per company and scenario."""
    latest = latest_runway(runway)
    computed = latest[latest["runway_status"] != "inputs_missing"]
    fig = go.Figure()
    patterns = ("", "/", "x", ".")
    for i, (scenario, rows) in enumerate(computed.groupby("scenario", sort=True)):
        beyond = rows["runway_status"] == "beyond_horizon"
        quarters = rows["runway_quarters"].astype("Float64").where(
            ~beyond, rows["runway_horizon_quarters"])
        text = [f"> {h:.0f} q (beyond horizon)" if b else f"runs out in {q:.0f} q"
                for q, h, b in zip(quarters, rows["runway_horizon_quarters"], beyond,
                                   strict=True)]
        x = rows["ticker"] + " FY" + rows["fiscal_year"].astype(str) + " Q" + rows[
            "fiscal_quarter"].astype(str)
        fig.add_bar(x=x, y=quarters.astype(float), name=str(scenario), text=text,
                    textposition="outside", marker_pattern_shape=patterns[i % len(patterns)],
                    hovertemplate=f"{scenario}<br>" + "%{x}: %{text}<extra></extra>")
    missing = sorted(set(latest["ticker"]) - set(computed["ticker"]))
    if missing:
        fig.add_annotation(text=f"inputs missing (no runway): {', '.join(missing)}",
                           xref="paper", yref="paper", x=0, y=1.06, showarrow=False,
                           xanchor="left", font={"size": 12, "color": "#555"})
    return _layout(fig, "quarters of runway", barmode="group",
                   xaxis_title="company, latest quarter with a runway")


SEC = ("SEC 10-K/10-Q XBRL (company facts and filings) and, for quarters no XBRL in the "
       "warehouse reports, earnings releases (8-K exhibit 99.1); accession per row")
CHARTS = (
    Chart(
        key="capex-vs-cloud", title="AI capex per company and quarter against cloud revenue",
        sources=f"{SEC}; cloud segments from the filings' dimensional XBRL and the releases' "
                "segment tables",
        queries={
            "fct_ai_capex": "select ticker, calendar_year, calendar_quarter, capex_usd, "
                            "source_accession from fct_ai_capex",
            "fct_cloud_segment_revenue": "select ticker, segment, segment_label, calendar_year, "
                                         "calendar_quarter, revenue_usd, source_accession "
                                         "from fct_cloud_segment_revenue",
        },
        build=capex_vs_cloud,
        note="Bars: discrete-quarter capex, stacked by company. Dotted lines: the cloud segment "
             "revenue each company reports (AWS, Google Cloud, Intelligent Cloud, Oracle cloud "
             "services and license support).",
    ),
    Chart(
        key="cash-flow", title="Capex / operating cash flow and free cash flow after capex",
        sources=SEC,
        queries={"fct_ai_capex": "select ticker, period_end, capex_to_ocf, free_cash_flow_usd "
                                 "from fct_ai_capex"},
        build=cash_flow,
        note="Above 100 %, the quarter's capex exceeds the cash its operations generated. Ratios "
             "outside -50 % to 200 % (quarters with negative or tiny operating cash flow) are "
             "off the scale.",
    ),
    Chart(
        key="revenue-gap", title="The Sequoia revenue gap",
        sources="NVIDIA data-center revenue (SEC filings, Epoch AI compilation where filings "
                "lack it); hyperscaler cloud segment revenue (SEC filings); assumptions seed",
        queries={"fct_ai_monetization": "select calendar_year, calendar_quarter, "
                                        "required_revenue_usd, cloud_revenue_usd, "
                                        "revenue_gap_usd, cloud_coverage, "
                                        "nvidia_data_center_source from fct_ai_monetization"},
        build=revenue_gap,
        note="Required revenue = NVIDIA data-center run-rate x 2 (TCO) / (1 - 50 % margin). The "
             "gap is overstated where cloud coverage is partial (named in each tooltip).",
    ),
    Chart(
        key="gpu-economics", title="GPU economics: price vs energy cost per GPU-hour",
        sources="Cloud price lists (AWS, Azure), Epoch AI hardware prices, Prime Intellect, "
                "rental index; EIA-861M electricity prices; GPU specs and assumptions seeds",
        queries={"fct_gpu_economics": "select price_month, gpu_model, price_source, "
                                      "usd_per_gpu_hour, energy_cost_usd_per_gpu_hour "
                                      "from fct_gpu_economics"},
        build=gpu_economics,
        note="Solid: median price of the month over the price sources. Dotted: electricity per "
             "hour of ownership (kW x utilisation x PUE x $/kWh).",
    ),
    Chart(
        key="funding-runway", title="Funding runway per company and scenario",
        sources=f"{SEC}; scenarios and horizon from the assumptions seed",
        queries={"fct_funding_runway": "select ticker, scenario, fiscal_year, fiscal_quarter, "
                                       "period_end, runway_quarters, runway_status, "
                                       "runway_horizon_quarters from fct_funding_runway"},
        build=funding_runway,
        note="Quarters until cash and securities plus cumulative (OCF - capex - shareholder "
             "returns) turn negative, from each company's latest quarter with the inputs.",
    ),
)
