"""Gates on the audit marts: GX suites, a volume guard and a raw-input freshness check.

Each check writes its result to the run ledger (``orchestration.quality.ledger``) as well as
returning it to Dagster (which blocks publish on a failed blocking check). The GX suites of all
marts run in one step (one GX context, one Data Docs render per run), and so do the volume
guards: one blocking check per mart each, as before, without a Dagster step per mart.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.dbt_project import published_mart_names
from orchestration.publish import last_good_published
from orchestration.quality.checks import check_results
from orchestration.quality.gx import SuiteOutcome, data_docs_index, load_suite_json, validate_frames
from orchestration.quality.ledger import record_checks
from orchestration.resources import AicapexConfig
from orchestration.settings import EXPECTATIONS_DIR, Settings
from orchestration.sources.gpu import RAW_FILE_SOURCES


def _record(run_id: str, config: Settings, result: dg.AssetCheckResult) -> dg.AssetCheckResult:
    """``result`` written to the run ledger as well (Dagster gets it from the caller)."""
    record_checks(config.reports_dir, check_results(run_id, result))
    return result


def gate(asset: dg.AssetKey, name: str, description: str, blocking: bool = True):
    """Make ``evaluate(settings) -> AssetCheckResult`` an asset check on ``asset`` whose result
    goes to the run ledger as well as to Dagster (which blocks publish on a failed blocking
    check)."""

    def wrap(evaluate: Callable[[Settings], dg.AssetCheckResult]) -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=asset, name=name, description=description, blocking=blocking,
                        pool="warehouse")
        def _check(context: dg.AssetCheckExecutionContext,
                   settings: AicapexConfig) -> dg.AssetCheckResult:
            config = settings.get()
            result = evaluate(config)
            return _record(context.run.run_id, config,
                           result._replace(asset_key=asset, check_name=name))

        return _check

    return wrap


def mart_gates(marts: tuple[str, ...], prefix: str, description: str,
               evaluate: Callable[[Settings, list[str]], list[dg.AssetCheckResult]]
               ) -> dg.AssetChecksDefinition:
    """One blocking check ``<prefix><mart>`` per mart, all evaluated in one step (one Dagster
    step instead of one per mart; ``evaluate(settings, selected marts)`` returns a result per
    mart, in order). Each result goes to the run ledger as well as to Dagster."""
    specs = [dg.AssetCheckSpec(f"{prefix}{mart}", asset=dg.AssetKey(["audit", mart]),
                               blocking=True, description=description.format(mart=mart))
             for mart in marts]

    @dg.multi_asset_check(specs=specs, name=f"{prefix}marts", can_subset=True, pool="warehouse")
    def _checks(context: dg.AssetCheckExecutionContext, settings: AicapexConfig):
        config = settings.get()
        selected = {key.name for key in context.selected_asset_check_keys}
        chosen = [mart for mart in marts if f"{prefix}{mart}" in selected]
        for mart, result in zip(chosen, evaluate(config, chosen), strict=True):
            yield _record(context.run.run_id, config, result._replace(
                asset_key=dg.AssetKey(["audit", mart]), check_name=f"{prefix}{mart}"))

    return _checks


def read_audit_mart(build_db: str, mart: str):
    with duckdb.connect(build_db, read_only=True) as con:
        return con.execute(f"select * from audit.{mart}").df()


def check_result(outcome: SuiteOutcome, suite_path: str, docs: Path) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{len(outcome.outcomes) - len(outcome.failures)}/{len(outcome.outcomes)} "
            f"expectations passed on {outcome.rows} rows"
        ),
        metadata={
            "check_type": "gx_suite",
            "suite": suite_path,
            "data_docs": dg.MetadataValue.path(str(docs)),
            "rows": outcome.rows,
            "failed_expectations": dg.MetadataValue.json(
                [f.describe() for f in outcome.failures]
            ),
            "results": dg.MetadataValue.json(
                [{"expectation": o.expectation, "kwargs": o.kwargs, "success": o.success,
                  "observed_value": o.observed_value, "unexpected_count": o.unexpected_count,
                  "failing_rows": o.failing_rows} for o in outcome.outcomes]
            ),
        },
    )


def gx_suites(config: Settings, marts: list[str]) -> list[dg.AssetCheckResult]:
    """Each mart's GX suite on its audit table: one GX context and one Data Docs render."""
    paths = [EXPECTATIONS_DIR / f"{mart}.json" for mart in marts]
    batches = []
    for mart, path in zip(marts, paths, strict=True):
        suite = load_suite_json(path)
        keys = tuple(suite.get("meta", {}).get("key_columns", ()))
        batches.append((suite, read_audit_mart(str(config.build_db), mart), keys))
    outcomes = validate_frames(batches, project_root=config.gx_project_dir)
    docs = data_docs_index(config.gx_project_dir)
    return [check_result(outcome, str(path), docs)
            for outcome, path in zip(outcomes, paths, strict=True)]


def volume(config: Settings, marts: list[str]) -> list[dg.AssetCheckResult]:
    """Each mart's row count against the published version's."""
    published = last_good_published(config)  # a damaged published file is skipped
    return [_volume(config, published, mart) for mart in marts]


def _volume(config: Settings, published: Path | None, mart: str) -> dg.AssetCheckResult:
    with duckdb.connect(str(config.build_db), read_only=True) as con:
        new_row = con.execute(f"select count(*) from audit.{mart}").fetchone()
    new = int(new_row[0]) if new_row else 0
    old = None
    if published is not None:
        with duckdb.connect(str(published), read_only=True) as con:
            exists = con.execute(
                "select count(*) from information_schema.tables where table_name = ?",
                [mart],
            ).fetchone()
            if exists and exists[0]:
                old_row = con.execute(f"select count(*) from {mart}").fetchone()
                old = int(old_row[0]) if old_row else 0
    limit = config.max_row_drop_pct
    drop = 0.0 if not old else max(0.0, 100.0 * (old - new) / old)
    passed = drop <= limit and new > 0
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{new} rows vs {old if old is not None else 'nothing'} published "
            f"(drop {drop:.1f} %, limit {limit:g} %)"
        ),
        metadata={"check_type": "volume", "observed_value": f"{new} rows",
                  "published_rows": old if old is not None else -1, "drop_pct": drop},
    )


@gate(dg.AssetKey(["raw", "sec_company_facts"]), "freshness_sec_company_facts",
      "Newest company-facts filing per company is at most AICAPEX_MAX_SOURCE_AGE_DAYS old "
      "(warning: a company that stopped filing is reported, not blocked)", blocking=False)
def freshness_sec_company_facts(config: Settings) -> dg.AssetCheckResult:
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


def freshness_check(table: str, newest_sql: str) -> dg.AssetChecksDefinition:
    """Warn (never block) when the newest observation of a raw price table is too old."""
    variable = f"AICAPEX_MAX_{table.upper()}_AGE_DAYS"

    @gate(dg.AssetKey(["raw", table]), f"freshness_{table}",
          f"Newest row of raw.{table} at most {variable} days old (warning)", blocking=False)
    def newest_row(config: Settings) -> dg.AssetCheckResult:
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

    return newest_row


@gate(dg.AssetKey(["raw", "gpu_prices"]), "freshness_gpu_prices",
      "Newest row of each source in raw.gpu_prices at most AICAPEX_MAX_GPU_PRICES_AGE_DAYS days "
      "old (warning); sources that are raw files in GitHub repositories are named as such",
      blocking=False)
def freshness_gpu_prices(config: Settings) -> dg.AssetCheckResult:
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


price_freshness_checks = [
    freshness_check("eia_retail_sales",
                    "max(try_cast(period || '-01' as date)) filter (where frequency = 'monthly')"),
    freshness_gpu_prices,
]

def build_checks() -> list[dg.AssetChecksDefinition]:
    """Every gate: a GX suite and a volume guard per published mart, and the freshness checks
    (the marts come from the dbt manifest: call this when building the ``Definitions``)."""
    marts = published_mart_names()
    return [mart_gates(marts, "gx_", "Great Expectations suite expectations/{mart}.json",
                       gx_suites),
            mart_gates(marts, "volume_", "audit.{mart} may not have more than "
                       "AICAPEX_MAX_ROW_DROP_PCT % fewer rows than the published version",
                       volume),
            freshness_sec_company_facts, *price_freshness_checks]


# the marts come from the dbt manifest, like the dbt assets themselves (assets/dbt.py)
all_checks = build_checks()
