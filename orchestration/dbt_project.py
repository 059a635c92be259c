"""The dbt project as Dagster sees it: location, executable, and a manifest that exists.

``DbtProject.prepare_if_dev()`` only parses under ``dagster dev``; tests, CI and ``aicapex run``
import the definitions directly, so ``ensure_manifest`` runs ``dbt parse`` whenever the manifest
is missing or older than any dbt source file.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_DIRS = ("models", "seeds", "macros", "tests")
# dbt's own log file (dbt.log beside a build's artifacts) keeps warnings and errors: at dbt's
# default, debug, it writes every query and event (~1.5 s of CPU of a ~16 s build here). dbt's
# DBT_LOG_LEVEL_FILE, when set, chooses instead (debug: everything).
FILE_LOG_LEVEL = "warn"
UNIT_TESTS_EXCLUDED = ("--exclude-resource-type", "unit_test")
# dagster-dbt gives each build a target folder of its own (target/<asset>-<run>-<id>/: manifest,
# compiled SQL, run_results.json, dbt.log; ~13 MB here): the newest are kept, older ones go
KEEP_BUILD_TARGETS = 10
BUILD_TARGET_MIN_AGE_S = 3600  # never one a build may still be writing


def dbt_executable() -> str:
    """``aicapex-dbt`` next to this interpreter: dbt-core's command line, told the build
    database by ``--build-db`` (``orchestration.runtime.dbt_entry``: a new warehouse folder does
    not make dbt parse the whole project again)."""
    candidate = Path(sys.executable).parent / "aicapex-dbt"
    if not candidate.exists():
        raise RuntimeError(f"{candidate} does not exist: install the project into this "
                           "environment (`make setup`, or `pip install -e .`)")
    return str(candidate)


def build_args(build_db: Path, unit_tests_passed: bool) -> list[str]:
    """``aicapex-dbt`` arguments of the pipeline's build: its database, dbt's log file at
    ``FILE_LOG_LEVEL`` unless ``DBT_LOG_LEVEL_FILE`` says otherwise, and no unit tests when
    they passed for this code (``orchestration.quality.unit_tests``)."""
    args = ["build", "--build-db", str(build_db)]
    if "DBT_LOG_LEVEL_FILE" not in os.environ:
        args += ["--log-level-file", FILE_LOG_LEVEL]
    return args + list(UNIT_TESTS_EXCLUDED) if unit_tests_passed else args


def prune_build_targets(current: Path, keep: int = KEEP_BUILD_TARGETS,
                        min_age_s: float = BUILD_TARGET_MIN_AGE_S) -> list[Path]:
    """Remove the target folders of earlier builds beside ``current`` (same asset prefix),
    keeping the ``keep`` most recently changed and any changed in the last ``min_age_s`` (another
    build of this checkout may be running); the folders removed. Without this every build left
    ~13 MB behind: 7 GB after a few hundred runs and test sessions."""
    prefix = current.name.split("-", 1)[0] + "-"
    folders = sorted((p for p in current.parent.glob(f"{prefix}*") if p.is_dir() and p != current),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    cutoff = time.time() - min_age_s
    removed = [p for p in folders[max(0, keep - 1):] if p.stat().st_mtime < cutoff]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


PARSE_STATE = "partial_parse.msgpack"


def project_target() -> Path:
    """The dbt project's own target folder (``$DBT_TARGET_PATH`` or ``target``, as dagster-dbt
    reads it): the parse state builds start from and the project's other records live there."""
    target = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return target if target.is_absolute() else DBT_PROJECT_DIR / target


def project_parse_state() -> Path:
    """The parse state dagster-dbt copies into each build's target folder."""
    return project_target() / PARSE_STATE


def keep_parse_state(build_target: Path, project_state: Path | None = None) -> bool:
    """Make the parse state a build left in its own target folder the one the next build starts
    from; whether there was one to keep.

    dbt throws a parse state away and parses the whole project again (~3 s of a build here) when
    it was written under another profile: by ``make lint`` (sqlfluff's dbt templater, before it
    had a target path of its own), by plain ``dbt`` (whose state keys on the database file's
    path, see ``orchestration.runtime.dbt_entry``) or by a parse against another database name.
    Nothing else wrote the project's state again until a dbt source changed, so one such command
    made every later build parse in full. The build's own state (written by dbt for this
    profile) replaces it, atomically: a build starting meanwhile copies the old or the new file."""
    state = build_target / PARSE_STATE
    if not state.is_file():
        return False
    project_state = project_state or project_parse_state()
    project_state.parent.mkdir(parents=True, exist_ok=True)
    temporary = project_state.with_name(f".{PARSE_STATE}.{os.getpid()}.tmp")
    shutil.copyfile(state, temporary)
    os.replace(temporary, project_state)
    return True


def _newest_source_mtime() -> float:
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _SOURCE_DIRS:
        files.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in files if p.exists())


@cache
def _read_manifest(manifest: Path, mtime_ns: int) -> dict:
    return json.loads(manifest.read_text(encoding="utf-8"))


def read_manifest(manifest: Path) -> dict:
    """The parsed manifest, read once per process and file version (treat it as read-only)."""
    return _read_manifest(manifest, manifest.stat().st_mtime_ns) if manifest.exists() else {}


def mart_nodes(manifest: Path | None = None) -> list[dict]:
    data = read_manifest(manifest or ensure_manifest())
    return [node for node in data["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]]


def published_mart_names(manifest: Path | None = None) -> tuple[str, ...]:
    """Every model under ``models/marts/``: built in ``audit``, published when gates pass."""
    return tuple(sorted({node["name"] for node in mart_nodes(manifest)}))


def contract_columns(manifest: Path | None = None) -> dict[str, list[str]]:
    """Declared (contract) columns of each published mart, in order."""
    return {node["name"]: list(node["columns"]) for node in mart_nodes(manifest)}


def _manifest_is_fresh(manifest: Path) -> bool:
    return manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime()


def ensure_manifest(build_db: Path | None = None) -> Path:
    """The manifest, parsed again when any dbt source file is newer (``build_db``: the build's
    own; any path serves, see ``orchestration.runtime.dbt_entry``). Processes that find it stale
    at the same time (the UI and a run, test workers) parse one at a time: an ``flock`` on
    ``target/.parse.lock``, and the manifest is checked again once the lock is held."""
    manifest = dbt_project.manifest_path
    if _manifest_is_fresh(manifest):
        return manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with (manifest.parent / ".parse.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _manifest_is_fresh(manifest):
            _parse(manifest, build_db)
    return manifest


def _parse(manifest: Path, build_db: Path | None) -> None:
    if build_db is None:
        from orchestration.resources import load_config

        build_db = load_config().get().build_db
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--build-db", str(build_db)],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0 or not manifest.exists():
        raise RuntimeError(
            f"dbt parse failed in {DBT_PROJECT_DIR} (exit {result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
