"""Raw DDL and load of landed earnings releases: ``raw.sec_releases``, ``raw.sec_release_facts``.

The releases to read are the ones the landing log names (complete accessions: manifest
written) for the landing-log source ``releases``. Each ``full-submission.txt`` is parsed whole
by ``release.parse_release``; a release that cannot be read whole keeps its row in
``raw.sec_releases`` with ``parse_error`` (file, table, row) and contributes no fact, so no
release is ever half loaded. The releases are parsed one at a time and their rows inserted in
bounded batches, both tables replaced in one transaction (``raw.load_parsed_tables``); the load
is skipped when ``load_state`` finds the same landed files and the same parser.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.landing import LandedFile, landed_names, utc_now
from orchestration.sources.raw import ParsedTable, load_landed_tables
from orchestration.sources.sec_filings.accessions import filing_index_url, landed_filing_dirs
from orchestration.sources.sec_releases import release
from orchestration.universe import Company, load_universe

SOURCE = "releases"  # the landing log's source and the extract asset's name

RELEASES_COLUMNS = """
    accession_number varchar, ticker varchar, cik bigint, filing_form varchar, filed_date date,
    exhibit varchar, source_document varchar, source_url varchar, tables integer,
    tables_skipped integer, facts bigint, parse_error varchar, extracted_at timestamptz
"""

FACTS_COLUMNS = """
    accession_number varchar, ticker varchar, cik bigint, filed_date date,
    table_index integer, table_title varchar, section varchar, row_index integer,
    row_label varchar, column_index integer, column_header varchar, period_start date,
    period_end date, period_months integer, period_basis varchar, printed varchar,
    value decimal(38, 6), unit varchar
"""

FULL_SUBMISSION = "full-submission.txt"


def read_landed_release(company: Company, form: str, folder: Path,
                        extracted_at: str) -> tuple[dict, list[tuple]]:
    """One release row and its fact rows; never raises for a bad release (``parse_error``)."""
    accession = folder.name
    full = folder / FULL_SUBMISSION
    row = {"accession_number": accession, "ticker": company.ticker, "cik": company.cik,
           "filing_form": form, "filed_date": None, "exhibit": None,
           "source_document": str(full), "source_url": filing_index_url(company.cik, accession),
           "tables": 0, "tables_skipped": 0, "facts": 0, "parse_error": None,
           "extracted_at": extracted_at}
    try:
        parsed = release.parse_release(full.read_bytes(), company.fiscal_year_end_month,
                                       str(full))
    except (release.ReleaseError, OSError) as exc:
        row["parse_error"] = str(exc)
        return row, []
    row.update(filed_date=parsed.filed_date, exhibit=parsed.exhibit, tables=parsed.tables,
               tables_skipped=parsed.tables_skipped, facts=len(parsed.facts))
    facts = [
        (accession, company.ticker, company.cik, parsed.filed_date, f.table_index,
         f.table_title, f.section, f.row_index, f.row_label, f.column_index, f.column_header,
         f.period.start.isoformat() if f.period.start else None, f.period.end.isoformat(),
         f.period.months, f.period.basis, f.printed, str(f.value), f.unit)
        for f in parsed.facts
    ]
    return row, facts


def extract_landed(landed: list[LandedFile]) -> Iterator[tuple[list[dict], list[tuple]]]:
    """Per landed release, parsed when asked for: its ``sec_releases`` row (``source_document``:
    the file's name in the landing zone) and its fact rows."""
    companies = {c.ticker: c for c in load_universe()}
    extracted_at = utc_now()
    names = landed_names(landed)
    for ticker, form, folder in landed_filing_dirs(landed):
        if ticker not in companies:
            continue  # a company removed from the universe: its landed files stay unread
        row, rows = read_landed_release(companies[ticker], form, folder, extracted_at)
        row["source_document"] = names.get(row["source_document"], row["source_document"])
        yield [row], rows


TABLES = {
    "sec_releases": ParsedTable(RELEASES_COLUMNS),
    "sec_release_facts": ParsedTable(FACTS_COLUMNS,
                                     text=("value", "period_start", "period_end", "filed_date")),
}


def load_releases(con: duckdb.DuckDBPyConnection, landing_dir: Path
                  ) -> tuple[dict[str, int], bool]:
    """Replace both raw tables from the landing zone; return their row counts and whether the
    landed releases (and the parser) were unchanged since the last load, so nothing was read."""
    return load_landed_tables(con, landing_dir, SOURCE, TABLES, extract_landed,
                              sys.modules[__name__], release)
