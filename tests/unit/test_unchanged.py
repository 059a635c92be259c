"""The warm-run fast path: when ``aicapex run`` may skip the main job, and what it records."""

from __future__ import annotations

import json

import dagster as dg
import duckdb

from orchestration.load_state import (
    published_build,
    record_inputs,
    record_published,
    snapshot_inputs,
    unchanged_inputs,
)
from orchestration.quality.ledger import read_ledger
from orchestration.resources import load_config
from orchestration.runtime.launch import execute_job
from orchestration.runtime.unchanged import (
    SKIPPED_STAGES,
    run_config,
    served_unchanged,
    unchanged_job,
)

from .support import snapshot_settings


def _snapshot(root):
    (root / "sec" / "companyfacts").mkdir(parents=True)
    (root / "sec" / "companyfacts" / "CIK0001045810.json").write_text('{"facts": {}}')
    (root / "energy").mkdir()
    (root / "energy" / "prices.csv").write_text("month,cents\n2026-01,8.1\n")
    return root


def _served(tmp_path, status="SUCCESS", stale=()):
    """A published build from ``snapshot/``, and the latest run's report."""
    settings = snapshot_settings(tmp_path, snapshot_dir=_snapshot(tmp_path / "snapshot"))
    settings.warehouse_dir.mkdir(parents=True)
    settings.marts_db.write_bytes(b"published marts")
    with duckdb.connect(str(settings.build_db)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.sec_company_facts as "
                    "select 1045810 as cik, current_date - 3 as filed")
        con.execute("create table raw.eia_retail_sales as select '2020-01' as period, "
                    "'monthly' as frequency")
        con.execute("create table raw.gpu_prices as select 'azure_retail_prices' as source, "
                    "current_timestamp as observed_at")
    inputs = snapshot_inputs(settings)
    record_published(settings, "fingerprint", "run-1", inputs)
    latest = settings.reports_dir / "latest"
    latest.mkdir(parents=True)
    (latest / "dq_results.json").write_text(json.dumps({"status": status,
                                                        "stale_sources": list(stale)}))
    return settings, inputs


def test_same_snapshot_and_code_is_unchanged_any_other_file_is_not(tmp_path):
    settings, inputs = _served(tmp_path)
    assert served_unchanged(settings, inputs)["run_id"] == "run-1"
    facts = settings.snapshot_dir / "sec" / "companyfacts" / "CIK0001045810.json"
    facts.write_text('{"facts": {"dei": {}}}')
    assert snapshot_inputs(settings) != inputs
    facts.write_text('{"facts": {}}')
    assert snapshot_inputs(settings) == inputs
    settings.user_prices_dir.mkdir(parents=True)
    (settings.user_prices_dir / "h100.csv").write_text("month,usd\n2026-01,2.1\n")
    assert snapshot_inputs(settings) != inputs, "the user's own price files are inputs too"
    (settings.user_prices_dir / "h100.csv").unlink()
    assert snapshot_inputs(settings) == inputs
    other_window = snapshot_settings(tmp_path, snapshot_dir=settings.snapshot_dir,
                                     sec_filings_from_fiscal_year=2015)
    assert snapshot_inputs(other_window) != inputs, "settings decide what is extracted"
    (settings.snapshot_dir / "sec" / "companyfacts" / "CIK0001652044.json").write_text("{}")
    assert snapshot_inputs(settings) != inputs


def test_no_fast_path_after_a_failed_or_partial_run_or_without_the_build(tmp_path):
    settings, inputs = _served(tmp_path / "failed", status="FAILURE")
    assert served_unchanged(settings, inputs) is None
    settings, inputs = _served(tmp_path / "partial", stale=["energy: eia page 3 failed"])
    assert served_unchanged(settings, inputs) is None
    settings, inputs = _served(tmp_path / "no-build")
    settings.build_db.unlink()
    assert unchanged_inputs(settings, inputs) is None
    settings, inputs = _served(tmp_path / "republished")
    settings.marts_db.write_bytes(b"another publish")  # not the file the state describes
    assert unchanged_inputs(settings, inputs) is None


def test_the_unchanged_run_records_skipped_stages_and_freshness_warnings(tmp_path):
    settings, _ = _served(tmp_path)
    config = load_config(environ={}, mode="snapshot", snapshot_dir=str(settings.snapshot_dir),
                         landing_dir=str(settings.landing_dir),
                         warehouse_dir=str(settings.warehouse_dir),
                         reports_dir=str(settings.reports_dir))
    instance = dg.DagsterInstance.ephemeral()
    result = execute_job(unchanged_job, config, instance, run_config=run_config("run-1"))
    assert result.success
    assert instance.get_run_by_id(result.run_id).job_name == "aicapex_unchanged"
    ledger = read_ledger(settings.reports_dir, result.run_id)
    assert [s.stage for s in ledger.skipped] == list(SKIPPED_STAGES)
    assert {s.since_run_id for s in ledger.skipped} == {"run-1"}
    assert ledger.build_skipped and ledger.unchanged and not ledger.published
    verdicts = {c.check_name: c.passed for c in ledger.checks}
    assert verdicts == {"freshness_sec_company_facts": True,
                        "freshness_eia_retail_sales": False, "freshness_gpu_prices": True}


def test_a_run_that_skips_the_build_vouches_for_its_own_inputs(tmp_path):
    settings, inputs = _served(tmp_path)
    served = published_build(settings)
    record_inputs(settings, served, "inputs of a snapshot with a PROVENANCE.md edited")
    assert unchanged_inputs(settings, inputs) is None
    assert unchanged_inputs(settings, "inputs of a snapshot with a PROVENANCE.md edited") == {
        **served, "snapshot_inputs": "inputs of a snapshot with a PROVENANCE.md edited"}
    record_inputs(settings, published_build(settings), None)  # a run without the tag
    assert published_build(settings)["snapshot_inputs"].endswith("edited")
