"""SEC filings (EDGAR accession folders), one partition per company.

* ``accessions``: the landing of accession folders (snapshot or sec-edgar-downloader through
  the project's SEC client), per ``FormFamily``;
* ``xbrl``: the pure XBRL / inline-XBRL / full-submission parser;
* ``tables``: raw DDL and the load of ``raw.sec_filings`` / ``raw.sec_filing_facts``.

``FilingsSource`` is generic over the form family and its raw load: a new family of filings
(e.g. earnings releases, 8-K Item 2.02) is a ``FormFamily`` plus a parser and a table module,
given to one more ``FilingsSource``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from orchestration.settings import Settings
from orchestration.sources.base import (
    STALE_KEY,
    Extracted,
    Loaded,
    Log,
    PerCompanySecSource,
    RawTable,
    stale_note,
)
from orchestration.sources.sec_filings import tables
from orchestration.sources.sec_filings.accessions import (
    PERIODIC,
    FormFamily,
    extract_filings,
    landed_accessions,
)
from orchestration.universe import company_by_ticker

__all__ = ["FILINGS_SOURCE", "FilingsSource"]


def _load_periodic(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
    counts, unchanged = tables.load_filings(con, settings.landing_dir)
    errors = con.execute(
        "select accession_number, coalesce(extract_error, '') from raw.sec_filings "
        "where extract_error is not null or facts_with_errors > 0"
    ).fetchall()
    warnings = tuple(f"filing {accession}: {error or 'facts with parse errors'}"
                     for accession, error in errors)
    note = " (landed filings unchanged: not extracted again)" if unchanged else ""
    return [Loaded(table, rows, f"raw.{table}: {rows:,} rows{note}",
                   {"rows": rows, "unchanged": unchanged},
                   warnings if table == "sec_filings" else ())
            for table, rows in counts.items()]


@dataclass(frozen=True)
class FilingsSource(PerCompanySecSource):
    family: FormFamily
    description: str
    tables: tuple[RawTable, ...]
    load_tables: Callable[[duckdb.DuckDBPyConnection, Settings], list[Loaded]]
    kinds: frozenset[str] = frozenset({"python", "xbrl"})

    @property
    def log_source(self) -> str:
        return self.family.source

    def extract(self, settings: Settings, partitions: Sequence[str] | None,
                log: Log) -> Extracted:
        """Land each company's filings; a company whose download fails fails alone: what
        arrived whole is landed, its earlier filings stay, and the run report flags it stale."""
        landed, skipped, rejected, missing, stale = [], [], [], [], []
        for ticker in partitions or []:
            result = extract_filings(settings, company_by_ticker(ticker), family=self.family)
            landed += [f"{ticker} {a}" for a in result.landed]
            skipped += [f"{ticker} {a}" for a in result.skipped]
            rejected += [f"{ticker} {r}" for r in result.rejected]
            if result.failed:
                kept = len(landed_accessions(settings.landing_dir, ticker, self.family.forms))
                note = stale_note(ticker, "; ".join(result.failed), kept, "landed filing(s)")
                log.warning(f"company failed alone: {self.family.source} {note}")
                stale.append(note)
            if result.missing:
                log.warning(f"{ticker}: no filings in {settings.snapshot_dir}")
                missing.append(ticker)
            for item in result.rejected:
                log.warning(f"{ticker}: rejected {item}")
            log.info(f"{ticker}: {len(result.landed)} filing(s) landed, "
                     f"{len(result.skipped)} already landed")
        return Extracted(metadata={"mode": settings.mode, "landed": len(landed),
                                   "already_landed": len(skipped), "rejected": rejected,
                                   "missing": ", ".join(missing), STALE_KEY: stale})

    def load(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
        return self.load_tables(con, settings)


FILINGS_SOURCE = FilingsSource(
    PERIODIC,
    "10-K/10-Q filings per company (sec-edgar-downloader live, or the snapshot's "
    "sec-edgar-filings/ tree), landed once per accession.",
    (RawTable("sec_filings", tables.FILINGS_COLUMNS,
              "One row per landed filing: document, DEI metadata, extraction counts and errors."),
     RawTable("sec_filing_facts", tables.FACTS_COLUMNS,
              "Numeric XBRL facts of every landed filing, dimensions included.")),
    _load_periodic,
)
