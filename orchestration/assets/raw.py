"""Load the landing zone into the build warehouse's ``raw`` schema."""

import dagster as dg
import duckdb

from orchestration.config import AicapexConfig
from orchestration.loading import (
    SyncResult,
    load_company_facts,
    load_landing_log,
    load_submissions,
)
from orchestration.sources.sec_api import COMPANY_FACTS, SUBMISSIONS
from orchestration.universe import load_universe


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "sec_company_facts"], deps=[["sec", COMPANY_FACTS.name]],
                     description="Company facts flattened to one row per fact.",
                     group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(["raw", "sec_submissions"], deps=[["sec", SUBMISSIONS.name]],
                     description="Recent filings, one row per accession.",
                     group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(["raw", "landing_log"],
                     deps=[["sec", COMPANY_FACTS.name], ["sec", SUBMISSIONS.name],
                           ["sec", "filings"], ["energy", "eia_retail_sales"],
                           ["gpu", "gpu_prices"], ["other", "epoch_nvidia_revenue"]],
                     description="Every extract attempt: origin, sha256, bytes, status.",
                     group_name="raw", kinds={"duckdb"}),
    ],
    pool="warehouse",
    can_subset=True,  # the prices job reloads only the landing log
)
def raw_sec(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    config.warehouse_dir.mkdir(parents=True, exist_ok=True)
    universe = load_universe()

    def landed(endpoint) -> list:
        files = [config.landing_dir / endpoint.relative_path(c.cik) for c in universe]
        return [f for f in files if f.is_file()]

    selected = {tuple(key.path) for key in context.selected_asset_keys}
    synced: dict[str, SyncResult] = {}
    with duckdb.connect(str(config.build_db)) as con:
        if ("raw", "sec_company_facts") in selected:
            synced["sec_company_facts"] = load_company_facts(con, landed(COMPANY_FACTS))
        if ("raw", "sec_submissions") in selected:
            synced["sec_submissions"] = load_submissions(con, landed(SUBMISSIONS))
        log_rows = (load_landing_log(con, config.landing_log)
                    if ("raw", "landing_log") in selected else None)
    for table, result in synced.items():
        context.log.info(f"raw.{table}: {result.rows:,} rows; read {len(result.loaded)} new or "
                         f"changed file(s), {result.unchanged} unchanged, "
                         f"{len(result.removed)} removed")
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={"rows": result.rows, "files_read": dg.MetadataValue.json(result.loaded),
                      "files_unchanged": result.unchanged,
                      "files_removed": dg.MetadataValue.json(result.removed)},
        )
    if log_rows is not None:
        context.log.info(f"raw.landing_log: {log_rows:,} rows")
        yield dg.MaterializeResult(asset_key=["raw", "landing_log"], metadata={"rows": log_rows})
