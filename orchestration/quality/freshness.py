"""Warnings (never blocking) on how old the newest raw data is.

Asset checks on the raw tables in every run of the main job (``assets/gates.py``), and evaluated
by the unchanged fast path too (``runtime/unchanged.py``): a source that stops filing is
noticed precisely when nothing new comes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import dagster as dg
import duckdb

from orchestration.settings import Settings
from orchestration.sources.gpu import RAW_FILE_SOURCES


@dataclass(frozen=True)
class FreshnessCheck:
    asset: tuple[str, ...]
    name: str
    description: str
    evaluate: Callable[[Settings], dg.AssetCheckResult]


def sec_company_facts(config: Settings) -> dg.AssetCheckResult:
    max_age = config.max_source_age_days
    with duckdb.connect(str(config.build_db), read_only=True) as con:
        rows = con.execute(
            "select cik, max(filed) from raw.sec_company_facts group by cik order by cik"
        ).fetchall()
    today = date.today()
    stale = [(cik, str(filed)) for cik, filed in rows if (today - filed).days > max_age]
    as_of = {str(cik): str(filed) for cik, filed in rows}
    return dg.AssetCheckResult(
        passed=not stale and bool(rows),
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"newest filing per CIK: {as_of}" if not stale
            else f"older than {max_age} days: {stale}"
        ),
        metadata={"check_type": "freshness", "observed_value": str(as_of),
                  "failing_rows": dg.MetadataValue.json(
                      [{"cik": c, "newest_filed": f} for c, f in stale])},
    )


def newest_row(table: str, newest_sql: str) -> FreshnessCheck:
    """Warn when the newest observation of a raw price table is too old."""
    variable = f"AICAPEX_MAX_{table.upper()}_AGE_DAYS"

    def evaluate(config: Settings) -> dg.AssetCheckResult:
        max_age = config.max_table_age_days[table]
        with duckdb.connect(str(config.build_db), read_only=True) as con:
            row = con.execute(f"select {newest_sql} from raw.{table}").fetchone()
        newest = row[0] if row else None
        age = (date.today() - newest).days if newest else None
        return dg.AssetCheckResult(
            passed=age is not None and age <= max_age,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"newest row {newest} ({age} days old, limit {max_age})",
            metadata={"check_type": "freshness", "observed_value": str(newest)},
        )

    return FreshnessCheck(("raw", table), f"freshness_{table}",
                          f"Newest row of raw.{table} at most {variable} days old (warning)",
                          evaluate)


def gpu_prices(config: Settings) -> dg.AssetCheckResult:
    max_age = config.max_table_age_days["gpu_prices"]
    with duckdb.connect(str(config.build_db), read_only=True) as con:
        rows = con.execute("select source, cast(max(observed_at) as date) from raw.gpu_prices "
                           "where observed_at is not null group by source order by source"
                           ).fetchall()
    today = date.today()
    stale = [(source, newest) for source, newest in rows if (today - newest).days > max_age]
    lines = [f"{source}: newest row {newest} ({(today - newest).days} days old)"
             + (f"; {RAW_FILE_SOURCES[source]}" if source in RAW_FILE_SOURCES else "")
             for source, newest in stale]
    return dg.AssetCheckResult(
        passed=bool(rows) and not stale,
        severity=dg.AssetCheckSeverity.WARN,
        description=(f"older than {max_age} days: " + " | ".join(lines) if stale
                     else f"every source within {max_age} days" if rows else "no rows"),
        metadata={"check_type": "freshness",
                  "observed_value": str({s: str(n) for s, n in rows}),
                  "failing_rows": dg.MetadataValue.json(
                      [{"source": s, "newest": str(n), "note": RAW_FILE_SOURCES.get(s, "")}
                       for s, n in stale])},
    )


FRESHNESS_CHECKS = (
    FreshnessCheck(
        ("raw", "sec_company_facts"), "freshness_sec_company_facts",
        "Newest company-facts filing per company is at most AICAPEX_MAX_SOURCE_AGE_DAYS old "
        "(warning: a company that stopped filing is reported, not blocked)", sec_company_facts),
    newest_row("eia_retail_sales",
               "max(try_cast(period || '-01' as date)) filter (where frequency = 'monthly')"),
    FreshnessCheck(
        ("raw", "gpu_prices"), "freshness_gpu_prices",
        "Newest row of each source in raw.gpu_prices at most AICAPEX_MAX_GPU_PRICES_AGE_DAYS days "
        "old (warning); sources that are raw files in GitHub repositories are named as such",
        gpu_prices),
)
