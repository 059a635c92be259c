"""The same dbt models on Apache Spark, compared with the DuckDB build row for row (issue #9).

``make test-scale`` (``tests/scale/test_spark_parity.py``) drives :func:`run_parity`:

1. copy the build database (its ``raw`` schema is what ``aicapex run`` loaded; the pipeline is
   run from the snapshot first when there is none) into a work directory, holding the run lock
   so no pipeline run writes it meanwhile;
2. export every ``raw`` table to Parquet, and build the copy with ``dbt build --target duckdb``
   (the reference marts, from the current models);
3. in this process, register the Parquet files as the dbt sources of a local Spark session
   (macro ``register_parquet_sources``) and run ``dbt build --target spark`` (dbt-spark's
   ``session`` method: models, seeds, data tests and unit tests);
4. compare every mart under ``models/marts/`` between the two: same columns, same row count,
   rows matched on the mart's unique key, floating-point values equal within
   ``FLOAT_TOLERANCE``, everything else (decimals, integers, strings, dates, booleans) exact.

Needs the ``spark`` extra (``pip install -e '.[spark]'``: dbt-spark[session], pyspark 3.5)
and Java 17. Both dbt invocations write their manifests to the work directory, never to
``dbt_project/target`` (the manifest Dagster reads).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from orchestration.dbt_project import published_mart_names
from orchestration.runtime.lock import run_lock
from orchestration.settings import DBT_PROJECT_DIR, Settings

FLOAT_TOLERANCE = 1e-9
"""Relative (and absolute, near zero) tolerance for DOUBLE columns: the engines sum in
different orders. Decimals, integers, strings, dates and booleans must be equal."""

MAX_REPORTED_DIFFERENCES = 10

Row = tuple[Any, ...]


@dataclass(frozen=True)
class MartComparison:
    """One mart compared between the DuckDB and the Spark build."""

    mart: str
    key: tuple[str, ...]
    duckdb_rows: int
    spark_rows: int
    mismatches: int
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.mismatches == 0 and self.duckdb_rows == self.spark_rows


@dataclass(frozen=True)
class ParityResult:
    comparisons: list[MartComparison]
    seconds: dict[str, float]

    @property
    def ok(self) -> bool:
        return bool(self.comparisons) and all(c.ok for c in self.comparisons)


@dataclass(frozen=True)
class WorkDir:
    """Everything one parity run writes, under ``<warehouse>/spark/`` (emptied per run)."""

    root: Path
    duckdb_path: Path = field(init=False)  # the copy of the build database, rebuilt by dbt
    parquet_dir: Path = field(init=False)  # every raw table as Parquet, Spark's sources
    spark_warehouse_dir: Path = field(init=False)
    log_path: Path = field(init=False)  # dbt's logs of both builds

    def __post_init__(self) -> None:
        for name, relative in (("duckdb_path", "duckdb/aicapex.duckdb"),
                               ("parquet_dir", "raw_parquet"),
                               ("spark_warehouse_dir", "spark_warehouse"),
                               ("log_path", "dbt_logs")):
            object.__setattr__(self, name, self.root / relative)

    def target_path(self, target: str) -> Path:
        return self.root / f"dbt_target_{target}"


# ---------------------------------------------------------------------------------------------
# comparison (pure)
# ---------------------------------------------------------------------------------------------


def values_equal(left: Any, right: Any) -> bool:
    """Equal across engines: floats within tolerance, timestamps as instants, rest exact."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        if isinstance(left, Decimal | str) or isinstance(right, Decimal | str):
            return False
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, datetime) and isinstance(right, datetime):
        # DuckDB returns TIMESTAMPTZ aware; PySpark returns naive local time: compare instants
        return left.timestamp() == right.timestamp()
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    if isinstance(left, date) != isinstance(right, date):
        return False
    return bool(left == right)


def _sort_key(value: Any) -> tuple[int, str]:
    return (0, "") if value is None else (1, repr(value))


def compare_rows(
    mart: str,
    columns: Sequence[str],
    duckdb_rows: Sequence[Row],
    spark_columns: Sequence[str],
    spark_rows: Sequence[Row],
    key: Sequence[str],
) -> MartComparison:
    """Match rows on ``key`` (all columns when empty) and compare every value."""
    key = tuple(key) or tuple(columns)
    examples: list[str] = []
    mismatches = 0

    def note(message: str) -> None:
        nonlocal mismatches
        mismatches += 1
        if len(examples) < MAX_REPORTED_DIFFERENCES:
            examples.append(message)

    if list(columns) != list(spark_columns):
        note(f"columns differ: duckdb {list(columns)} vs spark {list(spark_columns)}")
        return MartComparison(mart, key, len(duckdb_rows), len(spark_rows), mismatches, examples)

    positions = [columns.index(name) for name in key]

    def index(rows: Sequence[Row], engine: str) -> dict[tuple[Any, ...], Row]:
        keyed: dict[tuple[Any, ...], Row] = {}
        for row in rows:
            row_key = tuple(row[p] for p in positions)
            if row_key in keyed:
                note(f"{engine}: key {dict(zip(key, row_key, strict=True))} is not unique")
            keyed[row_key] = row
        return keyed

    duck, spark = index(duckdb_rows, "duckdb"), index(spark_rows, "spark")
    for row_key in sorted(duck.keys() | spark.keys(), key=lambda k: [_sort_key(v) for v in k]):
        labelled = dict(zip(key, row_key, strict=True))
        if row_key not in spark:
            note(f"only in duckdb: {labelled}")
        elif row_key not in duck:
            note(f"only in spark: {labelled}")
        else:
            for name, left, right in zip(columns, duck[row_key], spark[row_key], strict=True):
                if not values_equal(left, right):
                    note(f"{labelled} {name}: duckdb {left!r} vs spark {right!r}")
    return MartComparison(mart, key, len(duckdb_rows), len(spark_rows), mismatches, examples)


def format_report(result: ParityResult) -> str:
    width = max((len(c.mart) for c in result.comparisons), default=4)
    lines = [
        f"{'mart':<{width}}  {'duckdb rows':>11}  {'spark rows':>10}  {'mismatches':>10}  key",
    ]
    for c in result.comparisons:
        lines.append(
            f"{c.mart:<{width}}  {c.duckdb_rows:>11}  {c.spark_rows:>10}  {c.mismatches:>10}  "
            f"{', '.join(c.key)}"
        )
        lines.extend(f"    {example}" for example in c.examples)
    total = sum(c.duckdb_rows for c in result.comparisons)
    lines.append(
        f"{len(result.comparisons)} marts, {total} rows compared: "
        + ("identical" if result.ok else "DIFFERENCES FOUND")
    )
    lines.append(
        "seconds: " + ", ".join(f"{step} {secs:.1f}" for step, secs in result.seconds.items())
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# the two builds
# ---------------------------------------------------------------------------------------------


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'raw' order by table_name"
    ).fetchall()
    return [name for (name,) in rows]


def ensure_build_database(settings: Settings) -> None:
    """Run the pipeline (snapshot by default) when there is no build database to compare from."""
    if settings.build_db.exists():
        return
    aicapex = Path(sys.executable).parent / "aicapex"
    subprocess.run([str(aicapex), "run"], check=True)


def copy_build_database(settings: Settings, work: WorkDir) -> None:
    """A private copy of the build database, taken while no pipeline run can write it."""
    with run_lock(settings.warehouse_dir, wait=True):
        if not settings.build_db.exists():
            raise FileNotFoundError(f"{settings.build_db} does not exist: run `make run` first")
        work.duckdb_path.parent.mkdir(parents=True)
        shutil.copy2(settings.build_db, work.duckdb_path)
    with duckdb.connect(str(work.duckdb_path), read_only=True) as con:
        if not raw_tables(con):
            raise RuntimeError(f"{settings.build_db} has no raw tables: run `make run` first")


def export_raw_to_parquet(duckdb_path: Path, parquet_dir: Path) -> list[str]:
    """Every ``raw`` table as ``<parquet_dir>/<table>.parquet``; returns the table names."""
    parquet_dir.mkdir(parents=True)
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        tables = raw_tables(con)
        for table in tables:
            target = (parquet_dir / f"{table}.parquet").as_posix().replace("'", "''")
            con.execute(f"copy raw.{table} to '{target}' (format parquet)")
    return tables


def _dbt(args: list[str], target: str, work: WorkDir, profile_vars: dict[str, str]) -> None:
    """One in-process dbt invocation (the Spark session must outlive it); ``profile_vars`` are
    the ``--vars`` that ``profiles.yml`` reads (paths of this work directory)."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke([
        *args,
        "--vars", json.dumps(profile_vars),
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target", target,
        "--target-path", str(work.target_path(target)),
        "--log-path", str(work.log_path),
    ])
    if not result.success:
        raise RuntimeError(
            f"dbt {args[0]} --target {target} failed ({result.exception or 'see output'}); "
            f"log: {work.log_path / 'dbt.log'}"
        )


def build_duckdb(work: WorkDir) -> None:
    _dbt(["build"], "duckdb", work, {"build_db": str(work.duckdb_path)})


def build_spark(work: WorkDir) -> None:
    """Register the raw Parquet files as sources, then build everything on Spark."""
    from pyspark.sql import SparkSession

    profile_vars = {"spark_warehouse_dir": str(work.spark_warehouse_dir)}
    _dbt(
        ["run-operation", "register_parquet_sources",
         "--args", json.dumps({"parquet_dir": work.parquet_dir.as_posix()})],
        "spark", work, profile_vars,
    )
    # dbt-spark re-applies its settings before every statement, and Spark warns each time
    SparkSession.builder.getOrCreate().sparkContext.setLogLevel("ERROR")
    _dbt(["build"], "spark", work, profile_vars)


def unique_keys(manifest: Path) -> dict[str, tuple[str, ...]]:
    """Each model's unique key, from its unique_combination_of_columns (or unique) test."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    keys: dict[str, tuple[str, ...]] = {}
    for node in data["nodes"].values():
        meta = node.get("test_metadata") or {}
        attached = node.get("attached_node") or ""
        model = attached.rsplit(".", 1)[-1]
        kwargs = meta.get("kwargs", {})
        if meta.get("name") == "unique_combination_of_columns":
            keys[model] = tuple(kwargs["combination_of_columns"])
        elif meta.get("name") == "unique" and model not in keys:
            keys[model] = (kwargs["column_name"],)
    return keys


def compare_marts(work: WorkDir) -> list[MartComparison]:
    from pyspark.sql import SparkSession

    manifest = work.target_path("spark") / "manifest.json"
    keys = unique_keys(manifest)
    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark created
    comparisons = []
    # read-write like dbt-duckdb's connection, which stays open in this process after the build
    with duckdb.connect(str(work.duckdb_path)) as con:
        for mart in published_mart_names(manifest):
            cursor = con.execute(f"select * from audit.{mart}")
            columns = [d[0] for d in cursor.description]
            duck_rows = [tuple(r) for r in cursor.fetchall()]
            frame = spark.table(f"audit.{mart}")
            spark_rows = [tuple(r) for r in frame.collect()]
            comparisons.append(
                compare_rows(mart, columns, duck_rows, frame.columns, spark_rows,
                             keys.get(mart, ()))
            )
    return comparisons


def _timed(seconds: dict[str, float], step: str, action: Callable[[], object]) -> None:
    started = time.monotonic()
    action()
    seconds[step] = time.monotonic() - started


def run_parity(settings: Settings | None = None) -> ParityResult:
    """Build the marts on DuckDB and on Spark from the same raw data and compare them."""
    if settings is None:
        from orchestration.resources import load_config

        settings = load_config().get()
    ensure_build_database(settings)
    work = WorkDir(settings.warehouse_dir / "spark")
    shutil.rmtree(work.root, ignore_errors=True)
    work.root.mkdir(parents=True)
    seconds: dict[str, float] = {}
    _timed(seconds, "copy", lambda: copy_build_database(settings, work))
    _timed(seconds, "parquet_export",
           lambda: export_raw_to_parquet(work.duckdb_path, work.parquet_dir))
    _timed(seconds, "duckdb_build", lambda: build_duckdb(work))
    _timed(seconds, "spark_build", lambda: build_spark(work))
    comparisons: list[MartComparison] = []
    _timed(seconds, "compare", lambda: comparisons.extend(compare_marts(work)))
    return ParityResult(comparisons, seconds)
