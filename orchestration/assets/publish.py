"""The publish asset: runs only after every blocking gate on every mart has passed."""

import dagster as dg

from orchestration.config import AicapexConfig
from orchestration.dbt_project import dbt_project
from orchestration.dq import run_check_results
from orchestration.load_state import build_fingerprint, record_published
from orchestration.publish import MARTS, publish


@dg.asset(
    key="published_marts",
    deps=[dg.AssetKey(["audit", mart]) for mart in MARTS],
    group_name="publish",
    description="warehouse/marts.duckdb (+ Parquet), swapped in atomically after all gates pass.",
    pool="warehouse",
    kinds={"duckdb", "parquet"},
)
def published_marts(
    context: dg.AssetExecutionContext, settings: AicapexConfig
) -> dg.MaterializeResult:
    config = settings.get()
    context.log.info(f"publishing: building a new {config.marts_db.name} from the audit schema")
    dq = run_check_results(context.instance, context.run_id, config.build_db,
                           dbt_project.manifest_path)
    result = publish(config, context.run_id, dq)
    record_published(config, build_fingerprint(config.build_db), context.run_id)
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
