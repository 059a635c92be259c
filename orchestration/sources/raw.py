"""Writing the build warehouse's ``raw`` schema: the ways a source fills its tables.

* ``sync_files``: per-file SQL loads (company facts, submissions) read only new or changed
  files; rows carry their ``source_file``, by its path in the landing zone.
* ``replace_table`` / ``load_rows``: a table replaced whole from a SELECT or from parsed rows.
* ``load_parsed_tables``: tables replaced together from documents parsed in Python (filings,
  earnings releases), streamed in bounded batches into loading tables swapped in at the end.

Every load ends in one transaction that replaces or syncs its tables: a failed load leaves the
previous tables intact, and what a table was loaded from is recorded in ``raw._load_state`` in
the same transaction. *Whether* a load is needed is decided in ``orchestration.load_state``,
not here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb

from orchestration.landing import LandedFile, landed_files
from orchestration.load_state import (
    changed_files,
    ensure_state_table,
    file_hashes,
    landed_hashes,
    loaded_files,
    loader_digest,
    record_files,
    unchanged_rows,
)

# DuckDB's memory limit while files are synced. Without one its buffer pool keeps every block
# the load writes (the default limit is 80% of RAM), so the process grows with the number of
# files (133 MB at 2 company-facts files, 418 MB at 400). The load needs far less: the JSON
# reader's buffers (16 MiB each, a few per thread) and the row groups being written; each
# thread also gets room for the largest file of the load (see ``load_memory_limit``). Measured
# at 400 files: ~200 MB peak; 160 MB keeps ~170 MB for ~10% more time, and 144 MB fails with
# DuckDB "out of memory" in the reader (docs/scaling.md, "Memory").
LOAD_MEMORY_FLOOR = 192 * 1024 * 1024
MEBIBYTE = 1024 * 1024


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: duckdb 2.0 keeps a partly fetched result open on the connection
    return int(con.execute(f"select count(*) from raw.{table}").fetchall()[0][0])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction around a block: committed at its end, rolled back on any error."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def replace_table(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, select_sql: str | None,
    params: dict | None = None, state: tuple[dict[str, str], str] | None = None,
) -> int:
    """Replace ``raw.<table>`` atomically with the rows of ``select_sql``; return its row count.
    ``state`` (file hashes, loader) is recorded in ``raw._load_state`` in the same transaction."""
    with transaction(con):
        con.execute("create schema if not exists raw")
        con.execute(f"create or replace table raw.{table} ({columns})")
        if select_sql is not None:
            con.execute(f"insert into raw.{table} {select_sql}", params or {})
        if state is not None:
            ensure_state_table(con)
            record_files(con, table, *state)
    return row_count(con, table)


def load_rows(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[dict],
              keys: Sequence[str], state: tuple[dict[str, str], str]) -> int:
    """Replace ``raw.<table>`` with parsed ``rows`` plus ``loaded_at`` (on a fresh cursor)."""
    cursor = con.cursor()
    try:
        if not rows:
            return replace_table(cursor, table, columns, None, state=state)
        import pandas as pd  # only price loads build a frame; keep importing this module cheap

        frame = pd.DataFrame(rows, columns=list(keys))
        frame["loaded_at"] = pd.Timestamp.now(tz="UTC")
        cursor.register("incoming_frame", frame)
        names = ", ".join([*keys, "loaded_at"])
        return replace_table(cursor, table, columns, f"select {names} from incoming_frame",
                             state=state)
    finally:
        cursor.close()


@dataclass(frozen=True)
class SyncResult:
    rows: int
    loaded: list[str]
    removed: list[str]
    unchanged: int


def max_object_size(largest: int) -> int:
    """``read_json``'s ``maximum_object_size`` for a load: its largest file (a company-facts or
    submissions file is one JSON object), rounded up to a MiB. A fixed 512 MiB made DuckDB
    reserve 1 GiB of buffer per file read, ~25% of the load's CPU time."""
    return max(1, -(-largest // MEBIBYTE)) * MEBIBYTE


def load_memory_limit(largest: int, threads: int) -> int:
    return max(LOAD_MEMORY_FLOOR, 16 * threads * max_object_size(largest))


def _largest_file(files: Iterable[str]) -> int:
    """Size of the largest of ``files`` that exists (a missing one fails its batch, named)."""
    return max((Path(f).stat().st_size for f in files if Path(f).is_file()), default=0)


@contextmanager
def session_settings(con: duckdb.DuckDBPyConnection, **settings: str) -> Iterator[None]:
    """DuckDB settings for the duration of a block; the connection's own are restored after."""
    names = list(settings)
    before = con.execute(
        f"select {', '.join(f'current_setting({name!r})' for name in names)}").fetchall()[0]
    for name, value in settings.items():
        con.execute(f"set {name} = '{value}'")
    try:
        yield
    finally:
        for name, value in zip(names, before, strict=True):
            con.execute(f"set {name} = '{value}'")


def sync_files(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, select_sql: str,
    files: list[Path] | dict[str, str], root: Path | None = None,
) -> SyncResult:
    """Bring ``raw.<table>`` in line with ``files``, reading only new or changed ones.

    ``files`` is a list of paths (hashed here) or ``{name: sha256}`` as the landing log
    records them, a name being the file's path in ``root`` (the landing zone: the same after
    the zone is copied or moved) or, without a root, its path. A file is known by its name in
    ``raw._load_state`` and in its rows' ``source_file`` (``select_sql`` names it
    ``substr(filename, $name_from)``), so a copied or moved warehouse is not read again. Rows
    of changed or removed files are deleted and new or changed files are read by one
    ``INSERT ... SELECT``, in one transaction; a loader change rebuilds the table. The load,
    and the checkpoint that writes it out, run under a DuckDB memory limit, so memory does not
    grow with the number of files.
    """
    if isinstance(files, dict):
        hashes = files
    elif root is None:
        hashes = file_hashes(files)
    else:
        raise TypeError("sync_files: a root names files of a {name: sha256} mapping, not paths")
    prefix = "" if root is None else str(root).rstrip("/") + "/"
    loader = loader_digest(columns, select_sql)
    threads = int(con.execute("select current_setting('threads')").fetchall()[0][0])
    largest = _largest_file(prefix + name for name in hashes)
    # rows need no particular order: lets DuckDB insert from both threads (~10% faster here)
    with session_settings(con, preserve_insertion_order="false",
                          memory_limit=f"{load_memory_limit(largest, threads) // MEBIBYTE}MiB"):
        with transaction(con):
            ensure_state_table(con)
            previous = loaded_files(con, table, loader)
            if previous is None:
                con.execute(f"create or replace table raw.{table} ({columns})")
                previous = {}
            stale, fresh = changed_files(previous, hashes)
            if stale:
                con.execute(f"delete from raw.{table} where list_contains($files, source_file)",
                            {"files": stale})
            if fresh:
                con.execute(f"insert into raw.{table} {select_sql}",
                            {"files": [prefix + name for name in fresh],
                             "max_object_size": max_object_size(largest),
                             "name_from": len(prefix) + 1})
            record_files(con, table, hashes, loader)
        if fresh or stale:
            # under the limit too: left to the connection's close, a checkpoint that merges
            # row groups runs with the default limit (400 files loaded in 48 MB batches: ~2 GB)
            con.execute("checkpoint")
    removed = sorted(set(previous) - set(hashes))
    return SyncResult(rows=row_count(con, table), loaded=fresh, removed=removed,
                      unchanged=len(hashes) - len(fresh))


LANDING_LOG_COLUMNS = """
    source varchar, partition varchar, origin varchar, landed_path varchar, sha256 varchar,
    bytes bigint, retrieved_at timestamptz, status varchar, detail varchar
"""


def load_landing_log(con: duckdb.DuckDBPyConnection, log_path: Path) -> int:
    """``raw.landing_log``: every extract attempt, replaced whole."""
    select = None
    params = None
    if log_path.is_file() and log_path.stat().st_size:
        select = (
            "select source, partition, origin, landed_path, sha256, bytes, retrieved_at, status,"
            " detail from read_json($log, format = 'newline_delimited', columns = {source: "
            "'VARCHAR', partition: 'VARCHAR', origin: 'VARCHAR', landed_path: 'VARCHAR', "
            "sha256: 'VARCHAR', bytes: 'BIGINT', retrieved_at: 'TIMESTAMPTZ', status: 'VARCHAR',"
            " detail: 'VARCHAR'})"
        )
        params = {"log": str(log_path)}
    return replace_table(con, "landing_log", LANDING_LOG_COLUMNS, select, params)


# a comma between two columns of a DDL list, not one inside a type such as decimal(38, 6)
_COLUMN_SEPARATOR = re.compile(r",(?![^()]*\))")
# the types the select casts a parsed value to (from text, a Python date or a timestamp)
_CAST_TYPES = ("date", "timestamptz", "decimal")


@dataclass(frozen=True)
class ParsedTable:
    """A raw table filled from parsed rows: its DDL ``columns`` (``name type, ...``; the rows
    hold the values in that order) and the ``text`` columns, given to DuckDB as strings so
    decimals and dates are read exactly."""

    columns: str
    text: tuple[str, ...] = ()

    def _typed(self) -> list[tuple[str, str]]:
        pairs = (part.split(maxsplit=1) for part in _COLUMN_SEPARATOR.split(self.columns.strip()))
        return [(name, " ".join(type_.split())) for name, type_ in pairs]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._typed()]

    @property
    def select(self) -> str:
        """The select list over the frame: every column, dates, timestamps and decimals cast."""
        return ", ".join(f"cast({name} as {type_})" if type_.startswith(_CAST_TYPES) else name
                         for name, type_ in self._typed())

    def frame(self, rows: Sequence[dict] | Sequence[tuple]):
        import pandas as pd  # only parsed loads build a frame; keep importing this module cheap

        return pd.DataFrame(rows, columns=self.names).astype(dict.fromkeys(self.text, "string"))


# Rows of one parsed table held in Python (and framed by pandas) before they are inserted: a
# filing gives ~1,100 facts (at most ~1,900 in the recorded ones), a release ~400, so a batch is
# ~10-50 documents and one insert per batch costs little; ~20 MB of row tuples and as much again
# for the frame, whatever the number of documents loaded (docs/scaling.md, "Memory").
BATCH_ROWS = 20_000

# the rows of one parsed document, one list per table in the tables' order
Parsed = Sequence[Sequence[dict] | Sequence[tuple]]


def _insert(cursor: duckdb.DuckDBPyConnection, target: str, spec: ParsedTable,
            rows: list) -> None:
    cursor.register("_incoming_frame", spec.frame(rows))
    cursor.execute(f"insert into raw.{target} select {spec.select} from _incoming_frame")
    cursor.unregister("_incoming_frame")


def _insert_batches(cursor: duckdb.DuckDBPyConnection, tables: dict[str, ParsedTable],
                    targets: dict[str, str], documents: Iterable[Parsed],
                    batch_rows: int) -> None:
    """Insert the ``documents``' rows of each of ``tables`` into its ``targets`` table, at most
    ``batch_rows`` rows at a time, reading the documents one by one as the batches fill."""
    pending: dict[str, list] = {table: [] for table in tables}
    for document in documents:
        for (table, spec), rows in zip(tables.items(), document, strict=True):
            held = pending[table]
            held.extend(rows)
            while len(held) >= batch_rows:
                _insert(cursor, targets[table], spec, held[:batch_rows])
                del held[:batch_rows]
    for table, spec in tables.items():
        if pending[table]:
            _insert(cursor, targets[table], spec, pending[table])


def load_parsed_tables(
    con: duckdb.DuckDBPyConnection, landed: Sequence[LandedFile], loader: str,
    tables: dict[str, ParsedTable], parse: Callable[[], Iterable[Parsed]],
    batch_rows: int = BATCH_ROWS,
) -> tuple[dict[str, int], bool]:
    """Raw tables built together from parsed files: ``parse()`` yields, per parsed document, its
    rows of each of ``tables`` (in their order). Nothing is parsed when the ``landed`` files (by
    name in the landing zone and hash) and the ``loader`` equal the last load's: returns the
    row counts and whether that was so. The rows name their files by that name too
    (``landed_names``), so a copied or moved landing zone and warehouse are not parsed again.

    Otherwise, on one fresh cursor, the documents' rows go in batches of at most ``batch_rows``
    per table, as they are parsed, into loading tables (``raw._<table>_loading``), each batch
    committed: DuckDB holds a transaction's uncommitted rows in memory (~0.25-0.75 KB a row,
    whatever its memory limit), so one transaction around the batches would grow with the load.
    Then one transaction replaces every table by its loading table and records the load in
    ``raw._load_state``. An error anywhere leaves every table and ``raw._load_state`` as they
    were; the loading tables are dropped either way, also those a killed load left behind when
    nothing needs loading now (no rows leave a table empty)."""
    loading = {table: f"_{table}_loading" for table in tables}
    state = (landed_hashes(landed), loader)
    counts = {table: unchanged_rows(con, table, *state) for table in tables}
    if all(rows is not None for rows in counts.values()):
        _drop_tables(con, loading.values())
        return {table: rows or 0 for table, rows in counts.items()}, True
    cursor = con.cursor()
    try:
        cursor.execute("create schema if not exists raw")
        for table, spec in tables.items():
            cursor.execute(f"create or replace table raw.{loading[table]} ({spec.columns})")
        _insert_batches(cursor, tables, loading, parse(), batch_rows)
        with transaction(cursor):
            ensure_state_table(cursor)
            for table in tables:
                cursor.execute(f"drop table if exists raw.{table}")
                cursor.execute(f"alter table raw.{loading[table]} rename to {table}")
                record_files(cursor, table, *state)
        return {table: row_count(cursor, table) for table in tables}, False
    finally:
        _drop_tables(cursor, loading.values())
        cursor.close()


def _drop_tables(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> None:
    for name in names:
        con.execute(f"drop table if exists raw.{name}")


def load_landed_tables(
    con: duckdb.DuckDBPyConnection, landing_dir: Path, source: str,
    tables: dict[str, ParsedTable], extract: Callable[[list[LandedFile]], Iterable[Parsed]],
    *parser: ModuleType,
) -> tuple[dict[str, int], bool]:
    """``load_parsed_tables`` over the files the landing log names for ``source``, parsed by
    ``extract`` (a generator: per document, one row list per table); the loader is this module
    and the ``parser`` modules, so a change to either reloads."""
    landed = landed_files(landing_dir, [source])
    return load_parsed_tables(con, landed, loader_digest(sys.modules[__name__], *parser), tables,
                              lambda: extract(landed))
