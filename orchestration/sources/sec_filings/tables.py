"""Raw DDL and load of landed 10-K/10-Q filings: ``raw.sec_filings``, ``raw.sec_filing_facts``.

The filings to read are the ones the landing log names (complete accessions: manifest
written). The XBRL extraction (``sec_filings.xbrl``) is pure Python on lxml, one filing at a
time; its rows go to DuckDB in bounded batches (pandas frames), both tables replaced inside one
transaction (``raw.load_parsed_tables``), so a failed load keeps the previous tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.landing import LandedFile, landed_names, utc_now
from orchestration.sources.raw import ParsedTable, load_landed_tables
from orchestration.sources.sec_filings import xbrl
from orchestration.sources.sec_filings.accessions import (
    SOURCE,
    LandedFiling,
    filing_index_url,
    landed_filing_dirs,
    read_landed_filing,
)

FILINGS_COLUMNS = """
    accession_number varchar, ticker varchar, cik bigint, filing_form varchar,
    document_type varchar, document_period_end date, fiscal_year_focus varchar,
    fiscal_period_focus varchar, filed_date date, source_document varchar, source_url varchar,
    facts bigint, facts_with_errors bigint, duplicates_dropped bigint,
    inconsistent_duplicates varchar, extract_error varchar, extracted_at timestamptz
"""

FACTS_COLUMNS = """
    accession_number varchar, ticker varchar, cik bigint, taxonomy varchar, concept varchar,
    dimensions varchar, dimension_count integer, period_start date, period_end date,
    unit varchar, value decimal(38, 6), decimals varchar, is_nil boolean, parse_error varchar,
    context_id varchar
"""


def filing_row(landed: LandedFiling, extracted_at: str) -> dict:
    filing = landed.filing
    cik = landed.cik
    return {
        "accession_number": landed.accession,
        "ticker": landed.ticker,
        "cik": cik,
        "filing_form": landed.form,
        "document_type": filing.document_type if filing else None,
        "document_period_end": filing.period_end_date if filing else None,
        "fiscal_year_focus": filing.fiscal_year_focus if filing else None,
        "fiscal_period_focus": filing.fiscal_period_focus if filing else None,
        "filed_date": landed.filed_date,
        "source_document": landed.document,
        "source_url": filing_index_url(cik, landed.accession) if cik else None,
        "facts": len(filing.facts) if filing else 0,
        "facts_with_errors": sum(f.parse_error is not None for f in filing.facts) if filing else 0,
        "duplicates_dropped": filing.duplicates_dropped if filing else 0,
        "inconsistent_duplicates": "\n".join(filing.inconsistent_duplicates) or None
        if filing else None,
        "extract_error": landed.error,
        "extracted_at": extracted_at,
    }


def fact_rows(landed: LandedFiling) -> list[tuple]:
    if landed.filing is None:
        return []
    return [
        (landed.accession, landed.ticker, fact.cik or landed.cik, fact.taxonomy, fact.local_name,
         fact.dimension_key, len(fact.dimensions), fact.period_start, fact.period_end,
         fact.unit, None if fact.value is None else str(fact.value), fact.decimals, fact.is_nil,
         fact.parse_error, fact.context_id)
        for fact in landed.filing.facts
    ]


def extract_landed(landed: list[LandedFile]) -> Iterator[tuple[list[dict], list[tuple]]]:
    """Per landed filing, read when asked for: its ``sec_filings`` row (``source_document``:
    the file's name in the landing zone) and its fact rows."""
    extracted_at = utc_now()
    names = landed_names(landed)
    for ticker, form, folder in landed_filing_dirs(landed):
        filing = read_landed_filing(ticker, form, folder)
        row = filing_row(filing, extracted_at)
        row["source_document"] = names.get(row["source_document"], row["source_document"])
        yield [row], fact_rows(filing)


TABLES = {
    "sec_filings": ParsedTable(FILINGS_COLUMNS),
    "sec_filing_facts": ParsedTable(FACTS_COLUMNS, text=("value", "period_start", "period_end")),
}


def load_filings(
    con: duckdb.DuckDBPyConnection, landing_dir: Path
) -> tuple[dict[str, int], bool]:
    """Replace both raw tables from the landing zone; return their row counts and whether the
    landed filings (and the extractor) were unchanged since the last load, so nothing was read."""
    return load_landed_tables(con, landing_dir, SOURCE, TABLES, extract_landed,
                              sys.modules[__name__], xbrl)
