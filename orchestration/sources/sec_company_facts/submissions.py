"""Pure helpers over a submissions document: which reports a company has filed that carry its
figures (10-K/10-Q, and 8-K earnings releases: items include 2.02)."""

from __future__ import annotations

import json
from dataclasses import dataclass

PERIODIC_FORMS = frozenset({"10-K", "10-Q", "10-K/A", "10-Q/A"})


@dataclass(frozen=True, order=True)
class Filing:
    filing_date: str
    accession: str
    form: str


def is_earnings_release(form: str, items: str) -> bool:
    """An 8-K whose items (the submissions list's ``items``, "2.02,9.01") include 2.02."""
    return form == "8-K" and "2.02" in {item.strip() for item in (items or "").split(",")}


def periodic_filings(body: bytes) -> list[Filing]:
    """10-K/10-Q filings and 8-K earnings releases of a submissions document, oldest first."""
    recent = json.loads(body)["filings"]["recent"]
    forms = recent["form"]
    items = recent.get("items") or [""] * len(forms)
    rows = zip(recent["accessionNumber"], forms, recent["filingDate"], items, strict=True)
    return sorted(Filing(date, accession, form) for accession, form, date, item in rows
                  if form in PERIODIC_FORMS or is_earnings_release(form, item))


def new_filings(body: bytes, seen_accession: str | None) -> list[Filing]:
    """Periodic filings and earnings releases newer than ``seen_accession`` (all of them when
    nothing was seen)."""
    filings = periodic_filings(body)
    if seen_accession is None:
        return filings
    known = [f.accession for f in filings]
    if seen_accession not in known:
        return filings
    return filings[known.index(seen_accession) + 1:]
