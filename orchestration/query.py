"""The read-only query surface over the published marts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

FORMATS = ("table", "csv", "json")


class QueryRefused(ValueError):
    """The SQL is not a single read-only SELECT; the message says why."""


def connect_published(marts_db: Path) -> duckdb.DuckDBPyConnection:
    """Open the published file read-only with file/network access disabled and locked."""
    if not marts_db.is_file():
        raise FileNotFoundError(
            f"{marts_db} does not exist yet: run `make run` (or `aicapex run`) first"
        )
    return duckdb.connect(
        str(marts_db),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


def check_sql(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse SQL: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, got {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryRefused(
            f"only SELECT queries are allowed, got {statements[0].type.name}"
        )
    return sql


def run_query(marts_db: Path, sql: str) -> pd.DataFrame:
    check_sql(sql)
    with connect_published(marts_db) as con:
        return con.execute(sql).df()


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4f}"


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        return json.dumps(
            json.loads(frame.to_json(orient="records", date_format="iso")), indent=2
        )
    if fmt == "table":
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 250, "display.float_format", _number):
            return frame.to_string(index=False) if len(frame) else "(no rows)"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
