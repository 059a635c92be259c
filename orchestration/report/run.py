"""What the reports say about a run: its ledger (every check, the publish verdict, the skipped
stages) with the run's status, errors and missing companies from the Dagster event log, and the
as-of date of every source.

``RunReport`` is what both pages render and what ``dq_results.json`` holds; ``aicapex report``
reads it back from that file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.quality.ledger import (
    CheckResult,
    RunLedger,
    SkippedStage,
    publish_verdict,
    read_ledger,
)
from orchestration.settings import Settings
from orchestration.sources.base import STALE_KEY


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
    skipped_stages: list[SkippedStage] = field(default_factory=list)
    # every earnings-release figure compared with XBRL (int_release_reconciliation)
    release_reconciliation: list[dict] = field(default_factory=list)
    # documents that failed alone this run: their sources' last good data was used (stale)
    stale_sources: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def partial(self) -> bool:
        """The run succeeded, but on stale data for at least one source."""
        return self.success and bool(self.stale_sources)

    @property
    def outcome(self) -> str:
        """``SUCCESS``, ``PARTIAL`` (a source failed alone) or Dagster's failed status."""
        return "PARTIAL" if self.partial else self.status

    @property
    def verdict(self) -> str:
        return publish_verdict(self.published, self.unchanged)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    @classmethod
    def from_json(cls, text: str) -> RunReport:
        data = json.loads(text)
        return cls(**{**data, "checks": [CheckResult(**c) for c in data["checks"]],
                      "skipped_stages": [SkippedStage(**s)
                                         for s in data.get("skipped_stages", [])]})

    def history_line(self) -> dict:
        return {"run_id": self.run_id, "started_at": self.started_at, "mode": self.mode,
                "status": self.outcome, "published": self.published,
                "checks": len(self.checks), "failed": len(self.failed_checks),
                "blocking_failed": sum(c.blocking for c in self.failed_checks)}


_SOURCES_AS_OF = """
    select log.source, log.partition, max(log.retrieved_at) as retrieved_at,
           arg_max(log.status, log.retrieved_at) as last_status,
           max(facts.filed) as newest_filing
    from raw.landing_log as log
    left join (
        select source_file, max(filed) as filed from raw.sec_company_facts group by source_file
    ) as facts  -- a fact names its file by its path in the landing zone, the log in full
        on log.source = 'companyfacts' and ends_with(log.landed_path, '/' || facts.source_file)
    group by log.source, log.partition
    order by log.source, log.partition
"""

_RELEASE_RECONCILIATION = """
    select ticker, metric, segment_id, period_start, period_end, release_accession,
           release_row_label, release_value_usd, xbrl_accession, xbrl_value_usd, xbrl_method,
           difference_usd, tolerance_usd, outcome, exception_evidence
    from intermediate.int_release_reconciliation
    order by outcome = 'agrees', outcome, ticker, metric, segment_id nulls first, period_end,
             period_start, release_accession, xbrl_method
"""


def _read_build(build_db: Path, sql: str) -> list[dict]:
    """Rows of ``sql`` over the build warehouse as JSON-ready dicts; none when it cannot say."""
    if not build_db.exists():
        return []
    try:
        with duckdb.connect(str(build_db), read_only=True) as con:
            frame = con.execute(sql).df()
    except duckdb.Error:
        return []
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def source_as_of(build_db: Path) -> list[dict]:
    """The as-of date of every source: newest retrieval, and newest SEC filing per company."""
    return _read_build(build_db, _SOURCES_AS_OF)


def release_reconciliation(build_db: Path) -> list[dict]:
    """Every comparison of an earnings-release figure with XBRL and its outcome, disagreements
    first (the build's ``int_release_reconciliation``)."""
    return _read_build(build_db, _RELEASE_RECONCILIATION)


def _metadata_lists(instance, run_id: str, name: str) -> dict[str, list[str]]:
    """Per asset, the values of the list (or ", "-joined string) metadata entry ``name`` of
    the run's materializations."""
    from dagster import DagsterEventType

    found: dict[str, list[str]] = {}
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION):
        materialization = record.dagster_event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        value = getattr(materialization.metadata.get(name), "value", None)
        names = value.split(", ") if isinstance(value, str) else list(value or [])
        names = [str(n) for n in names if n]
        if names:
            found[key] = sorted(set(found.get(key, [])) | set(names))
    return found


def missing_companies(instance, run_id: str) -> dict[str, list[str]]:
    """Companies a source had no data for, from the ``missing`` metadata of materializations."""
    return _metadata_lists(instance, run_id, "missing")


def stale_sources(instance, run_id: str) -> list[str]:
    """What failed alone in the run (extract metadata ``stale``): one line per document."""
    return [f"{asset}: {note}" for asset, notes in
            sorted(_metadata_lists(instance, run_id, STALE_KEY).items()) for note in notes]


def _errors(instance, run_id: str) -> list[str]:
    from dagster import DagsterEventType

    errors = []
    for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        error = record.dagster_event.event_specific_data.error
        message = error.message.strip() if error else "step failed"
        errors.append(f"{record.dagster_event.step_key}: {message[:3000]}")
    return errors


def run_report(ledger: RunLedger, settings: Settings, status: str, started_at: str,
               missing_companies: dict[str, list[str]], errors: list[str],
               stale: list[str] | None = None) -> RunReport:
    """The report of a run from its ledger and what Dagster knows of the run."""
    return RunReport(
        run_id=ledger.run_id,
        mode=settings.mode,
        status=status,
        success=status == "SUCCESS",
        published=ledger.published,
        started_at=started_at,
        checks=list(ledger.checks),
        row_counts=dict(ledger.publish.row_counts) if ledger.published and ledger.publish
        else {},
        missing_companies=missing_companies,
        errors=errors,
        sources=source_as_of(settings.build_db),
        unchanged=ledger.unchanged,
        build_skipped=ledger.build_skipped,
        skipped_stages=list(ledger.skipped),
        release_reconciliation=release_reconciliation(settings.build_db),
        stale_sources=list(stale or []),
    )


def build_run_report(instance, run_id: str, settings: Settings) -> RunReport:
    """The report of ``run_id``: its ledger, and its status, start time, step errors and
    missing companies from the Dagster instance (any run: ``aicapex run``, the UI, a schedule)."""
    run = instance.get_run_by_id(run_id)
    status = run.status.value if run else "UNKNOWN"
    stats = instance.get_run_stats(run_id) if run else None
    started = stats.start_time if stats and stats.start_time else None
    ledger = read_ledger(settings.reports_dir, run_id)
    # a run that extracted nothing (runtime/unchanged.py) serves the extract of an earlier run
    extracted_by = next((s.since_run_id for s in ledger.skipped if s.stage == "extract"
                         and s.since_run_id), run_id)
    return run_report(
        ledger, settings, status,
        datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds") if started else "",
        missing_companies(instance, extracted_by) if run else {},
        _errors(instance, run_id) if run else [],
        stale_sources(instance, run_id) if run else [],
    )
