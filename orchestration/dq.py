"""Data-quality results of a run, read back from the Dagster event log.

Every check of a run — each dbt test, each GX expectation, the volume and freshness guards —
becomes one ``CheckResult`` row. The same rows feed the HTML report, the run history and the
``dq_results`` table of the published file, so all three always agree.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

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
FAILING_ROW_SAMPLE = 5


@dataclass(frozen=True)
class CheckResult:
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


def _value(metadata: dict, key: str, default=None):
    item = metadata.get(key)
    return default if item is None else getattr(item, "value", item)


def _dbt_failing_rows(build_db: Path, manifest: dict, unique_id: str) -> list[dict]:
    """Sample the rows dbt stored for a failed test (``store_failures``)."""
    node = manifest.get("nodes", {}).get(unique_id, {})
    if not node.get("schema") or not node.get("alias") or not build_db.exists():
        return []
    # schema + table only: the manifest's database name is whatever file dbt last parsed with
    relation = f'"{node["schema"]}"."{node["alias"]}"'

    try:
        with duckdb.connect(str(build_db), read_only=True) as con:
            frame = con.execute(f"select * from {relation} limit {FAILING_ROW_SAMPLE}").df()
    except duckdb.Error:
        return []
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def results_from_evaluations(
    run_id: str, evaluations: list, build_db: Path, manifest: dict
) -> list[CheckResult]:
    """Expand Dagster asset-check evaluations into one row per dbt test / GX expectation."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows: list[CheckResult] = []
    for evaluation in evaluations:
        metadata = dict(evaluation.metadata or {})
        asset = evaluation.asset_key.to_user_string()
        severity = getattr(evaluation.severity, "value", str(evaluation.severity))
        blocking = bool(getattr(evaluation, "blocking", False)) or severity == "ERROR"
        gx_results = _value(metadata, "results")
        if gx_results is not None:
            for item in gx_results:
                target = item["kwargs"].get("column") or item["kwargs"].get("column_list") or ""
                rows.append(CheckResult(
                    run_id, now, asset, f"{evaluation.check_name}: {item['expectation']} {target}"
                    .strip(), "gx_expectation", bool(item["success"]), severity, blocking,
                    json.dumps(item["kwargs"], default=str),
                    json.dumps(item.get("observed_value"), default=str)
                    if item.get("unexpected_count") is None
                    else f"{item['unexpected_count']} unexpected",
                    json.dumps(item.get("failing_rows") or [], default=str),
                ))
            continue
        unique_id = _value(metadata, "unique_id")
        check_type = (
            "dbt_test" if unique_id else str(_value(metadata, "check_type", "check"))
        )
        failing = []
        if unique_id and not evaluation.passed:
            failing = _dbt_failing_rows(build_db, manifest, unique_id)
        observed = _value(metadata, "dagster_dbt/failed_row_count")
        if observed is None:
            observed = _value(metadata, "observed_value", "")
        rows.append(CheckResult(
            run_id, now, asset, evaluation.check_name, check_type, bool(evaluation.passed),
            severity, blocking, evaluation.description or str(_value(metadata, "status", "")),
            (f"{observed} failing rows" if unique_id and observed is not None else str(observed)),
            json.dumps(failing or _value(metadata, "failing_rows", []) or [], default=str),
        ))
    return rows


def run_check_results(instance, run_id: str, build_db: Path, manifest_path: Path):
    """All check results recorded so far for ``run_id`` in the Dagster instance."""
    from dagster import DagsterEventType

    records = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluations = [r.dagster_event.event_specific_data for r in records if r.dagster_event]
    from orchestration.dbt_project import read_manifest

    return results_from_evaluations(run_id, evaluations, build_db, read_manifest(manifest_path))


def write_dq_results(con: duckdb.DuckDBPyConnection, results: list[CheckResult]) -> None:
    con.execute(DQ_RESULTS_DDL)
    if results:  # one insert from a frame: executemany of ~420 rows took ~0.25 s
        import pandas as pd

        frame = pd.DataFrame([r.as_row() for r in results], columns=list(DQ_COLUMNS))
        con.register("_dq_results_frame", frame)
        try:
            con.execute(f"insert into dq_results select {', '.join(DQ_COLUMNS)} "
                        "from _dq_results_frame")
        finally:
            con.unregister("_dq_results_frame")


def source_as_of(build_db: Path) -> list[dict]:
    """The as-of date of every source: newest retrieval, and newest SEC filing per company."""
    if not build_db.exists():
        return []
    sql = """
        select log.source, log.partition, max(log.retrieved_at) as retrieved_at,
               arg_max(log.status, log.retrieved_at) as last_status,
               max(facts.filed) as newest_filing
        from raw.landing_log as log
        left join raw.sec_company_facts as facts
            on log.source = 'companyfacts' and log.landed_path = facts.source_file
        group by log.source, log.partition
        order by log.source, log.partition
    """
    try:
        with duckdb.connect(str(build_db), read_only=True) as con:
            frame = con.execute(sql).df()
    except duckdb.Error:
        return []
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def as_dicts(results: list[CheckResult]) -> list[dict]:
    return [asdict(r) for r in results]
