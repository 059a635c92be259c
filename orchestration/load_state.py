"""Content hashes that let a run skip work whose inputs have not changed: the one place that
decides "unchanged".

``raw._load_state`` holds, for each raw table, the sha256 of every landed file it was loaded
from and a hash of the loader that read them (its SQL or parser source). Raw loads use it to
reload only new or changed files (``changed_files``) or skip a load whose landed files and
loader are the same as last time (``unchanged_rows``); the hashes come from the landing log
(``landed_hashes``), the loader's from its DDL, SQL and parser source (``loader_digest``). The
*build fingerprint* — every raw table's file hashes plus
the dbt project, the GX suites, the Python code and the engine versions — tells whether a run
has anything new to build, gate and publish. ``warehouse/published_state.json`` records the
fingerprint of the build behind the published file (and that file's own hash, so a rollback or
a hand-edited file is never mistaken for it).

The *snapshot inputs* of a whole-universe snapshot run (every file of the snapshot and of the
user's price folder, by path and sha256, the settings and the code fingerprint) are computed by
``aicapex run`` before the job starts and carried as a run tag; a run that publishes, or finds
nothing new to build, records them in ``published_state.json``. When the next ``aicapex run``
finds the same inputs behind the served file, the extract would land the same documents, the
raw loads would skip and the build would be skipped: it records the run as unchanged without
starting the main job (``orchestration.runtime.unchanged``).
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from types import ModuleType

import duckdb

from orchestration.landing import LandedFile, atomic_write
from orchestration.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PROJECT_ROOT, Settings

# run tag: build, gate and publish even when nothing new came in (`aicapex run --force`)
FORCE_TAG = "aicapex/force"
# run tag: the snapshot inputs of a whole-universe snapshot run, computed before its extract
INPUTS_TAG = "aicapex/snapshot_inputs"
STATE_TABLE = "raw._load_state"
STATE_DDL = f"""
create table if not exists {STATE_TABLE} (
    table_name varchar, source_file varchar, sha256 varchar, loader varchar
)
"""
_CODE_ROOTS = (
    (PROJECT_ROOT / "orchestration", "*.py"),
    (DBT_PROJECT_DIR / "models", "*"),
    (DBT_PROJECT_DIR / "seeds", "*"),
    (DBT_PROJECT_DIR / "macros", "*"),
    (DBT_PROJECT_DIR / "tests", "*"),
    (EXPECTATIONS_DIR, "*.json"),
)
_CODE_FILES = (DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml")
_ENGINES = ("dbt-core", "dbt-duckdb", "duckdb", "great-expectations", "dagster-dbt")


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:  # file_digest hashes in C: ~1.3 GB/s here
        return hashlib.file_digest(handle, "sha256").hexdigest()


def digest(parts: Iterable[str]) -> str:
    """One sha256 over an ordered sequence of strings (NUL-separated, so no two collide)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def file_hashes(files: Iterable[Path]) -> dict[str, str]:
    return {str(path): sha256_file(path) for path in files}


def module_hash(*modules: ModuleType) -> str:
    """Hash of the source of the parser modules behind a loader."""
    return digest(sha256_file(Path(inspect.getsourcefile(m) or "")) for m in modules)


def loader_digest(*parts: str | ModuleType) -> str:
    """What a raw load reads its files with: DDL and SQL text, and parser modules' source."""
    return digest(part if isinstance(part, str) else module_hash(part) for part in parts)


def landed_hashes(landed: Iterable[LandedFile]) -> dict[str, str]:
    """``{name: sha256}`` of landed files, as the landing log recorded them, by their path in
    the landing zone (``LandedFile.name``), which a copied or moved landing zone keeps, so its
    files are not read again."""
    return {f.name: f.sha256 for f in landed}


def changed_files(previous: dict[str, str], hashes: dict[str, str]) -> tuple[list[str], list[str]]:
    """(stale, fresh): files whose rows must go (changed or removed) and files to read (new or
    changed), given what the table was loaded from and what is landed now."""
    stale = sorted(f for f, h in previous.items() if hashes.get(f) != h)
    fresh = sorted(f for f, h in hashes.items() if previous.get(f) != h)
    return stale, fresh


def unchanged_rows(
    con: duckdb.DuckDBPyConnection, table: str, hashes: dict[str, str], loader: str
) -> int | None:
    """Row count of ``raw.<table>`` when it was loaded from exactly these files by this loader
    (so loading again would give the same rows), else None."""
    if loaded_files(con, table, loader) != hashes:
        return None
    # fetchall, not fetchone: duckdb 2.0 keeps a partly fetched result open on the connection
    return int(con.execute(f"select count(*) from raw.{table}").fetchall()[0][0])


@cache
def code_fingerprint() -> str:
    """The dbt project, GX suites and Python code, plus the versions of the engines."""
    files = [p for root, pattern in _CODE_ROOTS if root.is_dir()
             for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    files += [p for p in _CODE_FILES if p.is_file()]
    parts = [f"{p.relative_to(PROJECT_ROOT)}={sha256_file(p)}" for p in sorted(files)]
    parts += [f"{name}=={metadata.version(name)}" for name in _ENGINES]
    return digest(parts)


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    # fetchall, not fetchone: duckdb 2.0 keeps a partly fetched result open on the connection
    return bool(con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = ?", [table]).fetchall()[0][0])


def ensure_state_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(STATE_DDL)


def loaded_files(con: duckdb.DuckDBPyConnection, table: str, loader: str) -> dict[str, str] | None:
    """``{file: sha256}`` that ``raw.<table>`` was loaded from by this ``loader``; None when the
    table does not exist or was loaded by another loader (then it must be rebuilt whole)."""
    if not _table_exists(con, table) or not _table_exists(con, "_load_state"):
        return None
    rows = con.execute(f"select source_file, sha256, loader from {STATE_TABLE} "
                       "where table_name = ?", [table]).fetchall()
    if not rows:
        return None
    if any(row[2] != loader for row in rows):
        return None
    return {row[0]: row[1] for row in rows if row[0]}


def record_files(
    con: duckdb.DuckDBPyConnection, table: str, hashes: dict[str, str], loader: str
) -> None:
    """Record what ``raw.<table>`` now holds (call inside the load's transaction). A table
    loaded from no file keeps one row with an empty file name, so "loaded, empty" is known."""
    con.execute(f"delete from {STATE_TABLE} where table_name = ?", [table])
    rows = [(table, f, h, loader) for f, h in sorted(hashes.items())] or [(table, "", "", loader)]
    con.executemany(f"insert into {STATE_TABLE} values (?, ?, ?, ?)", rows)


def build_fingerprint(build_db: Path) -> str:
    """What a dbt build from this warehouse depends on: raw inputs and all code."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        rows = con.execute(
            f"select table_name, source_file, sha256, loader from {STATE_TABLE} "
            "order by all").fetchall() if _table_exists(con, "_load_state") else []
    return digest([code_fingerprint(), *("|".join(map(str, row)) for row in rows)])


def _state_path(settings: Settings) -> Path:
    return settings.warehouse_dir / "published_state.json"


def record_published(settings: Settings, fingerprint: str, run_id: str,
                     inputs: str | None = None) -> None:
    """After a publish (or a publish that found nothing new): which build is being served, and
    the snapshot inputs it was built from (``INPUTS_TAG`` of the run, when it has one)."""
    state = {"fingerprint": fingerprint, "run_id": run_id,
             "marts_sha256": sha256_file(settings.marts_db),
             **({"snapshot_inputs": inputs} if inputs else {})}
    atomic_write(_state_path(settings), json.dumps(state, indent=2).encode())


def record_inputs(settings: Settings, served: dict, inputs: str | None) -> None:
    """A run found nothing new to build from ``inputs``: the served build stands for them too."""
    if inputs and served.get("snapshot_inputs") != inputs:
        atomic_write(_state_path(settings),
                     json.dumps({**served, "snapshot_inputs": inputs}, indent=2).encode())


def snapshot_inputs(settings: Settings) -> str:
    """What a whole-universe run from the snapshot reads: every file of the snapshot and of the
    user's price folder (relative path and sha256), the settings and the code fingerprint."""
    parts = [code_fingerprint(), repr(settings)]
    for label, root in (("snapshot", settings.snapshot_dir), ("user", settings.user_prices_dir)):
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        parts += [f"{label}:{p.relative_to(root)}={sha256_file(p)}" for p in files]
    return digest(parts)


def unchanged_inputs(settings: Settings, inputs: str) -> dict | None:
    """The served build's state when it was built from exactly ``inputs`` (and the build
    warehouse is still there), else None."""
    served = published_build(settings)
    if served and served.get("snapshot_inputs") == inputs and settings.build_db.is_file():
        return served
    return None


def published_build(settings: Settings) -> dict | None:
    """The state of the served build, or None when the file is not the one it describes."""
    path = _state_path(settings)
    if not path.is_file() or not settings.marts_db.is_file():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None
    if state.get("marts_sha256") != sha256_file(settings.marts_db):
        return None
    return state
