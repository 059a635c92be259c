"""Compare every published mart of two marts files row for row.

Usage: ``python -m bench.compare_marts OLD.duckdb NEW.duckdb``

For a refactoring that must not change behaviour: build on ``main`` before the change, keep its
``warehouse/marts.duckdb``, build after, and compare. Every table in the ``main`` schema of either
file is compared (``publish_log`` and ``dq_results`` aside: they describe the run, not the data):
the same column names, order and types, the same row count, and the same rows regardless of their
order. A row matches another exactly, or else when every value is equal as
``orchestration.spark_target.values_equal`` defines it (DOUBLE values within a relative 1e-9:
DuckDB may sum in another order between runs). Prints one line per mart and the differing rows;
exits 1 when any mart differs, 0 when all are identical.

``loaded_at`` says when a run loaded its inputs, not what the data is, and differs between any two
runs: it is left out of the comparison unless ``--all-columns`` is given. So is ``source_file``,
the landed file: since 2026-11-29 its path inside the landing zone, the same in every checkout,
but before that the publisher's absolute path, so marts built earlier differ in it.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from orchestration.spark_target import values_equal

IGNORED_TABLES = frozenset({"publish_log", "dq_results"})
RUN_COLUMNS = frozenset({"loaded_at", "source_file"})
MAX_SHOWN_ROWS = 5

Row = tuple[Any, ...]


@dataclass(frozen=True)
class MartDiff:
    mart: str
    old_rows: int | None
    new_rows: int | None
    problems: list[str] = field(default_factory=list)
    only_old: list[Row] = field(default_factory=list)
    only_new: list[Row] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.problems and not self.only_old and not self.only_new


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' order by table_name"
    ).fetchall()
    return [name for (name,) in rows if name not in IGNORED_TABLES]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = 'main' and table_name = ? order by column_index",
        [table],
    ).fetchall()
    return [(name, kind) for name, kind in rows]


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]) -> list[Row]:
    selected = ", ".join(f'"{name}"' for name in columns)
    return [tuple(row) for row in con.execute(f'select {selected} from main."{table}"').fetchall()]


def _value_equal(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return values_equal(left, right)


def _rows_equal(left: Row, right: Row) -> bool:
    return all(_value_equal(a, b) for a, b in zip(left, right, strict=True))


def diff_rows(old: Sequence[Row], new: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    """Rows only in ``old`` and only in ``new`` (as multisets, order-independent)."""
    old_counts, new_counts = Counter(old), Counter(new)
    only_old = list((old_counts - new_counts).elements())
    only_new = list((new_counts - old_counts).elements())
    # what is left may still match within the float tolerance
    unmatched_new = list(only_new)
    still_old: list[Row] = []
    for row in only_old:
        match = next((i for i, other in enumerate(unmatched_new) if _rows_equal(row, other)), None)
        if match is None:
            still_old.append(row)
        else:
            unmatched_new.pop(match)
    return still_old, unmatched_new


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    (count,) = con.execute(f'select count(*) from main."{table}"').fetchone() or (0,)
    return int(count)


def compared_columns(columns: Sequence[tuple[str, str]], ignored: frozenset[str]) -> list[str]:
    return [name for name, _ in columns if name not in ignored]


def compare_mart(
    old: duckdb.DuckDBPyConnection,
    new: duckdb.DuckDBPyConnection,
    mart: str,
    ignored: frozenset[str] = RUN_COLUMNS,
) -> MartDiff:
    old_tables, new_tables = set(_tables(old)), set(_tables(new))
    if mart not in new_tables:
        return MartDiff(mart, _count(old, mart), None, ["missing in NEW"])
    if mart not in old_tables:
        return MartDiff(mart, None, _count(new, mart), ["missing in OLD"])
    old_columns, new_columns = _columns(old, mart), _columns(new, mart)
    names = compared_columns(old_columns, ignored)
    old_rows, new_rows = _rows(old, mart, names), _rows(new, mart, names)
    if old_columns != new_columns:
        return MartDiff(
            mart, len(old_rows), len(new_rows),
            [f"columns differ: OLD {old_columns} vs NEW {new_columns}"],
        )
    only_old, only_new = diff_rows(old_rows, new_rows)
    problems = []
    if len(old_rows) != len(new_rows):
        problems.append(f"row count differs: OLD {len(old_rows)} vs NEW {len(new_rows)}")
    return MartDiff(mart, len(old_rows), len(new_rows), problems, only_old, only_new)


def compare_files(
    old_path: Path, new_path: Path, ignored: frozenset[str] = RUN_COLUMNS
) -> tuple[list[MartDiff], dict[str, list[str]]]:
    """Every mart compared, and the compared column names of each mart present in NEW."""
    with (
        duckdb.connect(str(old_path), read_only=True) as old,
        duckdb.connect(str(new_path), read_only=True) as new,
    ):
        marts = sorted(set(_tables(old)) | set(_tables(new)))
        diffs = [compare_mart(old, new, mart, ignored) for mart in marts]
        names = {
            mart: compared_columns(_columns(new, mart), ignored)
            for mart in marts if mart in set(_tables(new))
        }
        return diffs, names


def format_report(diffs: Sequence[MartDiff], columns: dict[str, list[str]] | None = None) -> str:
    width = max((len(d.mart) for d in diffs), default=4)
    lines = [f"{'mart':<{width}}  {'old rows':>8}  {'new rows':>8}  result"]
    for d in diffs:
        old_rows = "-" if d.old_rows is None else str(d.old_rows)
        new_rows = "-" if d.new_rows is None else str(d.new_rows)
        verdict = "identical" if d.identical else (
            f"DIFFERENT ({len(d.only_old)} rows only in OLD, {len(d.only_new)} only in NEW)"
        )
        lines.append(f"{d.mart:<{width}}  {old_rows:>8}  {new_rows:>8}  {verdict}")
        lines.extend(f"    {problem}" for problem in d.problems)
        names = (columns or {}).get(d.mart)
        for label, rows in (("OLD", d.only_old), ("NEW", d.only_new)):
            for row in rows[:MAX_SHOWN_ROWS]:
                shown = dict(zip(names, row, strict=True)) if names else row
                lines.append(f"    only in {label}: {shown}")
            if len(rows) > MAX_SHOWN_ROWS:
                lines.append(f"    ... and {len(rows) - MAX_SHOWN_ROWS} more only in {label}")
    differing = sum(not d.identical for d in diffs)
    lines.append(
        f"{len(diffs) - differing} of {len(diffs)} marts identical"
        + (f"; {differing} differ" if differing else "")
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.compare_marts",
        description="Compare every mart of two marts.duckdb files row for row.",
    )
    parser.add_argument("old", type=Path, help="marts file before the change")
    parser.add_argument("new", type=Path, help="marts file after the change")
    parser.add_argument(
        "--all-columns", action="store_true",
        help=f"compare the run columns too ({', '.join(sorted(RUN_COLUMNS))})",
    )
    args = parser.parse_args(argv)
    for path in (args.old, args.new):
        if not path.is_file():
            parser.error(f"{path}: no such file")
    ignored = frozenset() if args.all_columns else RUN_COLUMNS
    diffs, names = compare_files(args.old, args.new, ignored)
    print(format_report(diffs, names))
    return 0 if diffs and all(d.identical for d in diffs) else 1


if __name__ == "__main__":
    sys.exit(main())
