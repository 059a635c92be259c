"""SEC 10-K/10-Q filings: extract per company (pool ``sec_api``), then the raw XBRL fact load."""

import dagster as dg
import duckdb

from orchestration.assets.sec import SEC_POOL, company_partitions
from orchestration.config import AicapexConfig
from orchestration.loading_filings import load_filings
from orchestration.sources.sec_filings import extract_filings
from orchestration.universe import company_by_ticker

FILINGS_KEY = ["sec", "filings"]


@dg.asset(
    key=FILINGS_KEY,
    description=(
        "10-K/10-Q filings per company (sec-edgar-downloader live, or the snapshot's "
        "sec-edgar-filings/ tree), landed once per accession."
    ),
    group_name="sec_extract",
    partitions_def=company_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=SEC_POOL,
    kinds={"python", "xbrl"},
)
def sec_filings(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    landed, skipped, rejected, missing, failed = [], [], [], [], []
    for ticker in context.partition_keys:
        result = extract_filings(config, company_by_ticker(ticker))
        landed += [f"{ticker} {a}" for a in result.landed]
        skipped += [f"{ticker} {a}" for a in result.skipped]
        rejected += [f"{ticker} {r}" for r in result.rejected]
        failed += [f"{ticker}: {f}" for f in result.failed]
        if result.missing:
            context.log.warning(f"{ticker}: no filings in {config.snapshot_dir}")
            missing.append(ticker)
        for item in result.rejected:
            context.log.warning(f"{ticker}: rejected {item}")
        context.log.info(f"{ticker}: {len(result.landed)} filing(s) landed, "
                         f"{len(result.skipped)} already landed")
    if failed:
        raise dg.Failure(
            description=f"filings: {len(failed)} download/landing failure(s)",
            metadata={"errors": dg.MetadataValue.md("\n".join(f"- {e}" for e in failed))},
        )
    return dg.MaterializeResult(metadata={
        "mode": config.mode,
        "landed": len(landed),
        "already_landed": len(skipped),
        "rejected": dg.MetadataValue.json(rejected),
        "missing": ", ".join(missing),
    })


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "sec_filings"], deps=[FILINGS_KEY],
                     description="One row per landed filing: document, DEI metadata, extraction "
                                 "counts and errors.",
                     group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(["raw", "sec_filing_facts"], deps=[FILINGS_KEY],
                     description="Numeric XBRL facts of every landed filing, dimensions included.",
                     group_name="raw", kinds={"duckdb"}),
    ],
    pool="warehouse",
)
def raw_sec_filings(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    config.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(config.build_db)) as con:
        counts, unchanged = load_filings(con, config.landing_dir)
        errors = con.execute(
            "select accession_number, coalesce(extract_error, '') from raw.sec_filings "
            "where extract_error is not null or facts_with_errors > 0"
        ).fetchall()
    for accession, error in errors:
        context.log.warning(f"filing {accession}: {error or 'facts with parse errors'}")
    for table, rows in counts.items():
        note = " (landed filings unchanged: not extracted again)" if unchanged else ""
        context.log.info(f"raw.{table}: {rows:,} rows{note}")
        yield dg.MaterializeResult(asset_key=["raw", table],
                                   metadata={"rows": rows, "unchanged": unchanged})
