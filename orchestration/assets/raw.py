"""Load the landing zone into the build warehouse's ``raw`` schema."""

import dagster as dg
import duckdb

from orchestration.loading import load_company_facts, load_landing_log, load_submissions
from orchestration.resources import SettingsResource
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
def raw_sec(context: dg.AssetExecutionContext, settings: SettingsResource):
    config = settings.get()
    config.warehouse_dir.mkdir(parents=True, exist_ok=True)
    universe = load_universe()

    def landed(endpoint) -> list:
        files = [config.landing_dir / endpoint.relative_path(c.cik) for c in universe]
        return [f for f in files if f.is_file()]

    selected = {tuple(key.path) for key in context.selected_asset_keys}
    counts = {}
    with duckdb.connect(str(config.build_db)) as con:
        if ("raw", "sec_company_facts") in selected:
            facts_files = landed(COMPANY_FACTS)
            counts[("raw", "sec_company_facts")] = (
                load_company_facts(con, facts_files), facts_files)
        if ("raw", "sec_submissions") in selected:
            submission_files = landed(SUBMISSIONS)
            counts[("raw", "sec_submissions")] = (
                load_submissions(con, submission_files), submission_files)
        if ("raw", "landing_log") in selected:
            counts[("raw", "landing_log")] = (load_landing_log(con, config.landing_log), [])
    for key, (rows, files) in counts.items():
        context.log.info(f"{'.'.join(key)}: {rows:,} rows from {len(files)} file(s)")
        yield dg.MaterializeResult(
            asset_key=list(key),
            metadata={"rows": rows, "files": dg.MetadataValue.json([str(f) for f in files])},
        )
