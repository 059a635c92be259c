"""The publish asset: runs only after every blocking gate on every mart has passed."""

import dagster as dg

from orchestration.dbt_project import published_mart_names
from orchestration.load_state import INPUTS_TAG, build_fingerprint, record_published
from orchestration.publish import publish
from orchestration.quality.ledger import read_ledger, record_publish
from orchestration.resources import AicapexConfig


def build_publish_asset(marts: tuple[str, ...]) -> dg.AssetsDefinition:
    """The publish asset over ``marts`` (from the dbt manifest, when the ``Definitions`` are
    built)."""

    @dg.asset(
        key="published_marts",
        deps=[dg.AssetKey(["audit", mart]) for mart in marts],
        group_name="publish",
        description="warehouse/marts.duckdb (+ Parquet), swapped in atomically after all gates "
                    "pass.",
        pool="warehouse",
        kinds={"duckdb", "parquet"},
    )
    def published_marts(
        context: dg.AssetExecutionContext, settings: AicapexConfig
    ) -> dg.MaterializeResult:
        config = settings.get()
        context.log.info(f"publishing: building a new {config.marts_db.name} from the audit "
                         "schema")
        result = publish(config, read_ledger(config.reports_dir, context.run_id))
        record_publish(config.reports_dir, context.run_id, result.record())
        record_published(config, build_fingerprint(config.build_db), context.run_id,
                         context.run.tags.get(INPUTS_TAG))
        if result.unchanged:
            context.log.info(f"nothing new: {result.path} left as it was")
        else:
            context.log.info(f"published {result.path}: {result.row_counts}")
        return dg.MaterializeResult(
            metadata={
                "path": str(result.path),
                "published_at": result.published_at,
                "previous_kept_as": str(result.previous_kept_as or ""),
                "unchanged": result.unchanged,
                **{f"rows_{table}": count for table, count in result.row_counts.items()},
            }
        )

    return published_marts


# the marts come from the dbt manifest, like the dbt assets themselves (assets/dbt.py)
published_marts = build_publish_asset(published_mart_names())
