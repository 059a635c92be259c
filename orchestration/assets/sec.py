"""SEC extract assets, one partition per company of the universe."""

import dagster as dg

from orchestration.config import AicapexConfig
from orchestration.extract import ExtractError, extract_sec_document
from orchestration.sources.sec_api import COMPANY_FACTS, SUBMISSIONS, SecEndpoint
from orchestration.universe import company_by_ticker, load_universe

company_partitions = dg.StaticPartitionsDefinition([c.ticker for c in load_universe()])

SEC_POOL = "sec_api"


def _sec_extract_asset(endpoint: SecEndpoint, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["sec", endpoint.name],
        description=description,
        group_name="sec_extract",
        partitions_def=company_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=SEC_POOL,
        kinds={"python", "json"},
    )
    def _extract(
        context: dg.AssetExecutionContext, settings: AicapexConfig
    ) -> dg.MaterializeResult:
        config = settings.get()
        landed, missing, failed = [], [], []
        for ticker in context.partition_keys:
            company = company_by_ticker(ticker)
            try:
                record, summary = extract_sec_document(config, endpoint, company)
            except ExtractError as exc:
                context.log.error(str(exc))
                failed.append(str(exc))
                continue
            if summary is None:
                context.log.warning(f"{ticker}: no {endpoint.name} in {config.snapshot_dir}")
                missing.append(ticker)
            else:
                context.log.info(
                    f"{ticker}: {endpoint.name} {record.status} ({record.bytes:,} bytes, "
                    f"newest filing {summary['newest_filed']})"
                )
                landed.append(ticker)
        if failed:
            raise dg.Failure(
                description=f"{endpoint.name} failed for {len(failed)} compan(y/ies): "
                + " | ".join(failed),
                metadata={"errors": dg.MetadataValue.md("\n".join(f"- {e}" for e in failed))},
            )
        return dg.MaterializeResult(
            metadata={
                "mode": config.mode,
                "landed": ", ".join(landed),
                "missing": ", ".join(missing),
                "missing_count": len(missing),
            }
        )

    return _extract


sec_company_facts = _sec_extract_asset(
    COMPANY_FACTS, "XBRL company facts (data.sec.gov/api/xbrl/companyfacts) per company."
)
sec_submissions = _sec_extract_asset(
    SUBMISSIONS, "Filing index (data.sec.gov/submissions) per company."
)
