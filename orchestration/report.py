"""The data-quality report of a run, written whether the run passed or failed.

``latest/quality.html`` (and ``runs/<run_id>/quality.html``) is the detailed page; the analyst
page ``latest/index.html`` (``orchestration.analyst``) summarises it beside the charts.

Built from the Dagster event log of the run (so runs started by ``aicapex run``, the UI or a
schedule are reported the same way): every dbt test and GX expectation with its result, observed
value and a sample of failing rows, whether publish happened, the as-of date of every source, and
a history over runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from orchestration.analyst import write_analyst_page
from orchestration.dq import CheckResult, run_check_results, source_as_of
from orchestration.gates import data_docs_index
from orchestration.htmlparts import esc, sources_table, table
from orchestration.landing import atomic_write
from orchestration.settings import Settings


@dataclass
class RunReport:
    run_id: str
    mode: str
    status: str
    success: bool
    published: bool
    started_at: str
    checks: list[CheckResult]
    row_counts: dict[str, int]
    missing_companies: dict[str, list[str]]
    errors: list[str]
    sources: list[dict] = field(default_factory=list)
    unchanged: bool = False
    # nothing new since the served build: dbt build, mart gates and publish did not run
    build_skipped: bool = False

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def verdict(self) -> str:
        if self.published:
            return "published"
        if self.unchanged:
            return "unchanged (nothing new since the last publish)"
        return "NOT published - the previous version stays served"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    @classmethod
    def from_json(cls, text: str) -> RunReport:
        data = json.loads(text)
        return cls(**{**data, "checks": [CheckResult(**c) for c in data["checks"]]})

    def history_line(self) -> dict:
        return {"run_id": self.run_id, "started_at": self.started_at, "mode": self.mode,
                "status": self.status, "published": self.published,
                "checks": len(self.checks), "failed": len(self.failed_checks),
                "blocking_failed": sum(c.blocking for c in self.failed_checks)}


def build_run_report(instance, run_id: str, settings: Settings, manifest_path: Path) -> RunReport:
    from dagster import DagsterEventType

    run = instance.get_run_by_id(run_id)
    status = run.status.value if run else "UNKNOWN"
    stats = instance.get_run_stats(run_id) if run else None
    started = stats.start_time if stats and stats.start_time else None
    materializations = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
    published = unchanged = False
    missing: dict[str, list[str]] = {}
    for record in materializations:
        materialization = record.dagster_event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        if key == "published_marts":
            unchanged = bool(getattr(materialization.metadata.get("unchanged"), "value", False))
            published = not unchanged
        value = getattr(materialization.metadata.get("missing"), "value", None)
        names = value.split(", ") if isinstance(value, str) else list(value or [])
        names = [str(n) for n in names if n]
        if names:
            missing[key] = sorted(set(missing.get(key, [])) | set(names))
    # nothing new since the served build: the dbt step observes published_marts and stops
    build_skipped = any(
        r.dagster_event.event_specific_data.asset_observation.asset_key.to_user_string()
        == "published_marts"
        for r in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_OBSERVATION))
    unchanged = unchanged or build_skipped
    errors = []
    for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        error = record.dagster_event.event_specific_data.error
        message = error.message.strip() if error else "step failed"
        errors.append(f"{record.dagster_event.step_key}: {message[:3000]}")
    row_counts: dict[str, int] = {}
    if published:
        from orchestration.publish import MARTS
        from orchestration.query import connect_published

        with connect_published(settings.marts_db) as con:
            for table in MARTS:
                count = con.execute(f"select count(*) from {table}").fetchone()
                row_counts[table] = int(count[0]) if count else 0
    from datetime import UTC, datetime

    return RunReport(
        run_id=run_id,
        mode=settings.mode,
        status=status,
        success=status == "SUCCESS",
        published=published,
        started_at=datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds")
        if started else "",
        checks=run_check_results(instance, run_id, settings.build_db, manifest_path),
        row_counts=row_counts,
        missing_companies=missing,
        errors=errors,
        sources=source_as_of(settings.build_db),
        unchanged=unchanged,
        build_skipped=build_skipped,
    )


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
{esc(report.started_at)}): <b>{esc(report.status)}</b>; marts <b>{report.verdict}</b>.
Checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed
({len(blocked)} blocking).</p>
{''.join(f"<p class='fail'>Blocked by <b>{esc(c.asset)} :: {esc(c.check_name)}</b>"
         f" - rows: <code>{esc(c.failing_rows[:500])}</code></p>" for c in blocked)}
<h2>Published marts</h2><ul>{counts or '<li>nothing published in this run</li>'}</ul>
<h2>Sources (as of)</h2>{sources}
<h2>Companies with no data in the source</h2><ul>{missing or '<li>none</li>'}</ul>
<h2>Errors</h2><ul>{errors or '<li>none</li>'}</ul>
<h2>Checks</h2>{table(["asset", "check", "type", "result", "observed", "description",
                        "failing rows (sample)"], check_rows,
                       ["pass" if c.passed else "fail" for c in checks])}
<h2>History</h2>{runs}
<p>{f'<a href="{esc(data_docs)}">Great Expectations Data Docs</a> (every suite and validation); '
    if data_docs else ''}
Machine-readable: <a href="dq_results.json">dq_results.json</a>; published results:
<code>aicapex query "select * from dq_results where run_id = '{esc(report.run_id)}'"</code>.</p>
</body></html>"""


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
