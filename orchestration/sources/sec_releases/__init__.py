"""SEC earnings releases: 8-K filings whose items include 2.02, one partition per company.

The same landing as 10-K/10-Q (``sec_filings.accessions``: snapshot folders or
sec-edgar-downloader through the project's SEC client, manifest, landing log, "already
landed"), with the ``EARNINGS_RELEASES`` form family: 8-K kept when the submissions list's
``items`` (live, before download) or the SGML header's ``ITEM INFORMATION`` (every folder)
include Item 2.02, and refused — quarantined, named in the landing log — when its EX-99.1
cannot be read whole.

* ``release``: the pure parser of exhibit 99.1 (printed tables → facts with periods);
* ``tables``: raw DDL and the load of ``raw.sec_releases`` / ``raw.sec_release_facts``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import Settings
from orchestration.sources.base import Loaded, RawTable
from orchestration.sources.sec_filings import FilingsSource
from orchestration.sources.sec_filings.accessions import (
    FormFamily,
    has_item_202,
    lists_item_202,
)
from orchestration.sources.sec_releases import tables
from orchestration.sources.sec_releases.release import parse_release
from orchestration.universe import Company

__all__ = ["EARNINGS_RELEASES", "RELEASES_SOURCE"]


def validate_release(folder: Path, company: Company) -> None:
    """Refuse (``ReleaseError``, a ``ValueError``) a release whose EX-99.1 cannot be read whole."""
    full = folder / tables.FULL_SUBMISSION
    if not full.is_file():
        raise ValueError(f"{folder}: no {tables.FULL_SUBMISSION}")
    parse_release(full.read_bytes(), company.fiscal_year_end_month, str(full))


EARNINGS_RELEASES = FormFamily(tables.SOURCE, ("8-K",), keep=has_item_202,
                               keep_listed=lists_item_202, validate=validate_release)


def _load_releases(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
    counts, unchanged = tables.load_releases(con, settings.landing_dir)
    errors = con.execute(
        "select accession_number, parse_error from raw.sec_releases "
        "where parse_error is not null order by all").fetchall()
    warnings = tuple(f"release {accession}: {error}" for accession, error in errors)
    note = " (landed releases unchanged: not parsed again)" if unchanged else ""
    return [Loaded(table, rows, f"raw.{table}: {rows:,} rows{note}",
                   {"rows": rows, "unchanged": unchanged, "parse_errors": len(errors)},
                   warnings if table == "sec_releases" else ())
            for table, rows in counts.items()]


RELEASES_SOURCE = FilingsSource(
    EARNINGS_RELEASES,
    "Earnings releases (8-K with Item 2.02) per company: sec-edgar-downloader live, or the "
    "snapshot's sec-edgar-filings/<TICKER>/8-K/ tree; landed once per accession, refused "
    "(quarantined) when exhibit 99.1 cannot be read whole.",
    (RawTable("sec_releases", tables.RELEASES_COLUMNS,
              "One row per landed earnings release: exhibit, tables read and skipped, facts, "
              "parse error."),
     RawTable("sec_release_facts", tables.FACTS_COLUMNS,
              "Every amount cell of the releases' period tables: table, row label and column "
              "header as printed, period, value in USD (or per share, shares, count).")),
    _load_releases,
    kinds=frozenset({"python", "html"}),
)
