"""The data-quality report of a run: every check, pass or fail, written even when a gate fails."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from orchestration.landing import atomic_write


@dataclass
class CheckRow:
    asset: str
    check: str
    passed: bool
    description: str
    details: list = field(default_factory=list)


@dataclass
class RunReport:
    run_id: str
    mode: str
    success: bool
    published: bool
    started_at: str
    checks: list[CheckRow]
    row_counts: dict[str, int]
    missing_companies: dict[str, list[str]]
    errors: list[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)


def _html(report: RunReport) -> str:
    def esc(value: object) -> str:
        return html.escape(str(value))

    rows = "\n".join(
        f"<tr class='{'pass' if c.passed else 'fail'}'><td>{esc(c.asset)}</td>"
        f"<td>{esc(c.check)}</td><td>{'pass' if c.passed else 'FAIL'}</td>"
        f"<td>{esc(c.description)}</td><td><pre>{esc(json.dumps(c.details)[:2000])}</pre></td></tr>"
        for c in sorted(report.checks, key=lambda c: (c.passed, c.asset, c.check))
    )
    counts = "".join(f"<li>{esc(t)}: {n:,} rows</li>" for t, n in report.row_counts.items())
    missing = "".join(
        f"<li>{esc(src)}: {esc(', '.join(t))}</li>" for src, t in report.missing_companies.items()
    )
    errors = "".join(f"<li><pre>{esc(e)}</pre></li>" for e in report.errors)
    failed = sum(not c.passed for c in report.checks)
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>aicapex data quality - run {esc(report.run_id)}</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:4px;
vertical-align:top}}table{{border-collapse:collapse}}.fail{{background:#fdd}}
.pass{{background:#efe}}pre{{white-space:pre-wrap;margin:0}}</style></head><body>
<h1>aicapex data-quality report</h1>
<p>Run <code>{esc(report.run_id)}</code> ({esc(report.mode)} mode), started
{esc(report.started_at)}: <b>{'succeeded' if report.success else 'FAILED'}</b>;
published: <b>{'yes' if report.published else 'no - the previous version stays served'}</b>;
checks: {len(report.checks) - failed} passed, {failed} failed.</p>
<h2>Published marts</h2><ul>{counts or '<li>nothing published in this run</li>'}</ul>
<h2>Companies with no data in the source</h2><ul>{missing or '<li>none</li>'}</ul>
<h2>Errors</h2><ul>{errors or '<li>none</li>'}</ul>
<h2>Checks</h2><table><tr><th>asset</th><th>check</th><th>result</th><th>description</th>
<th>details</th></tr>{rows}</table></body></html>"""


def write_report(reports_dir: Path, report: RunReport) -> Path:
    """Write ``reports/runs/<run_id>/`` and refresh ``reports/latest/``; return the HTML path."""
    for folder in (reports_dir / "runs" / report.run_id, reports_dir / "latest"):
        atomic_write(folder / "dq_results.json", report.to_json().encode())
        atomic_write(folder / "index.html", _html(report).encode())
    return reports_dir / "latest" / "index.html"
