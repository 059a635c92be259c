"""The dbt unit tests, run on their own: the pipeline's builds leave them out once they passed
for the code (``orchestration.quality.unit_tests``), so the suite runs every one of them here,
whatever the record says."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from orchestration.dbt_project import dbt_executable, read_manifest
from orchestration.settings import DBT_PROJECT_DIR


def test_every_dbt_unit_test_passes(tmp_path: Path, snapshot_run) -> None:
    _, settings = snapshot_run
    build_db = tmp_path / "warehouse" / "aicapex.duckdb"  # a copy: dbt writes nothing it reads
    build_db.parent.mkdir()
    shutil.copy(settings.build_db, build_db)
    target = tmp_path / "target"
    done = subprocess.run(
        [dbt_executable(), "test", "--select", "test_type:unit", "--build-db", str(build_db),
         "--target-path", str(target), "--log-path", str(target),
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    statuses = {r["unique_id"]: r["status"] for r in results}
    expected = set(read_manifest(target / "manifest.json")["unit_tests"])
    assert len(expected) >= 17  # e.g. Sequoia's $50B run-rate -> $200B cross-check
    assert set(statuses) == expected
    assert set(statuses.values()) == {"pass"}
    assert "unit_test.aicapex.int_funding_runway_projected." \
           "runway_flat_capex_runs_out_when_cash_is_spent" in statuses
