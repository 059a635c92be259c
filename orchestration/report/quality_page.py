"""The data-quality report of a run, written whether the run passed or failed.

``latest/quality.html`` (and ``runs/<run_id>/quality.html``) is the detailed page: every check of
the run's ledger with its result, observed value and a sample of failing rows, whether publish
happened, the skipped stages, the as-of date of every source, and a history over runs. The
analyst page ``latest/index.html`` (``orchestration.report.analyst``) summarises it beside the
charts; ``write_report`` writes both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from orchestration.landing import atomic_write
from orchestration.quality.gx import data_docs_index
from orchestration.report.analyst import write_analyst_page
from orchestration.report.html import esc, sources_table, stale_list, table
from orchestration.report.run import RunReport


def _html(report: RunReport, history: list[dict], data_docs: str | None, analyst: str) -> str:
    checks = sorted(report.checks, key=lambda c: (c.passed, not c.blocking, c.asset, c.check_name))
    check_rows = [
        [esc(c.asset), esc(c.check_name), esc(c.check_type),
         "pass" if c.passed else ("FAIL (blocking)" if c.blocking else "FAIL (warning)"),
         esc(c.observed_value), esc(c.description[:400]),
         f"<pre>{esc(c.failing_rows if c.failing_rows != '[]' else '')[:2000]}</pre>"]
        for c in checks
    ]
    failed = report.failed_checks
    blocked = [c for c in failed if c.blocking]
    counts = "".join(f"<li>{esc(t)}: {n:,} rows</li>" for t, n in report.row_counts.items())
    missing = "".join(f"<li>{esc(s)}: {esc(', '.join(t))}</li>"
                      for s, t in report.missing_companies.items())
    errors = "".join(f"<li><pre>{esc(e)}</pre></li>" for e in report.errors)
    sources = sources_table(report.sources)
    reconciliation = _reconciliation_html(report.release_reconciliation)
    runs = table(
        ["run", "started", "mode", "status", "published", "checks", "failed", "blocking"],
        [[esc(h["run_id"]), esc(h["started_at"]), esc(h["mode"]), esc(h["status"]),
          "yes" if h["published"] else "no", h["checks"], h["failed"], h["blocking_failed"]]
         for h in reversed(history)],
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>aicapex data quality - run {esc(report.run_id)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}}
table{{border-collapse:collapse;margin-bottom:1.5em}}.fail{{background:#fde2e2}}
.pass{{background:#eefbea}}pre{{white-space:pre-wrap;margin:0;font-size:85%}}</style></head>
<body><h1>aicapex data-quality report</h1>
<p><a href="{esc(analyst)}">The analyst report</a> (charts from the published marts).</p>
<p>Run <code>{esc(report.run_id)}</code> ({esc(report.mode)} mode, started
{esc(report.started_at)}): <b>{esc(report.outcome)}</b>; marts <b>{report.verdict}</b>.
Checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed
({len(blocked)} blocking).</p>
{stale_list(report.stale_sources)}
{''.join(f"<p>{esc(s.describe())}.</p>" for s in report.skipped_stages)}
{''.join(f"<p class='fail'>Blocked by <b>{esc(c.asset)} :: {esc(c.check_name)}</b>"
         f" - rows: <code>{esc(c.failing_rows[:500])}</code></p>" for c in blocked)}
<h2>Published marts</h2><ul>{counts or '<li>nothing published in this run</li>'}</ul>
<h2>Sources (as of)</h2>{sources}
<h2>Companies with no data in the source</h2><ul>{missing or '<li>none</li>'}</ul>
<h2>Errors</h2><ul>{errors or '<li>none</li>'}</ul>
<h2>Earnings releases against XBRL</h2>{reconciliation}
<h2>Checks</h2>{table(["asset", "check", "type", "result", "observed", "description",
                        "failing rows (sample)"], check_rows,
                       ["pass" if c.passed else "fail" for c in checks])}
<h2>History</h2>{runs}
<p>{f'<a href="{esc(data_docs)}">Great Expectations Data Docs</a> (every suite and validation); '
    if data_docs else ''}
Machine-readable: <a href="dq_results.json">dq_results.json</a>; published results:
<code>aicapex query "select * from dq_results where run_id = '{esc(report.run_id)}'"</code>.</p>
</body></html>"""


def _millions(value: float | None) -> str:
    return "" if value is None else f"{value / 1e6:,.1f}"


def _reconciliation_html(rows: list[dict]) -> str:
    """Every release figure compared with XBRL (gate assert_releases_reconcile_with_xbrl)."""
    if not rows:
        return "<p>No earnings-release figure has an XBRL figure for the same period.</p>"
    outcomes: dict[str, int] = {}
    for row in rows:
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
    summary = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in outcomes.items())
    cells = [
        [esc(r["ticker"]), esc(r["metric"]), esc(r["segment_id"] or ""),
         f"{esc(r['period_start'][:10])} to {esc(r['period_end'][:10])}",
         esc(r["release_accession"]), esc(r["release_row_label"]),
         _millions(r["release_value_usd"]), esc(r["xbrl_accession"]),
         _millions(r["xbrl_value_usd"]), esc(r["xbrl_method"]),
         _millions(r["difference_usd"]), _millions(r["tolerance_usd"]),
         esc(r["outcome"].replace("_", " ")), esc(r["exception_evidence"] or "")]
        for r in rows
    ]
    return (f"<p>{len(rows)} comparisons: {esc(summary)}. Tolerance: the release's rounding "
            "(0.5 million for a period XBRL reports, 1 million for a quarter derived from "
            "year-to-date values); a difference is accepted only where "
            "<code>release_reconciliation_exceptions</code> names it with its evidence.</p>"
            + table(["company", "metric", "segment", "period", "release (8-K)",
                     "row as printed", "release, USD M", "XBRL filing", "XBRL, USD M",
                     "XBRL method", "difference, USD M", "tolerance, USD M", "outcome",
                     "evidence"], cells,
                    ["pass" if r["outcome"] != "disagrees" else "fail" for r in rows]))


def _read_history(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_report(reports_dir: Path, report: RunReport, marts_db: Path) -> Path:
    """Write the run's data-quality page (``quality.html``) and results to ``runs/<run_id>/`` and
    ``latest/``, the history, and the analyst page ``latest/index.html``; return its path."""
    history_path = reports_dir / "history.jsonl"
    history = [h for h in _read_history(history_path) if h["run_id"] != report.run_id]
    history.append(report.history_line())
    atomic_write(history_path, "".join(json.dumps(h) + "\n" for h in history).encode())
    docs = data_docs_index(reports_dir / "gx")
    for folder in (reports_dir / "runs" / report.run_id, reports_dir / "latest"):
        link = os.path.relpath(docs, folder) if docs.exists() else None
        analyst = os.path.relpath(reports_dir / "latest" / "index.html", folder)
        atomic_write(folder / "dq_results.json", report.to_json().encode())
        atomic_write(folder / "quality.html", _html(report, history, link, analyst).encode())
    return write_analyst_page(reports_dir, report, marts_db)
