"""Turn what a check reports to Dagster into ledger rows: one ``CheckResult`` per dbt test,
per GX expectation of a suite, per volume or freshness guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.quality.ledger import CheckResult, now

if TYPE_CHECKING:
    from dagster import AssetKey

FAILING_ROW_SAMPLE = 5


def _value(metadata: dict, key: str, default=None):
    item = metadata.get(key)
    return default if item is None else getattr(item, "value", item)


def dbt_failing_rows(build_db: Path, compiled_sql: str | None) -> list[dict]:
    """Sample the rows a failed dbt test returns: its compiled SQL (``run_results.json``) run
    again on the build database once dbt has exited (the project stores no failures: storing
    every test's result as a table would cost a quarter of the build)."""
    if not compiled_sql or not build_db.exists():
        return []
    try:
        with duckdb.connect(str(build_db), read_only=True) as con:
            frame = con.execute(f"select * from (\n{compiled_sql}\n) as failing "
                                f"limit {FAILING_ROW_SAMPLE}").df()
    except duckdb.Error:
        return []
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def compiled_tests(run_results: dict) -> dict[str, str]:
    """unique_id -> compiled SQL of every test in a dbt ``run_results.json``."""
    return {result["unique_id"]: result["compiled_code"]
            for result in run_results.get("results", [])
            if result.get("compiled_code") and result["unique_id"].startswith("test.")}


def check_results(run_id: str, result, build_db: Path | None = None,
                  compiled: dict[str, str] | None = None, asset: AssetKey | None = None,
                  check_name: str | None = None) -> list[CheckResult]:
    """The ledger rows of one ``AssetCheckResult`` (or ``AssetCheckEvaluation``): a GX suite
    expands to one row per expectation; a failed dbt test carries a sample of its failing rows
    (its SQL in ``compiled`` run on ``build_db``: only once dbt has exited). ``asset`` and
    ``check_name`` name the check when the result leaves them to its definition."""
    at = now()
    metadata = dict(result.metadata or {})
    key = result.asset_key or asset
    asset_name = key.to_user_string() if key else ""
    name = result.check_name or check_name or ""
    severity = getattr(result.severity, "value", str(result.severity))
    blocking = bool(getattr(result, "blocking", False)) or severity == "ERROR"
    gx_results = _value(metadata, "results")
    if gx_results is not None:
        return [
            CheckResult(
                run_id, at, asset_name,
                f"{name}: {item['expectation']} {_target(item['kwargs'])}".strip(),
                "gx_expectation", bool(item["success"]), severity, blocking,
                json.dumps(item["kwargs"], default=str),
                json.dumps(item.get("observed_value"), default=str)
                if item.get("unexpected_count") is None
                else f"{item['unexpected_count']} unexpected",
                json.dumps(item.get("failing_rows") or [], default=str),
            )
            for item in gx_results
        ]
    unique_id = _value(metadata, "unique_id")
    check_type = "dbt_test" if unique_id else str(_value(metadata, "check_type", "check"))
    failing = []
    if unique_id and not result.passed and build_db is not None:
        failing = dbt_failing_rows(build_db, (compiled or {}).get(unique_id))
    observed = _value(metadata, "dagster_dbt/failed_row_count")
    if observed is None:
        observed = _value(metadata, "observed_value", "")
    return [CheckResult(
        run_id, at, asset_name, name, check_type, bool(result.passed), severity,
        blocking, result.description or str(_value(metadata, "status", "")),
        f"{observed} failing rows" if unique_id and observed is not None else str(observed),
        json.dumps(failing or _value(metadata, "failing_rows", []) or [], default=str),
    )]


def _target(kwargs: dict) -> str:
    return kwargs.get("column") or kwargs.get("column_list") or ""
