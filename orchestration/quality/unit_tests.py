"""dbt unit tests run once per version of the code, not in every build.

A dbt unit test checks a model's SQL against inputs written in its YAML: its outcome depends on
the dbt project and the engines, never on the raw data, and dbt's own guidance is to run them in
development and CI rather than in production builds. Here they stay a gate for new code: the
first build of a code version (``load_state.code_fingerprint``: the dbt project, GX suites,
Python code and engine versions) runs them, and when every one of them passed, a record of it is
written under the dbt project's ``target/`` (beside dbt's partial-parse file, another cache keyed
by the code). Later builds of the same code, in any warehouse folder of this checkout, leave them
out (``dbt_project.UNIT_TESTS_EXCLUDED``) and the run ledger says since which run. A failed or
missing unit test writes no record, so the next build runs them all again. ``make test`` runs
them on their own (``tests/integration/test_dbt_unit_tests.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from orchestration.dbt_project import project_target
from orchestration.quality.ledger import now

STAGE = "dbt unit tests"


def passed_dir() -> Path:
    """Where the records are: the dbt project's target folder, beside its parse state."""
    return project_target() / "unit_tests_passed"


def passed_record(code: str, directory: Path | None = None) -> dict | None:
    """The record of a build of ``code`` whose unit tests all passed (None: no such build, or
    a record that cannot be read, which counts as none)."""
    try:
        record = json.loads(((directory or passed_dir()) / f"{code}.json").read_text(
            encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("code") == code else None


def record_if_all_passed(run_results: dict, manifest: dict, code: str, run_id: str,
                         directory: Path | None = None) -> dict | None:
    """Write the record for ``code`` when ``run_results`` hold every unit test of the
    ``manifest`` and each passed; the record, or None when it was not earned."""
    expected = set(manifest.get("unit_tests", {}))
    results = {r["unique_id"]: r.get("status") for r in run_results.get("results", [])
               if r["unique_id"].startswith("unit_test.")}
    if not expected or set(results) != expected or set(results.values()) != {"pass"}:
        return None
    record = {"code": code, "run_id": run_id, "unit_tests": len(results), "passed_at": now()}
    return _write_once((directory or passed_dir()) / f"{code}.json", record)


def _write_once(path: Path, record: dict) -> dict:
    """Write ``record`` to ``path`` whole unless a record is there already (two builds of the
    same code that ran at once both earn one: the first written stands); the record kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.",
                                     suffix=".tmp", delete=False, encoding="utf-8") as tmp:
        json.dump(record, tmp, indent=1)
    try:
        os.link(tmp.name, path)  # fails when the path exists: never replaces a record
    except FileExistsError:
        return passed_record(record["code"], path.parent) or record
    finally:
        os.unlink(tmp.name)
    return record


def skip_reason(record: dict) -> str:
    return (f"all {record['unit_tests']} passed for this code in run {record['run_id']} "
            "(they run again when the dbt project, GX suites, code or engines change)")
