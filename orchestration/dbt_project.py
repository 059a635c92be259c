"""The dbt project as Dagster sees it: location, executable, and a manifest that exists.

``DbtProject.prepare_if_dev()`` only parses under ``dagster dev``; tests, CI and ``aicapex run``
import the definitions directly, so ``ensure_manifest`` runs ``dbt parse`` whenever the manifest
is missing or older than any dbt source file.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_DIRS = ("models", "seeds", "macros", "tests")


def dbt_executable() -> str:
    """The dbt next to this interpreter (dagster-dbt would otherwise search PATH)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


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


def build_vars(build_db: Path) -> str:
    """``--vars`` naming the build database: ``profiles.yml`` reads ``var('build_db')``."""
    return json.dumps({"build_db": str(build_db)})


def _manifest_is_fresh(manifest: Path) -> bool:
    return manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime()


def ensure_manifest(build_db: Path | None = None) -> Path:
    """The manifest, parsed again when any dbt source file is newer. ``build_db`` should be the
    build's own: dbt keys partial parsing on the rendered profile, so parsing with another path
    would make every ``dbt build`` parse the project again. Processes that find it stale at the
    same time (the UI and a run, test workers) parse one at a time: an ``flock`` on
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


def _parse_command(build_db: Path) -> list[str]:
    return [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--vars", build_vars(build_db)]


def _parse(manifest: Path, build_db: Path | None) -> None:
    if build_db is None:
        from orchestration.resources import load_config

        build_db = load_config().get().build_db
    result = subprocess.run(_parse_command(build_db), cwd=DBT_PROJECT_DIR, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0 or not manifest.exists():
        raise RuntimeError(
            f"dbt parse failed in {DBT_PROJECT_DIR} (exit {result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    (manifest.parent / PARSED_FOR).write_text(str(build_db), encoding="utf-8")


# Parsing ahead. dbt keys partial parsing on its profile, which holds the build database's
# path: the first `dbt build` in a new warehouse folder parses the whole project (~4 s here)
# before it runs anything. `parse_ahead` starts that parse in the background when a run
# begins, while it extracts and loads; `partial_parse_for` hands its result to the build.
PARSED_FOR = ".parsed_for"  # beside a partial_parse.msgpack: the build database it was made for
PARSING_FOR = ".parsing_for"  # the same while the parse runs (it becomes PARSED_FOR after)
AHEAD_DIR = ".dbt_parse"  # in the warehouse folder
PARTIAL_PARSE = "partial_parse.msgpack"
_parsing: list[subprocess.Popen] = []  # reaped by partial_parse_for


def _parsed_for(folder: Path, build_db: Path) -> bool:
    try:
        return ((folder / PARSED_FOR).read_text(encoding="utf-8") == str(build_db)
                and (folder / PARTIAL_PARSE).is_file())
    except OSError:
        return False


def parse_ahead(build_db: Path) -> bool:
    """Start ``dbt parse`` for ``build_db`` in the background, into ``<warehouse>/.dbt_parse``,
    unless the project's own parse or an earlier one there was made for this path, or another
    process is parsing there. The parse holds an ``flock`` on ``.dbt_parse/.lock`` until it
    exits (it is in the run's process group: killing the run kills it). True when started."""
    folder = build_db.parent / AHEAD_DIR
    if _parsed_for(dbt_project.manifest_path.parent, build_db) or _parsed_for(folder, build_db):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        for stale in (PARSED_FOR, PARTIAL_PARSE):
            (folder / stale).unlink(missing_ok=True)
        (folder / PARSING_FOR).write_text(str(build_db), encoding="utf-8")
        _parsing.append(subprocess.Popen(
            [*_parse_command(build_db), "--target-path", str(folder)], cwd=DBT_PROJECT_DIR,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(lock.fileno(),)))  # the child's copy of the descriptor keeps the lock
    return True


def partial_parse_for(build_db: Path, target: Path) -> bool:
    """Put the parse ``parse_ahead`` made for ``build_db`` into the new dbt target folder
    ``target`` (waiting for it while it runs); False when there is none (then dagster-dbt
    copies the project's, and dbt parses what differs)."""
    folder = build_db.parent / AHEAD_DIR
    if not (folder / ".lock").is_file():
        return False
    with (folder / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # returns once the parse has exited
        _parsing[:] = [process for process in _parsing if process.poll() is None]
        parsing = folder / PARSING_FOR
        if (parsing.is_file() and parsing.read_text(encoding="utf-8") == str(build_db)
                and (folder / PARTIAL_PARSE).is_file()):
            parsing.replace(folder / PARSED_FOR)
        if not _parsed_for(folder, build_db):
            return False
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / PARTIAL_PARSE, target / PARTIAL_PARSE)
    return True
