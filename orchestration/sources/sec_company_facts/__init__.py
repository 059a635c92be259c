"""SEC company facts and submissions (``data.sec.gov`` JSON), one partition per company.

* ``api``: endpoints (live URL, landing layout) and the pure validators;
* ``tables``: raw DDL and the DuckDB load SQL;
* ``submissions``: pure helpers over a submissions document (the new-filing sensor).

Both modes run the same validation and landing code (``sources.base.land_document``); only
where the bytes come from differs. The live client is ``sources.http.sec_client``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.landing import LandingRecord, landed_files
from orchestration.load_state import landed_hashes
from orchestration.settings import Settings
from orchestration.sources.base import (
    STALE_KEY,
    Document,
    Extracted,
    ExtractError,
    Loaded,
    Log,
    PerCompanySecSource,
    RawTable,
    land_document,
    stale_note,
)
from orchestration.sources.raw import SyncResult
from orchestration.sources.sec_company_facts.api import (
    COMPANY_FACTS,
    SUBMISSIONS,
    SecEndpoint,
    validate_company_facts,
    validate_submissions,
)
from orchestration.sources.sec_company_facts.tables import (
    COMPANY_FACTS_COLUMNS,
    SUBMISSIONS_COLUMNS,
    load_company_facts,
    load_submissions,
)
from orchestration.universe import Company, company_by_ticker, load_universe

if TYPE_CHECKING:
    from orchestration.sources.http import PoliteClient

__all__ = ["COMPANY_FACTS_SOURCE", "SUBMISSIONS_SOURCE", "ExtractError", "extract_sec_document"]

VALIDATORS = {
    COMPANY_FACTS.name: validate_company_facts,
    SUBMISSIONS.name: validate_submissions,
}


def extract_sec_document(
    settings: Settings,
    endpoint: SecEndpoint,
    company: Company,
    client: PoliteClient | None = None,
) -> tuple[LandingRecord, dict | None]:
    """Land one document; return its landing record and a summary (None when missing).

    A company absent from a snapshot, or one the SEC has no company facts for (HTTP 404), is
    reported (status ``missing``), not an error. Invalid content or a failed download is
    logged as ``failed`` and raised (``ExtractError``); invalid content is kept under
    ``_quarantine/``.
    """
    validator = VALIDATORS[endpoint.name]
    fetch = origin = None
    if settings.mode == "live":
        origin = endpoint.url(company.cik, host=settings.sec_data_host)
        from orchestration.sources.http import sec_client  # live only: keep imports cheap

        live = client or sec_client(settings)
        fetch = lambda: live.get(origin, validate=lambda b: validator(b, company.cik))  # noqa: E731
    landed = land_document(settings, Document(
        source=endpoint.name, partition=company.ticker,
        relative_path=endpoint.relative_path(company.cik),
        validate=lambda body, _where: validator(body, company.cik),
        label=f"{company.ticker} {endpoint.name}", origin=origin, fetch=fetch,
        quarantine_invalid=True, missing_when_not_found=endpoint.missing_when_not_found))
    return landed.record, landed.summary


@dataclass(frozen=True)
class SecJsonSource(PerCompanySecSource):
    """One ``data.sec.gov`` endpoint: a JSON document per company, one raw table."""

    endpoint: SecEndpoint
    description: str
    table: RawTable
    sync: Callable[[duckdb.DuckDBPyConnection, dict[str, str], Path], SyncResult]
    kinds: frozenset[str] = frozenset({"python", "json"})

    @property
    def log_source(self) -> str:
        return self.endpoint.name

    @property
    def tables(self) -> tuple[RawTable, ...]:
        return (self.table,)

    def extract(self, settings: Settings, partitions: Sequence[str] | None,
                log: Log) -> Extracted:
        """Land each company's document; a company that fails fails alone (its last landed
        document stays, flagged stale in the run report) and one the SEC has none for (HTTP
        404, or absent from a snapshot) is named as missing."""
        name = self.endpoint.name
        landed, missing, stale = [], [], []
        for ticker in partitions or []:
            try:
                record, summary = extract_sec_document(settings, self.endpoint,
                                                       company_by_ticker(ticker))
            except ExtractError as exc:
                kept = sum(f.partition == ticker
                           for f in landed_files(settings.landing_dir, [name]))
                note = stale_note(ticker, exc.record.detail if exc.record else str(exc), kept)
                log.warning(f"company failed alone: {name} {note}")
                stale.append(note)
                continue
            if summary is None:
                log.warning(f"{ticker}: no {name} ({record.detail}: {record.origin})")
                missing.append(ticker)
            else:
                log.info(f"{ticker}: {name} {record.status} ({record.bytes:,} bytes, "
                         f"newest filing {summary['newest_filed']})")
                landed.append(ticker)
        return Extracted(metadata={"mode": settings.mode, "landed": ", ".join(landed),
                                   "missing": ", ".join(missing),
                                   "missing_count": len(missing), STALE_KEY: stale})

    def load(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
        landed = landed_files(settings.landing_dir, self.log_sources)
        universe = {c.ticker for c in load_universe()}
        files = landed_hashes(f for f in landed if f.partition in universe)
        result: SyncResult = self.sync(con, files, settings.landing_dir)
        return [Loaded(
            self.table.name, result.rows,
            f"raw.{self.table.name}: {result.rows:,} rows; read {len(result.loaded)} new or "
            f"changed file(s), {result.unchanged} unchanged, {len(result.removed)} removed",
            {"rows": result.rows, "files_read": result.loaded,
             "files_unchanged": result.unchanged, "files_removed": result.removed})]


COMPANY_FACTS_SOURCE = SecJsonSource(
    COMPANY_FACTS, "XBRL company facts (data.sec.gov/api/xbrl/companyfacts) per company.",
    RawTable("sec_company_facts", COMPANY_FACTS_COLUMNS,
             "Company facts flattened to one row per fact."),
    load_company_facts)
SUBMISSIONS_SOURCE = SecJsonSource(
    SUBMISSIONS, "Filing index (data.sec.gov/submissions) per company.",
    RawTable("sec_submissions", SUBMISSIONS_COLUMNS, "Recent filings, one row per accession."),
    load_submissions)
