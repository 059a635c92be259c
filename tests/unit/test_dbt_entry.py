"""``aicapex-dbt``: the build database comes in by ``--build-db``, and dbt's partial parsing
survives a change of it (``orchestration.runtime.dbt_entry``) and a state written under another
profile (``orchestration.dbt_project.keep_parse_state``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration.dbt_project import dbt_executable, keep_parse_state
from orchestration.runtime.dbt_entry import take_build_db
from orchestration.settings import DBT_PROJECT_DIR


def test_build_db_is_taken_out_of_the_dbt_arguments() -> None:
    assert take_build_db(["build", "--build-db", "/w/aicapex.duckdb", "--select", "x"]) == (
        "/w/aicapex.duckdb", ["build", "--select", "x"])
    assert take_build_db(["--build-db=/w/a.duckdb", "parse"]) == ("/w/a.duckdb", ["parse"])
    assert take_build_db(["parse"]) == (None, ["parse"])
    with pytest.raises(SystemExit, match="--build-db needs a path"):
        take_build_db(["parse", "--build-db"])


def test_no_dbt_source_reads_the_database_path() -> None:
    """Parsing must not depend on the file's path, or a reused parse could be stale."""
    readers = [
        str(path.relative_to(DBT_PROJECT_DIR))
        for folder in ("models", "macros", "tests", "seeds")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.suffix in {".sql", ".yml", ".yaml"}
        and re.search(r"target\s*(\.\s*path|\[\s*['\"]path)|var\(\s*['\"]build_db",
                      path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def _parse(build_db: Path, target: Path) -> str:
    done = subprocess.run(
        [dbt_executable(), "parse", "--build-db", str(build_db), "--target-path", str(target),
         "--log-path", str(target), "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--log-level-file", "debug"],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return (target / "dbt.log").read_text(encoding="utf-8")


def test_a_new_warehouse_folder_reuses_the_last_parse(tmp_path: Path) -> None:
    # the project's state was written under another profile (a parse against lint.duckdb, as
    # `make lint` did): the next build parses in full ...
    foreign, first = tmp_path / "foreign", tmp_path / "first"
    _parse(tmp_path / "lint" / "lint.duckdb", foreign)
    project_state = tmp_path / "project" / "partial_parse.msgpack"
    project_state.parent.mkdir()
    shutil.copy(foreign / "partial_parse.msgpack", project_state)
    first.mkdir()
    shutil.copy(project_state, first)  # as dagster-dbt hands it on
    log = _parse(tmp_path / "one" / "aicapex.duckdb", first)
    assert "Unable to do partial parsing because profile has changed" in log
    # ... and leaves its own state as the project's (as the pipeline's build asset does)
    assert keep_parse_state(first, project_state)
    assert project_state.read_bytes() == (first / "partial_parse.msgpack").read_bytes()

    second = tmp_path / "second"
    second.mkdir()
    shutil.copy(project_state, second)
    log = _parse(tmp_path / "two" / "aicapex.duckdb", second)
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled, no changes found, skipping parsing" in log
    assert not keep_parse_state(tmp_path / "no-build", project_state)  # nothing to keep

    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    databases = {node["database"] for node in manifest["nodes"].values()
                 if node["resource_type"] == "model"}
    assert databases == {"aicapex"}
