"""The run ledger: one typed record of everything the run checked and decided.

Every check of a run — each dbt test, each GX expectation, the volume and freshness guards —
writes one ``CheckResult`` (result, observed value, a sample of failing rows); a stage that did
not run says so with a ``SkippedStage`` (e.g. "dbt build skipped: nothing new since run X"); the
publish step writes its ``PublishRecord``. The ledger of a run lives in
``reports/runs/<run_id>/ledger.jsonl`` (one JSON object per line, appended by the step that knows
the fact), and everything downstream reads it: publish copies the checks into the published
file, the data-quality report and the analyst report show them.

This module is the one owner of the ``dq_results`` and ``publish_log`` tables of the published
file: publish hands it the new file's connection and the ledger writes them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

LEDGER_FILE = "ledger.jsonl"
DQ_RESULTS_DDL = """
create table if not exists dq_results (
    run_id varchar, evaluated_at timestamptz, asset varchar, check_name varchar,
    check_type varchar, passed boolean, severity varchar, blocking boolean, description varchar,
    observed_value varchar, failing_rows varchar
)
"""
DQ_COLUMNS = (
    "run_id", "evaluated_at", "asset", "check_name", "check_type", "passed", "severity",
    "blocking", "description", "observed_value", "failing_rows",
)
PUBLISH_LOG_DDL = """
create table if not exists publish_log (
    run_id varchar, published_at timestamptz, tables varchar, row_counts varchar,
    build_database varchar
)
"""
HISTORY_TABLES = ("publish_log", "dq_results")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CheckResult:
    """One check of a run: a row of ``dq_results``."""

    run_id: str
    evaluated_at: str
    asset: str
    check_name: str
    check_type: str  # dbt_test | gx_expectation | volume | freshness
    passed: bool
    severity: str
    blocking: bool
    description: str
    observed_value: str
    failing_rows: str  # JSON list of sample rows

    def as_row(self) -> tuple:
        return tuple(getattr(self, c) for c in DQ_COLUMNS)


@dataclass(frozen=True)
class SkippedStage:
    """A stage of the run that did not run, and why (``since_run_id``: the run whose result
    still stands)."""

    stage: str  # dbt build | mart gates | publish
    reason: str
    since_run_id: str = ""
    recorded_at: str = ""

    def describe(self) -> str:
        return f"{self.stage} skipped: {self.reason}"


@dataclass(frozen=True)
class PublishRecord:
    """What the publish step did: swapped a new file in, or found it unchanged."""

    published: bool
    unchanged: bool
    published_at: str
    path: str
    tables: tuple[str, ...] = ()
    row_counts: dict[str, int] = field(default_factory=dict)
    build_database: str = ""
    previous_kept_as: str = ""

    def log_row(self, run_id: str) -> tuple:
        """The ``publish_log`` row of this publish."""
        return (run_id, self.published_at, ",".join(self.tables), json.dumps(self.row_counts),
                self.build_database)


@dataclass(frozen=True)
class RunLedger:
    """Everything the run recorded, in the order it was recorded."""

    run_id: str
    checks: tuple[CheckResult, ...] = ()
    skipped: tuple[SkippedStage, ...] = ()
    publish: PublishRecord | None = None

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def published(self) -> bool:
        return self.publish is not None and self.publish.published

    @property
    def build_skipped(self) -> bool:
        return any(s.stage == "dbt build" for s in self.skipped)

    @property
    def unchanged(self) -> bool:
        """Nothing new was served: the publish found identical marts, or the build was skipped
        because nothing changed since the served build."""
        return (self.publish is not None and self.publish.unchanged) or self.build_skipped

    @property
    def verdict(self) -> str:
        return publish_verdict(self.published, self.unchanged)


def publish_verdict(published: bool, unchanged: bool) -> str:
    """What happened to the served marts, in the words of the reports and the summary."""
    if published:
        return "published"
    if unchanged:
        return "unchanged (nothing new since the last publish)"
    return "NOT published - the previous version stays served"


# --- the store: one JSON line per fact, appended by the step that knows it ---------------

def ledger_path(reports_dir: Path, run_id: str) -> Path:
    return reports_dir / "runs" / run_id / LEDGER_FILE


def _append(reports_dir: Path, run_id: str, entries: list[dict]) -> None:
    if not entries:
        return
    path = ledger_path(reports_dir, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(e, default=str) + "\n" for e in entries).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:  # one write of whole lines: steps of other processes may append to the same run
        os.write(fd, data)
    finally:
        os.close(fd)


def record_checks(reports_dir: Path, results: list[CheckResult]) -> None:
    for run_id in dict.fromkeys(r.run_id for r in results):
        _append(reports_dir, run_id, [{"kind": "check", **asdict(r)}
                                      for r in results if r.run_id == run_id])


def record_skipped(reports_dir: Path, run_id: str, stages: list[str], reason: str,
                   since_run_id: str = "") -> None:
    at = now()
    _append(reports_dir, run_id, [{"kind": "skipped", **asdict(SkippedStage(s, reason,
                                                                            since_run_id, at))}
                                  for s in stages])


def record_publish(reports_dir: Path, run_id: str, record: PublishRecord) -> None:
    _append(reports_dir, run_id, [{"kind": "publish", **asdict(record)}])


def read_ledger(reports_dir: Path, run_id: str) -> RunLedger:
    """The run's ledger (empty when nothing was recorded). A check recorded twice (a re-executed
    step) counts once, with its latest result."""
    path = ledger_path(reports_dir, run_id)
    checks: dict[tuple[str, str], CheckResult] = {}
    skipped: dict[str, SkippedStage] = {}
    publish = None
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        kind = entry.pop("kind")
        if kind == "check":
            check = CheckResult(**entry)
            checks.pop((check.asset, check.check_name), None)
            checks[(check.asset, check.check_name)] = check
        elif kind == "skipped":
            skipped[entry["stage"]] = SkippedStage(**entry)
        elif kind == "publish":
            publish = PublishRecord(**{**entry, "tables": tuple(entry.get("tables") or ())})
    return RunLedger(run_id, tuple(checks.values()), tuple(skipped.values()), publish)


# --- the published file's ledger tables -----------------------------------------------

def _has_table(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_catalog = ? "
        "and table_schema = 'main' and table_name = ?", [catalog, table]).fetchone()
    return bool(row and row[0])


def _insert_checks(con: duckdb.DuckDBPyConnection, results: tuple[CheckResult, ...]) -> None:
    if not results:
        return
    import pandas as pd  # one insert from a frame: executemany of ~420 rows took ~0.25 s

    frame = pd.DataFrame([r.as_row() for r in results], columns=list(DQ_COLUMNS))
    con.register("_dq_results_frame", frame)
    try:
        con.execute(f"insert into dq_results select {', '.join(DQ_COLUMNS)} "
                    "from _dq_results_frame")
    finally:
        con.unregister("_dq_results_frame")


def write_published_tables(con: duckdb.DuckDBPyConnection, ledger: RunLedger,
                           record: PublishRecord, previous: Path | None) -> None:
    """Write ``publish_log`` and ``dq_results`` into the new published file ``con``: the
    history carried over from the ``previous`` published file, then this run's checks and its
    publish row."""
    con.execute(PUBLISH_LOG_DDL)
    con.execute(DQ_RESULTS_DDL)
    if previous is not None and previous.exists():
        con.execute(f"attach '{previous}' as previous (read_only)")
        try:
            for table in HISTORY_TABLES:
                if _has_table(con, "previous", table):
                    con.execute(f"insert into {table} select * from previous.main.{table}")
        finally:
            con.execute("detach previous")
    _insert_checks(con, ledger.checks)
    con.execute("insert into publish_log values (?, ?, ?, ?, ?)",
                list(record.log_row(ledger.run_id)))
