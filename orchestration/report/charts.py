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


def _company_grid(tickers: list[str]) -> go.Figure:
    """One panel per company, two to a row (the funding charts: scales differ by company)."""
    rows = max(1, -(-len(tickers) // 2))
    fig = make_subplots(rows=rows, cols=2, subplot_titles=tickers, vertical_spacing=0.12 / rows * 2,
                        horizontal_spacing=0.08)
    # the top margin holds the missing-companies note above the panel titles, clear of the
    # plotly mode bar
    fig.update_layout(height=max(HEIGHT, 250 * rows + 160),
                      margin={"l": 70, "r": 20, "t": 90, "b": 50})
    return fig


def _cell(i: int) -> dict[str, int]:
    return {"row": i // 2 + 1, "col": i % 2 + 1}


def _missing_note(fig: go.Figure, label: str, drawn: list[str]) -> None:
    """Name the companies of the universe a chart has no panel for, and why."""
    tickers = sorted(set(ticker_colors()) - set(drawn))
    if tickers:
        fig.add_annotation(text=f"{label}: {', '.join(tickers)}", xref="paper", yref="paper",
                           x=0, y=1, yanchor="bottom", yshift=34, showarrow=False,
                           xanchor="left", font={"size": 12, "color": "#555"})


def _legend_once(name: str, shown: set[str]) -> dict[str, object]:
    """Trace keywords that group a series across the panels and list it in the legend once."""
    first = name not in shown
    shown.add(name)
    return {"name": name, "legendgroup": name, "showlegend": first}


def _finish_grid(fig: go.Figure, tickers: list[str], missing: str, yaxis_title: str,
                 **layout) -> go.Figure:
    """The page layout of a company grid, the note naming the companies without a panel
    (``missing``: why) and the y-axis title on the left-hand panels."""
    _missing_note(fig, missing, tickers)
    fig = _layout(fig, "", height=fig.layout.height, margin=fig.layout.margin, **layout)
    fig.update_yaxes(title_text=yaxis_title, col=1)
    return fig


FUNDING_PARTS = (("covered_by_operating_cash_usd", "operating cash flow", "#2ca02c"),
                 ("covered_by_new_debt_usd", "new debt", "#d62728"),
                 ("covered_by_cash_drawdown_usd", "cash drawdown", "#ff7f0e"))


def funding_mix(funding: pd.DataFrame) -> go.Figure:
    """Each quarter's capex + dividends + buybacks by what paid for it, one panel a company."""
    covered = funding.dropna(subset=[c for c, *_ in FUNDING_PARTS]).sort_values("period_end")
    tickers = sorted(covered["ticker"].unique())
    fig = _company_grid(tickers)
    shown: set[str] = set()
    for i, ticker in enumerate(tickers):
        rows = covered[covered["ticker"] == ticker]
        label = "FY" + rows["fiscal_year"].astype(str) + " Q" + rows["fiscal_quarter"].astype(str)
        for column, name, color in FUNDING_PARTS:
            if not (rows[column] > 0).any():
                continue  # nothing of this source in any quarter: no empty trace
            fig.add_bar(x=rows["period_end"], y=rows[column].astype(float) / BILLION,
                        marker_color=color,
                        customdata=pd.concat([label, rows["source_accession"]], axis=1),
                        hovertemplate=f"{ticker} " + "%{customdata[0]}: " + name
                        + " $%{y:.2f} bn<br>accession %{customdata[1]}<extra></extra>",
                        **_legend_once(name, shown), **_cell(i))
    return _finish_grid(fig, tickers,
                        "no quarter with capex, dividends, buybacks and debt flows all tagged",
                        "USD bn per quarter", barmode="stack")


COMMITMENT_BARS = (("remaining_performance_obligation_usd", "backlog (RPO)", "#1f77b4"),
                   ("leases_not_commenced_usd", "leases signed, not yet commenced", "#9467bd"),
                   ("purchase_obligations_usd", "purchase obligations", "#8c564b"))
COMMITMENT_LINES = (("cash_and_securities_usd", "cash and securities", "#2ca02c", "solid"),
                    ("capex_ttm_usd", "capex, trailing four quarters", "#7f7f7f", "dash"))


def commitments(frame: pd.DataFrame) -> go.Figure:
    """Backlog and off-balance-sheet commitments against cash and TTM capex, one panel a company."""
    figures = [c for c, *_ in COMMITMENT_BARS]
    dated = frame.dropna(subset=figures, how="all").sort_values("balance_sheet_date")
    tickers = sorted(dated["ticker"].unique())
    fig = _company_grid(tickers)
    shown: set[str] = set()
    for i, ticker in enumerate(tickers):
        rows = dated[dated["ticker"] == ticker]
        for column, name, color in COMMITMENT_BARS:
            values = rows.dropna(subset=[column])
            if values.empty:
                continue
            fig.add_bar(x=values["balance_sheet_date"], y=values[column].astype(float) / BILLION,
                        marker_color=color, customdata=values[["source_accession"]],
                        hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: " + name
                        + " $%{y:.1f} bn<br>accession %{customdata[0]}<extra></extra>",
                        **_legend_once(name, shown), **_cell(i))
        for column, name, color, dash in COMMITMENT_LINES:
            values = rows.dropna(subset=[column])
            if values.empty:
                continue
            fig.add_scatter(x=values["balance_sheet_date"],
                            y=values[column].astype(float) / BILLION, mode="lines+markers",
                            line={"color": color, "dash": dash}, marker={"size": 5},
                            hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: " + name
                            + " $%{y:.1f} bn<extra></extra>", **_legend_once(name, shown),
                            **_cell(i))
    return _finish_grid(fig, tickers, "no backlog or commitment tagged", "USD bn",
                        barmode="group")


SCENARIO_STYLES = {"servers_3y": ("#1f77b4", "dot"), "servers_4y": ("#17becf", "dot"),
                   "servers_5y": ("#9467bd", "dash"), "servers_6y": ("#e377c2", "dash"),
                   "company_policy": ("#d62728", "solid")}


def depreciation_wave(wave: pd.DataFrame) -> go.Figure:
    """Depreciation the capex already spent generates per useful-life scenario, against reported
    D&A, one panel per company whose capex history covers a scenario's useful life."""
    projected = wave.dropna(subset=["scenario_depreciation_usd"]).sort_values("period_end")
    tickers = sorted(projected["ticker"].unique())
    fig = _company_grid(tickers)
    shown: set[str] = set()
    for i, ticker in enumerate(tickers):
        rows = projected[projected["ticker"] == ticker]
        for scenario, scenario_rows in rows.groupby("scenario", sort=True):
            color, dash = SCENARIO_STYLES.get(str(scenario), ("#7f7f7f", "solid"))
            name = f"{scenario} depreciation"
            fig.add_scatter(x=scenario_rows["period_end"],
                            y=scenario_rows["scenario_depreciation_usd"].astype(float) / BILLION,
                            mode="lines+markers", line={"color": color, "dash": dash},
                            marker={"size": 4}, customdata=scenario_rows[["useful_life_years"]],
                            hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: " + str(scenario)
                            + " (%{customdata[0]} years) $%{y:.2f} bn<extra></extra>",
                            **_legend_once(name, shown), **_cell(i))
        reported = wave[wave["ticker"] == ticker].drop_duplicates("period_end").dropna(
            subset=["reported_depreciation_amortization_usd"])
        reported = reported[reported["period_end"] >= rows["period_end"].min()]
        if not reported.empty:
            fig.add_scatter(x=reported["period_end"],
                            y=reported["reported_depreciation_amortization_usd"].astype(float)
                            / BILLION, mode="markers",
                            marker={"color": "#000", "size": 8, "symbol": "diamond"},
                            customdata=reported[["source_accession"]],
                            hovertemplate=f"{ticker} " + "%{x|%Y-%m-%d}: reported D&A "
                            "$%{y:.2f} bn<br>accession %{customdata[0]}<extra></extra>",
                            **_legend_once("reported D&A", shown), **_cell(i))
    return _finish_grid(fig, tickers, "capex history shorter than every useful life (no wave)",
                        "USD bn per quarter")


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
    Chart(
        key="funding-mix", title="How capex and shareholder returns were paid for",
        sources=f"{SEC}; debt flows from the filings' XBRL (debt issued, repaid, short-term and "
                "commercial paper)",
        queries={"fct_capex_funding": "select ticker, fiscal_year, fiscal_quarter, period_end, "
                                      "uses_usd, covered_by_operating_cash_usd, "
                                      "covered_by_new_debt_usd, covered_by_cash_drawdown_usd, "
                                      "source_accession from fct_capex_funding"},
        build=funding_mix,
        note="Each bar is a quarter's capex + dividends + buybacks, split by what paid for it, in "
             "order: operating cash flow, then net new debt, then cash and securities drawn "
             "down. Quarters where one of the inputs is not tagged are left out.",
    ),
    Chart(
        key="commitments", title="Backlog and commitments against cash and capex",
        sources=f"{SEC}; remaining performance obligations, leases not yet commenced and "
                "purchase obligations from the 10-K/10-Q XBRL, dimensional facts included",
        queries={"fct_commitments": "select ticker, balance_sheet_date, "
                                    "remaining_performance_obligation_usd, "
                                    "leases_not_commenced_usd, purchase_obligations_usd, "
                                    "cash_and_securities_usd, capex_ttm_usd, source_accession "
                                    "from fct_commitments"},
        build=commitments,
        note="Bars: revenue contracted but not yet recognised (backlog), leases signed that have "
             "not started and unconditional purchase obligations, at each balance-sheet date that "
             "tags one. Lines: cash and marketable securities, and the last four quarters' capex.",
    ),
    Chart(
        key="depreciation-wave", title="The depreciation wave against reported D&A",
        sources=f"{SEC}; useful-life scenarios from the depreciation_scenarios seed (named "
                "assumptions and each company's disclosed server life)",
        queries={"fct_depreciation_wave": "select ticker, scenario, period_end, "
                                          "useful_life_years, scenario_depreciation_usd, "
                                          "reported_depreciation_amortization_usd, "
                                          "source_accession from fct_depreciation_wave"},
        build=depreciation_wave,
        note="Lines: the quarter's straight-line depreciation of all capex of the last N years "
             "(N = the scenario's useful life), computed only where every quarter of that window "
             "is reported. Diamonds: the depreciation and amortisation the company reports. Every "
             "capex dollar (buildings and land too) is depreciated over the server life, while "
             "reported D&A also carries older, longer-lived assets: read the trend, not the gap.",
    ),
)
