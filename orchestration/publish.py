"""Write-audit-publish: copy the audited marts into a complete new file, then swap it in.

Readers open ``marts.duckdb`` read-only; ``os.replace`` swaps the whole file at once, so a
reader sees the previous version or the new one, never a half-written publish. The replaced
file is kept in ``history/`` (the last N) for rollback, and each mart is exported as Parquet:
written from the new file before the swap (a full disk fails the publish with nothing swapped
in) and renamed over the previous export right after it.

The published file also carries the data-quality history (``dq_results``, ``publish_log``):
those tables belong to the run ledger (``orchestration.quality.ledger``), which writes them into
the new file from the run's ledger; publish only says what it published.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.dbt_project import contract_columns, published_mart_names
from orchestration.quality.ledger import PublishRecord, RunLedger, write_published_tables
from orchestration.query import is_whole_database
from orchestration.settings import Settings


class PublishError(RuntimeError):
    """The new file failed a publish check; the published file was not touched."""


@dataclass(frozen=True)
class PublishResult:
    path: Path
    row_counts: dict[str, int]
    previous_kept_as: Path | None
    published_at: str
    unchanged: bool = False
    tables: tuple[str, ...] = ()
    build_database: str = ""

    def record(self) -> PublishRecord:
        """The run ledger's record of this publish."""
        return PublishRecord(
            published=not self.unchanged, unchanged=self.unchanged,
            published_at=self.published_at, path=str(self.path), tables=self.tables,
            row_counts=dict(self.row_counts), build_database=self.build_database,
            previous_kept_as=str(self.previous_kept_as or ""))


# when a row was loaded is not new data: a re-run of the same inputs must not republish
LOAD_TIME_COLUMNS = frozenset({"loaded_at"})


def unchanged_counts(settings: Settings) -> dict[str, int] | None:
    """Row counts when every audit mart equals its published table (same columns and rows,
    duplicates counted), else None: re-running with nothing new must not touch the file."""
    if not is_whole_database(settings.marts_db):
        return None
    counts: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{settings.build_db}' as build (read_only)")
        con.execute(f"attach '{settings.marts_db}' as published (read_only)")
        for table in published_mart_names():
            columns = _columns(con, "build", "audit", table)
            if not columns or columns != _columns(con, "published", "main", table):
                return None
            compared = ", ".join(f'"{c}"' for c in columns if c not in LOAD_TIME_COLUMNS)
            new = f"select {compared} from build.audit.{table}"
            old = f"select {compared} from published.main.{table}"
            differs = con.execute(
                f"select exists ({new} except all {old}) or exists ({old} except all {new})"
            ).fetchone()
            if differs is None or differs[0]:
                return None
            row = con.execute(f"select count(*) from published.main.{table}").fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def _columns(
    con: duckdb.DuckDBPyConnection, catalog: str | None, schema: str, table: str
) -> list[str]:
    """Column names of ``catalog.schema.table`` (catalog None: the connection's own file)."""
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = coalesce(?, current_database()) and table_schema = ? "
        "and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def _previous_columns(marts_db: Path | None) -> dict[str, list[str]]:
    if marts_db is None:
        return {}
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return {t: _columns(con, None, "main", t) for t in published_mart_names()}


def _build_new_file(
    settings: Settings, tmp: Path, ledger: RunLedger, published_at: str, previous: Path | None
) -> dict:
    marts = published_mart_names()
    counts: dict[str, int] = {}
    with duckdb.connect(str(tmp)) as con:
        con.execute(f"attach '{settings.build_db}' as build (read_only)")
        for table in marts:
            if not _columns(con, "build", "audit", table):
                raise PublishError(f"audit.{table} does not exist in {settings.build_db}")
            con.execute(f"create table main.{table} as select * from build.audit.{table}")
            source = con.execute(f"select count(*) from build.audit.{table}").fetchone()
            copied = con.execute(f"select count(*) from main.{table}").fetchone()
            if not source or not copied or source[0] != copied[0]:
                raise PublishError(f"{table}: copied {copied} rows of {source}")
            counts[table] = int(copied[0])
        record = PublishRecord(published=True, unchanged=False, published_at=published_at,
                               path=str(settings.marts_db), tables=marts, row_counts=counts,
                               build_database=str(settings.build_db))
        write_published_tables(con, ledger, record, previous)
        con.execute("detach build")
        con.execute("checkpoint")
    return counts


def _check_schema(tmp: Path, previous: dict[str, list[str]]) -> None:
    """Each table has exactly its dbt contract's columns, and none published before is gone."""
    contracts = contract_columns()
    with duckdb.connect(str(tmp), read_only=True) as con:
        for table in published_mart_names():
            declared = contracts.get(table, [])
            actual = _columns(con, None, "main", table)
            if declared and actual != declared:
                raise PublishError(
                    f"{table}: columns {actual} differ from the dbt contract {declared}"
                )
        for table, old_columns in previous.items():
            new_columns = _columns(con, None, "main", table)
            missing = [c for c in old_columns if c not in new_columns]
            if old_columns and missing:
                raise PublishError(
                    f"{table}: columns {missing} of the published contract are missing"
                )


def _write_parquet(marts_db: Path, parquet_dir: Path) -> list[tuple[Path, Path]]:
    """Each mart of ``marts_db`` written as a temporary Parquet file beside its final name;
    returns (temporary, final) pairs for ``_swap_parquet``. All or nothing: on an error (a full
    disk) every temporary is removed, the final files are untouched, and the error names the
    table and the folder."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        with duckdb.connect(str(marts_db), read_only=True) as con:
            for table in published_mart_names():
                tmp = parquet_dir / f".{table}.{uuid.uuid4().hex}.parquet"
                written.append((tmp, parquet_dir / f"{table}.parquet"))
                con.execute(f"copy (select * from {table}) to '{tmp}' (format parquet)")
    except (duckdb.Error, OSError) as exc:
        _discard(written)
        failed = written[-1][1].name if written else str(parquet_dir)
        raise PublishError(
            f"Parquet export to {parquet_dir} failed at {failed}: {str(exc).splitlines()[0]}; "
            f"nothing was swapped in (marts.duckdb and the Parquet files are the previous "
            f"version): free space and run again") from exc
    return written


def _discard(written: list[tuple[Path, Path]]) -> None:
    """Remove exported files not swapped in (none are left after ``_swap_parquet``)."""
    for tmp, _ in written:
        tmp.unlink(missing_ok=True)


def _swap_parquet(written: list[tuple[Path, Path]]) -> None:
    """Rename the exported files over the previous ones (renames need no free space)."""
    for tmp, final in written:
        os.replace(tmp, final)


def copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file in the same folder: a failed copy
    (a full disk) leaves no partial ``target`` that a rollback could restore."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def last_good_published(settings: Settings) -> Path | None:
    """The published file when it is a whole database, else the newest kept version that is
    (a damaged published file: its history and contract come from there)."""
    for path in (settings.marts_db, *reversed(published_versions(settings))):
        if is_whole_database(path):
            return path
    return None


def _keep_replaced(settings: Settings, stamp: str) -> Path | None:
    """Keep the file about to be replaced: a whole one in ``history/`` (for rollback), a
    damaged one in ``history/damaged/`` (for inspection, never restored)."""
    if not settings.marts_db.exists():
        return None
    if not is_whole_database(settings.marts_db):
        copy_atomically(settings.marts_db, settings.history_dir / "damaged" /
                        f"marts-{stamp}.duckdb")
        return None
    kept_as = settings.history_dir / f"marts-{stamp}.duckdb"
    copy_atomically(settings.marts_db, kept_as)
    return kept_as


def _prune_history(settings: Settings) -> None:
    kept = sorted(settings.history_dir.glob("marts-*.duckdb"))
    for old in kept[: max(0, len(kept) - settings.keep_published)]:
        old.unlink(missing_ok=True)


def publish(settings: Settings, ledger: RunLedger) -> PublishResult:
    """Publish the audit marts with the checks of the run's ``ledger``; on any error the
    published file is left exactly as it was."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    published_at = now.isoformat(timespec="seconds")
    for leftover in settings.warehouse_dir.glob(".marts-*.duckdb*"):
        leftover.unlink()  # from a publish that was killed: never the published file
    for leftover in settings.parquet_dir.glob(".*.parquet"):
        leftover.unlink()  # an export of a killed publish, never swapped in
    marts = published_mart_names()
    same = unchanged_counts(settings)
    if same is not None:
        return PublishResult(settings.marts_db, same, None, published_at, unchanged=True,
                             tables=marts, build_database=str(settings.build_db))
    tmp = settings.warehouse_dir / f".marts-{uuid.uuid4().hex}.duckdb"
    previous = last_good_published(settings)
    exported: list[tuple[Path, Path]] = []
    try:
        counts = _build_new_file(settings, tmp, ledger, published_at, previous)
        _check_schema(tmp, _previous_columns(previous))
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        exported = _write_parquet(tmp, settings.parquet_dir)
        kept_as = _keep_replaced(settings, now.strftime("%Y%m%dT%H%M%S%f"))
        os.replace(tmp, settings.marts_db)
        _swap_parquet(exported)
    finally:
        _discard(exported)
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    _prune_history(settings)
    return PublishResult(settings.marts_db, counts, kept_as, published_at, tables=marts,
                         build_database=str(settings.build_db))


def published_versions(settings: Settings) -> list[Path]:
    """Kept previous versions, oldest first."""
    return sorted(settings.history_dir.glob("marts-*.duckdb"))


def rollback(settings: Settings) -> Path:
    """Swap the newest kept version that is a whole database back in; the replaced file is
    kept in ``history/rolled_back``.

    The swap is a rename within one filesystem, so readers see the old or the restored file.
    """
    versions = [v for v in reversed(published_versions(settings)) if is_whole_database(v)]
    if not versions:
        raise PublishError(f"no previous version to roll back to in {settings.history_dir}")
    restore = versions[0]
    exported = _write_parquet(restore, settings.parquet_dir)
    try:
        if settings.marts_db.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            copy_atomically(settings.marts_db, settings.history_dir / "rolled_back" /
                            f"marts-{stamp}.duckdb")
        os.replace(restore, settings.marts_db)
        _swap_parquet(exported)
    finally:
        _discard(exported)
    return restore
