"""Gates on the audit marts: GX suites, a volume guard and a raw-input freshness check.

Each check writes its result to the run ledger (``orchestration.quality.ledger``) as well as
returning it to Dagster (which blocks publish on a failed blocking check). The GX suites of all
marts run in one step (one GX context, one Data Docs render per run), and so do the volume
guards: one blocking check per mart each, as before, without a Dagster step per mart.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.dbt_project import published_mart_names
from orchestration.publish import last_good_published
from orchestration.quality.checks import check_results
from orchestration.quality.freshness import FRESHNESS_CHECKS
from orchestration.quality.gx import SuiteOutcome, data_docs_index, load_suite_json, validate_frames
from orchestration.quality.ledger import record_checks
from orchestration.resources import AicapexConfig
from orchestration.settings import EXPECTATIONS_DIR, Settings


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


freshness_checks = [gate(dg.AssetKey(list(check.asset)), check.name, check.description,
                         blocking=False)(check.evaluate) for check in FRESHNESS_CHECKS]


def build_checks() -> list[dg.AssetChecksDefinition]:
    """Every gate: a GX suite and a volume guard per published mart, and the freshness checks
    (the marts come from the dbt manifest: call this when building the ``Definitions``)."""
    marts = published_mart_names()
    return [mart_gates(marts, "gx_", "Great Expectations suite expectations/{mart}.json",
                       gx_suites),
            mart_gates(marts, "volume_", "audit.{mart} may not have more than "
                       "AICAPEX_MAX_ROW_DROP_PCT % fewer rows than the published version",
                       volume),
            *freshness_checks]


# the marts come from the dbt manifest, like the dbt assets themselves (assets/dbt.py)
all_checks = build_checks()
