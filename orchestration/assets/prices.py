"""Electricity prices, GPU prices and Epoch's NVIDIA revenue: extract -> landing -> raw.*."""

import sys

import dagster as dg
import duckdb
import pandas as pd

from orchestration.config import AicapexConfig
from orchestration.load_state import digest, file_hashes, files_under, module_hash
from orchestration.loading import replace_table, unchanged_rows
from orchestration.sources import energy, epoch, gpu
from orchestration.sources.documents import DocumentError

ENERGY_COLUMNS = """
    period varchar, frequency varchar, state varchar, sector varchar,
    price_cents_per_kwh double, sales_mwh double, revenue_usd double, customers double,
    status varchar, source varchar, source_file varchar, loaded_at timestamptz
"""
GPU_COLUMNS = """
    observed_at timestamptz, gpu_model varchar, gpu_variant varchar, provider varchar,
    price_type varchar, usd_per_gpu_hour double, usd_per_gpu double, instance_type varchar,
    gpus_per_instance integer, region varchar, source varchar, source_file varchar,
    source_url varchar, loaded_at timestamptz
"""
EPOCH_COLUMNS = """
    fiscal_label varchar, fiscal_year integer, fiscal_quarter integer, period_start date,
    period_end date, total_revenue_usd bigint, data_center_revenue_usd bigint,
    cited_url varchar, source varchar, source_file varchar, source_url varchar,
    loaded_at timestamptz
"""


def _summarise(context, records) -> dict:
    by_status: dict[str, list[str]] = {}
    for record in records:
        by_status.setdefault(record.status, []).append(record.origin)
    for status, origins in by_status.items():
        context.log.info(f"{status}: {len(origins)} file(s)")
    # not "missing": the report reads that key as a list of companies
    return {f"files_{status}": dg.MetadataValue.json(origins)
            for status, origins in by_status.items()}


def _extract(context, run) -> dg.MaterializeResult:
    try:
        records = run(log=context.log.info)
    except DocumentError as exc:
        raise dg.Failure(description=str(exc)) from None
    return dg.MaterializeResult(metadata={"files": len(records), **_summarise(context, records)})


@dg.asset(key=["energy", "eia_retail_sales"], group_name="energy_extract",
          kinds={"python", "xlsx"}, pool="eia_api",
          description="EIA-861M workbook and EIA API v2 electricity/retail-sales pages, landed.")
def energy_eia_retail_sales(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    return _extract(context, lambda log: energy.extract_energy(config, log=log))


@dg.asset(key=["gpu", "gpu_prices"], group_name="gpu_extract", kinds={"python", "csv"},
          description="GPU rental index, AWS/Azure price lists, marketplace summaries, Epoch "
                      "hardware prices and user price CSVs, landed.")
def gpu_price_documents(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    return _extract(context, lambda log: gpu.extract_gpu(config, log=log))


@dg.asset(key=["other", "epoch_nvidia_revenue"], group_name="gpu_extract",
          kinds={"python", "csv"},
          description="Epoch AI's compilation of NVIDIA quarterly (data-center) revenue.")
def epoch_nvidia_revenue(context: dg.AssetExecutionContext, settings: AicapexConfig):
    config = settings.get()
    return _extract(context, lambda log: epoch.extract_epoch(config, log=log))


def _load(con, table: str, columns: str, rows: list[dict], keys,
          state: tuple[dict[str, str], str]) -> int:
    """Replace ``raw.<table>`` with ``rows`` (one transaction, on a fresh cursor)."""
    cursor = con.cursor()
    try:
        if not rows:
            return replace_table(cursor, table, columns, None, state=state)
        frame = pd.DataFrame(rows, columns=list(keys))
        frame["loaded_at"] = pd.Timestamp.now(tz="UTC")
        cursor.register("incoming_frame", frame)
        names = ", ".join([*keys, "loaded_at"])
        return replace_table(cursor, table, columns, f"select {names} from incoming_frame",
                             state=state)
    finally:
        cursor.close()


EPOCH_KEYS = ("fiscal_label", "fiscal_year", "fiscal_quarter", "period_start", "period_end",
              "total_revenue_usd", "data_center_revenue_usd", "cited_url", "source",
              "source_file", "source_url")


# raw table, columns, landing folder it is parsed from, parser, row keys
PRICE_TABLES = (
    ("eia_retail_sales", ENERGY_COLUMNS, "energy", energy.parse_landed_energy, energy.ROW_KEYS),
    ("gpu_prices", GPU_COLUMNS, "gpu", gpu.parse_landed_gpu, gpu.ROW_KEYS),
    ("epoch_nvidia_quarterly_revenue", EPOCH_COLUMNS, "other", epoch.parse_landed_epoch,
     EPOCH_KEYS),
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "eia_retail_sales"], deps=[["energy", "eia_retail_sales"]],
                     description="Electricity retail sales and prices by state, sector, month.",
                     group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(["raw", "gpu_prices"], deps=[["gpu", "gpu_prices"]],
                     description="GPU prices, one row per observation ($/GPU-hour or $/GPU).",
                     group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(["raw", "epoch_nvidia_quarterly_revenue"],
                     deps=[["other", "epoch_nvidia_revenue"]],
                     description="Epoch AI's NVIDIA quarterly revenue compilation (USD).",
                     group_name="raw", kinds={"duckdb"}),
    ],
    pool="warehouse",
)
def raw_prices(context: dg.AssetExecutionContext, settings: AicapexConfig):
    """Parse the landed price files (same pure parsers as the extract) into ``raw.*``; a table
    whose landed files and parser are unchanged since its last load is not parsed again."""
    config = settings.get()
    config.warehouse_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    with duckdb.connect(str(config.build_db)) as con:
        for table, columns, folder, parse, keys in PRICE_TABLES:
            hashes = file_hashes(files_under(config.landing_dir / folder))
            loader = digest([columns, module_hash(sys.modules[parse.__module__])])
            rows = unchanged_rows(con, table, hashes, loader)
            if rows is None:
                parsed = parse(config.landing_dir)
                results[table] = (_load(con, table, columns, parsed, keys, (hashes, loader)),
                                  False)
            else:
                results[table] = (rows, True)
    for table, (rows, unchanged) in results.items():
        context.log.info(f"raw.{table}: {rows:,} rows"
                         + (" (landed files unchanged: not reloaded)" if unchanged else ""))
        yield dg.MaterializeResult(asset_key=["raw", table],
                                   metadata={"rows": rows, "unchanged": unchanged})
