"""Thin Dagster assets around the sources: one factory for extract assets, one for raw loads.

Every source (``orchestration.sources.*``) follows ``sources.base.Source``; ``extract_asset``
turns one into its extract asset (per company partitions for the SEC sources) and
``raw_load_asset`` turns a group of them into one multi-asset over their ``raw.*`` tables (pool
``warehouse``: one writer at a time). Nothing is built at import: ``ingest_assets()`` builds
them (and reads the company universe for the partitions) when ``definitions.py`` asks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import dagster as dg
import duckdb

from orchestration.resources import AicapexConfig
from orchestration.settings import Settings
from orchestration.sources.base import Loaded, RawTable, Source
from orchestration.sources.eia import EIA_SOURCE
from orchestration.sources.epoch import EPOCH_SOURCE
from orchestration.sources.gpu import GPU_SOURCE
from orchestration.sources.raw import LANDING_LOG_COLUMNS, load_landing_log
from orchestration.sources.sec_company_facts import COMPANY_FACTS_SOURCE, SUBMISSIONS_SOURCE
from orchestration.sources.sec_filings import FILINGS_SOURCE
from orchestration.sources.sec_releases import RELEASES_SOURCE
from orchestration.universe import load_universe

WAREHOUSE_POOL = "warehouse"
SOURCES: tuple[Source, ...] = (COMPANY_FACTS_SOURCE, SUBMISSIONS_SOURCE, FILINGS_SOURCE,
                               RELEASES_SOURCE, EIA_SOURCE, GPU_SOURCE, EPOCH_SOURCE)


@cache
def company_partitions() -> dg.StaticPartitionsDefinition:
    """One partition per company of the universe (read once, when the assets are built)."""
    return dg.StaticPartitionsDefinition([c.ticker for c in load_universe()])


def _metadata(values: dict) -> dict:
    return {k: dg.MetadataValue.json(v) if isinstance(v, list) else v for k, v in values.items()}


def extract_asset(source: Source) -> dg.AssetsDefinition:
    """The extract asset of ``source``: land its documents, fail with every error named."""
    partitioned = source.partitioned

    @dg.asset(
        key=list(source.key),
        description=source.description,
        group_name=source.group,
        partitions_def=company_partitions() if partitioned else None,
        backfill_policy=dg.BackfillPolicy.single_run() if partitioned else None,
        pool=source.pool,
        kinds=set(source.kinds),
    )
    def _extract(context: dg.AssetExecutionContext,
                 settings: AicapexConfig) -> dg.MaterializeResult:
        keys = context.partition_keys if partitioned else None
        outcome = source.extract(settings.get(), keys, context.log)
        if outcome.failure is not None:
            errors = {"errors": dg.MetadataValue.md("\n".join(f"- {e}" for e in outcome.errors))}
            raise dg.Failure(description=outcome.failure,
                             metadata=errors if outcome.errors else None)
        return dg.MaterializeResult(metadata=_metadata(outcome.metadata))

    return _extract


@dataclass(frozen=True)
class LandingLogTable:
    """``raw.landing_log``: every extract attempt, reloaded whole after any extract."""

    upstream: tuple[tuple[str, ...], ...]
    tables: tuple[RawTable, ...] = (RawTable(
        "landing_log", LANDING_LOG_COLUMNS,
        "Every extract attempt: origin, sha256, bytes, status."),)

    def load(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
        rows = load_landing_log(con, settings.landing_log)
        return [Loaded("landing_log", rows, f"raw.landing_log: {rows:,} rows", {"rows": rows})]


def raw_load_asset(name: str, sources: Sequence[Source | LandingLogTable], *,
                   can_subset: bool = False) -> dg.AssetsDefinition:
    """One multi-asset over the raw tables of ``sources``: each source loads the files the
    landing log names for it (or finds them unchanged); only selected sources are loaded."""
    owner = {}
    specs = []
    for source in sources:
        deps = (source.upstream if isinstance(source, LandingLogTable) else (source.key,))
        for table in source.tables:
            owner[("raw", table.name)] = source
            specs.append(dg.AssetSpec(["raw", table.name], deps=[list(d) for d in deps],
                                      description=table.description, group_name="raw",
                                      kinds={"duckdb"}))

    @dg.multi_asset(name=name, specs=specs, pool=WAREHOUSE_POOL, can_subset=can_subset)
    def _load(context: dg.AssetExecutionContext, settings: AicapexConfig):
        config = settings.get()
        config.warehouse_dir.mkdir(parents=True, exist_ok=True)
        selected = {tuple(key.path) for key in context.selected_asset_keys}
        chosen = [s for s in sources
                  if any(("raw", t.name) in selected for t in s.tables)]
        loaded: list[Loaded] = []
        with duckdb.connect(str(config.build_db)) as con:
            for source in chosen:
                loaded += source.load(con, config)
        for item in loaded:
            for warning in item.warnings:
                context.log.warning(warning)
            context.log.info(item.message)
            yield dg.MaterializeResult(asset_key=["raw", item.table],
                                       metadata=_metadata(item.metadata))

    return _load


def ingest_assets() -> list[dg.AssetsDefinition]:
    """Every extract and raw-load asset (raw-load names as the UI and the run logs know them)."""
    landing_log = LandingLogTable(tuple(s.key for s in SOURCES))
    return [
        *(extract_asset(source) for source in SOURCES),
        # the prices job reloads only the landing log of this one
        raw_load_asset("raw_sec", [COMPANY_FACTS_SOURCE, SUBMISSIONS_SOURCE, landing_log],
                       can_subset=True),
        raw_load_asset("raw_sec_filings", [FILINGS_SOURCE]),
        raw_load_asset("raw_sec_releases", [RELEASES_SOURCE]),
        raw_load_asset("raw_prices", [EIA_SOURCE, GPU_SOURCE, EPOCH_SOURCE]),
    ]
