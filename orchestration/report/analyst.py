"""The analyst page ``reports/latest/index.html``: charts of the published marts and the run's
data-quality summary in one self-contained file (plotly.js embedded once: it works offline and
can be mailed).

The charts read the *published* marts, so after a blocked run they still show the last good
numbers; a chart whose mart is not published (or empty) is replaced by a note naming the mart.
Building the charts is ~0.7 s of CPU, a quarter of a run with nothing new: the rendered charts
are kept beside the page (``latest/.charts.html``) with the sha256 of the published file and
the project's code fingerprint they were made from, and reused while both are the same.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from orchestration.landing import atomic_write
from orchestration.load_state import code_fingerprint, digest, sha256_file
from orchestration.quality.gx import data_docs_index
from orchestration.query import DamagedDatabase, connect_published
from orchestration.report.charts import CHARTS, Chart
from orchestration.report.html import esc, sources_table, stale_list, table
from orchestration.report.run import RunReport

PLOT_CONFIG = {"displaylogo": False, "responsive": False}
CSS = """body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#222}
h1{margin-bottom:.2em}h2{margin:.2em 0}.meta{color:#555}
.chart{margin:1.5em 0 2.5em;padding-top:.5em;border-top:1px solid #ddd}
.note,.source{font-size:90%;color:#444;margin:.3em 0}.missing{background:#fff4d6;padding:1em}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;font-size:90%}
table{border-collapse:collapse;margin-bottom:1em}.fail{background:#fde2e2}
.banner{padding:.6em 1em;background:#eefbea}.banner.blocked{background:#fde2e2}
@page{size:A4 landscape;margin:10mm}
@media print{body{margin:0;max-width:none;zoom:.8}nav,.modebar-container{display:none!important}
.chart,tr,.banner{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}}"""


def _frames(con: duckdb.DuckDBPyConnection | None, chart: Chart,
            absent: str = "not published yet") -> tuple[list[pd.DataFrame], list[str]]:
    """The chart's frames, and the marts that are missing or empty (then the frames are moot);
    ``absent`` says why a mart cannot be read when there is no connection."""
    frames, missing = [], []
    for mart, sql in chart.queries.items():
        try:
            frame = con.execute(sql).df() if con is not None else None
        except duckdb.CatalogException:
            frame = None
        except duckdb.BinderException as exc:  # a mart published without a column it reads
            missing.append(f"{mart} ({str(exc).splitlines()[0]})")
            continue
        if frame is None:
            missing.append(f"{mart} ({absent})")
        elif frame.empty:
            missing.append(f"{mart} (no rows)")
        else:
            frames.append(frame)
    return frames, missing


def chart_section(con: duckdb.DuckDBPyConnection | None, chart: Chart,
                  absent: str = "not published yet") -> str:
    frames, missing = _frames(con, chart, absent)
    if missing:
        body = (f"<p class='missing'>No chart yet: {esc(', '.join(missing))}. It appears after "
                "the first publish that contains the mart.</p>")
    else:
        body = pio.to_html(chart.build(*frames), full_html=False, include_plotlyjs=False,
                           div_id=f"plot-{chart.key}", config=PLOT_CONFIG)
    return (f"<section class='chart' id='{chart.key}' data-marts='{' '.join(chart.marts)}'>"
            f"<h2>{esc(chart.title)}</h2>{body}<p class='note'>{esc(chart.note)}</p>"
            f"<p class='source'>Mart: <code>{esc(', '.join(chart.marts))}</code>. "
            f"Sources: {esc(chart.sources)}.</p></section>")


def _open_published(marts_db: Path) -> tuple[duckdb.DuckDBPyConnection | None, str | None]:
    """A read-only connection to the published file (None when there is none), or the
    damage ``aicapex query`` would report (truncated or overwritten: how to restore it)."""
    if not marts_db.is_file():
        return None, None
    try:
        return connect_published(marts_db), None
    except DamagedDatabase as exc:
        return None, str(exc)


def _last_publish(con: duckdb.DuckDBPyConnection | None) -> str:
    if con is None:
        return "nothing published yet: run <code>aicapex run</code>"
    try:
        row = con.execute("select run_id, published_at from publish_log "
                          "order by published_at desc limit 1").fetchone()
    except duckdb.CatalogException:
        row = None
    return (f"published by run <code>{esc(row[0])}</code> at {esc(row[1])}" if row
            else "no publish recorded")


def _quality_summary(report: RunReport | None, data_docs: str | None) -> str:
    if report is None:
        return "<p>No data-quality results yet: run <code>aicapex run</code>.</p>"
    failed = sorted(report.failed_checks, key=lambda c: not c.blocking)
    blocking = sum(c.blocking for c in failed)
    rows = [[esc(c.asset), esc(c.check_name), "blocking" if c.blocking else "warning",
             esc(c.observed_value)] for c in failed]
    missing = "; ".join(f"{s}: {', '.join(t)}" for s, t in report.missing_companies.items())
    docs = f', <a href="{esc(data_docs)}">Great Expectations Data Docs</a>' if data_docs else ""
    return (
        f"<p>Run <code>{esc(report.run_id)}</code> ({esc(report.mode)} mode, started "
        f"{esc(report.started_at)}): <b>{esc(report.outcome)}</b>; marts "
        f"<b>{esc(report.verdict)}</b>. Checks: {len(report.checks) - len(failed)} passed, "
        f"{blocking} blocking failed, {len(failed) - blocking} warning(s).</p>"
        + stale_list(report.stale_sources)
        + (table(["asset", "check", "kind", "observed"], rows,
                 ["fail" if c.blocking else "" for c in failed]) if rows else "")
        + (f"<p>No data in the source for: {esc(missing)}.</p>" if missing else "")
        + f"<p>Every check with its failing rows and the run history: "
          f'<a href="quality.html">the full data-quality report</a>{docs}.</p>'
        + "<h3>Sources (as of)</h3>" + sources_table(report.sources)
    )


def _charts_key(marts_db: Path) -> str:
    """What the rendered charts depend on: the published file, the code, plotly."""
    return digest([sha256_file(marts_db), code_fingerprint(), metadata.version("plotly")])


def _chart_sections(con: duckdb.DuckDBPyConnection | None, absent: str, marts_db: Path,
                    cache: Path | None) -> str:
    """Every chart section, from ``cache`` when it was rendered from the same file and code."""
    if con is None or cache is None:
        return "".join(chart_section(con, chart, absent) for chart in CHARTS)
    key = _charts_key(marts_db)
    try:
        kept_key, kept = cache.read_text(encoding="utf-8").split("\n", 1)
    except (OSError, ValueError):
        kept_key = kept = ""
    if kept_key == key:
        return kept
    sections = "".join(chart_section(con, chart, absent) for chart in CHARTS)
    atomic_write(cache, f"{key}\n{sections}".encode())
    return sections


def render_page(marts_db: Path, report: RunReport | None, data_docs: str | None,
                chart_cache: Path | None = None) -> str:
    con, damage = _open_published(marts_db)
    absent = "the published file is damaged" if damage else "not published yet"
    try:
        published = _last_publish(con)
        sections = _chart_sections(con, absent, marts_db, chart_cache)
    finally:
        if con is not None:
            con.close()
    blocked = report is not None and not report.published and not report.unchanged
    banner = (f"<p class='banner{' blocked' if blocked else ''}'>Latest run: marts "
              f"<b>{esc(report.verdict)}</b>. The charts show the published marts, "
              f"{published}.</p>" if report else f"<p class='banner'>Charts: {published}.</p>")
    if damage is not None:
        run = f"Latest run: marts <b>{esc(report.verdict)}</b>. " if report else ""
        banner = (f"<p class='banner blocked'>{run}<b>The published file is damaged</b>: "
                  f"{esc(damage)}. The charts are notes until it is restored.</p>")
    nav = " | ".join(f'<a href="#{c.key}">{esc(c.title)}</a>' for c in CHARTS)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>aicapex - can Big Tech afford the AI build-out?</title><style>{CSS}</style>
<script>{get_plotlyjs()}</script></head>
<body><h1>Can Big Tech afford the AI build-out?</h1>
<p class="meta">aicapex analyst report, generated {generated} from <code>{esc(marts_db)}</code>.
Money in USD; every figure traces to its filing (<code>aicapex query</code>).</p>
{banner}<nav>{nav} | <a href="#quality">Data quality and sources</a></nav>
{sections}
<section id="quality"><h2>Data quality and sources</h2>{_quality_summary(report, data_docs)}
</section></body></html>"""


def write_analyst_page(reports_dir: Path, report: RunReport | None, marts_db: Path) -> Path:
    """(Re)write ``latest/index.html`` from the published marts; return its path."""
    path = reports_dir / "latest" / "index.html"
    docs = data_docs_index(reports_dir / "gx")
    link = os.path.relpath(docs, path.parent) if docs.exists() else None
    atomic_write(path, render_page(marts_db, report, link, path.with_name(".charts.html")).encode())
    return path
