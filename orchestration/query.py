"""The read-only query surface over the published marts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas only for the Python API: the CLI does not import it
    import pandas as pd

FORMATS = ("table", "csv", "json")


class QueryRefused(ValueError):
    """The SQL is not a single read-only SELECT; the message says why."""


class DamagedDatabase(RuntimeError):
    """The published file exists but is not a whole DuckDB database (truncated, overwritten)."""

    def __init__(self, path: Path, cause: duckdb.Error) -> None:
        super().__init__(
            f"{path} is damaged (truncated or overwritten: {str(cause).splitlines()[0]}); "
            "`aicapex rollback` restores the last good version, the next `aicapex run` "
            "publishes a new one")


def is_damage(exc: duckdb.Error) -> bool:
    """DuckDB's answer to a file that is not (or no longer) a whole database."""
    return isinstance(exc, duckdb.IOException) or "Corrupt database" in str(exc)


def connect_published(marts_db: Path) -> duckdb.DuckDBPyConnection:
    """Open the published file read-only with file/network access disabled and locked."""
    if not marts_db.is_file():
        raise FileNotFoundError(
            f"{marts_db} does not exist yet: run `make run` (or `aicapex run`) first"
        )
    try:
        con = duckdb.connect(
            str(marts_db),
            read_only=True,
            config={"enable_external_access": False, "lock_configuration": True},
        )
        _check_size(con, marts_db)
    except duckdb.Error as exc:
        if is_damage(exc):
            raise DamagedDatabase(marts_db, exc) from None
        raise
    return con


HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers


def _check_size(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A truncated file can still open (its catalog comes first): its blocks must all be
    there."""
    row = con.execute("select block_size, total_blocks from pragma_database_size()").fetchone()
    expected = HEADER_BYTES + int(row[0]) * int(row[1]) if row else 0
    if path.stat().st_size < expected:
        con.close()
        raise duckdb.IOException(
            f"the file has {path.stat().st_size:,} bytes, its {row[1] if row else 0} blocks "
            f"need {expected:,}")


def is_whole_database(path: Path) -> bool:
    """``path`` opens as a DuckDB database with all its blocks. Only damage counts: a file
    this process already holds open with another configuration is whole."""
    if not path.is_file():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            _check_size(con, path)
    except duckdb.Error as exc:
        return not is_damage(exc)
    return True


def check_sql(sql: str, con: duckdb.DuckDBPyConnection) -> str:
    """``sql`` when it is one SELECT. Parsed on ``con``: the module-level
    ``duckdb.extract_statements`` would start DuckDB's default in-memory database first (about
    15 ms of a new ``aicapex query`` process)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse SQL: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, got {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryRefused(
            f"only SELECT queries are allowed, got {statements[0].type.name}"
        )
    return sql


def fetch(marts_db: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one read-only SELECT (no pandas: ``aicapex query`` stays quick
    to start)."""
    with connect_published(marts_db) as con:
        check_sql(sql, con)
        try:
            cursor = con.execute(sql)
            return [d[0] for d in cursor.description or []], cursor.fetchall()
        except duckdb.Error as exc:
            if is_damage(exc):
                raise DamagedDatabase(marts_db, exc) from None
            raise


def run_query(marts_db: Path, sql: str) -> pd.DataFrame:
    """The Python API: the result as a pandas DataFrame."""
    with connect_published(marts_db) as con:
        check_sql(sql, con)
        return con.execute(sql).df()


def _number(value: float | int | Decimal) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4f}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):  # years, counts: as they are
        return str(value)
    if isinstance(value, float | Decimal):
        return _number(value)
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps([{c: _json_value(v) for c, v in zip(columns, row, strict=True)}
                           for row in rows], indent=2, default=str)
    if fmt == "table":
        if not rows:
            return "(no rows)"
        cells = [[_cell(v) for v in row] for row in rows]
        numeric = [all(isinstance(row[i], int | float | Decimal) or row[i] is None
                       for row in rows) for i in range(len(columns))]
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
        lines = [[c.rjust(w) if n else c.ljust(w) for c, w, n in zip(line, widths, numeric,
                                                                      strict=True)]
                 for line in [list(columns), *cells]]
        return "\n".join(" ".join(line).rstrip() for line in lines)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
