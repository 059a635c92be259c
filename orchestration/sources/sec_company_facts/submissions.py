"""Pure helpers over a submissions document: which periodic reports a company has filed."""

from __future__ import annotations

import json
from dataclasses import dataclass

PERIODIC_FORMS = frozenset({"10-K", "10-Q", "10-K/A", "10-Q/A"})


@dataclass(frozen=True, order=True)
class Filing:
    filing_date: str
    accession: str
    form: str


def periodic_filings(body: bytes) -> list[Filing]:
    """10-K/10-Q filings of a submissions document, oldest first."""
    recent = json.loads(body)["filings"]["recent"]
    rows = zip(recent["accessionNumber"], recent["form"], recent["filingDate"], strict=True)
    return sorted(Filing(date, accession, form) for accession, form, date in rows
                  if form in PERIODIC_FORMS)


def new_filings(body: bytes, seen_accession: str | None) -> list[Filing]:
    """Periodic filings newer than ``seen_accession`` (all of them when nothing was seen)."""
    filings = periodic_filings(body)
    if seen_accession is None:
        return filings
    known = [f.accession for f in filings]
    if seen_accession not in known:
        return filings
    return filings[known.index(seen_accession) + 1:]
