"""SEC company facts and submissions: live URLs, snapshot paths and pure validators.

Live and snapshot share the relative layout ``sec/companyfacts/CIK##########.json`` and
``sec/submissions/CIK##########.json``; the landing zone uses it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from orchestration.sources.base import FormatError

SEC_DATA_HOST = "https://data.sec.gov"
REQUIRED_FACT_KEYS = frozenset({"end", "val", "accn", "filed"})


class InvalidPayload(FormatError):
    """A response or file is not what its endpoint promises; the message says what is wrong."""


@dataclass(frozen=True)
class SecEndpoint:
    name: str  # "companyfacts" | "submissions"
    url_template: str
    # HTTP 404 means the SEC holds none for this CIK (a filer without XBRL financial data has
    # no company facts): ``missing``, named. A submissions 404 is a CIK EDGAR does not know
    # (a wrong ``companies.csv`` row): a failure.
    missing_when_not_found: bool = False

    def relative_path(self, cik: int) -> str:
        return f"sec/{self.name}/CIK{cik:010d}.json"

    def url(self, cik: int, host: str = SEC_DATA_HOST) -> str:
        return host.rstrip("/") + self.url_template.format(cik10=f"{cik:010d}")


COMPANY_FACTS = SecEndpoint("companyfacts", "/api/xbrl/companyfacts/CIK{cik10}.json",
                            missing_when_not_found=True)
SUBMISSIONS = SecEndpoint("submissions", "/submissions/CIK{cik10}.json")


def _load_object(body: bytes, what: str) -> dict:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        head = body[:60].decode("utf-8", "replace").replace("\n", " ")
        raise InvalidPayload(f"{what}: not JSON ({exc.msg if hasattr(exc, 'msg') else exc}); "
                             f"starts with {head!r}") from exc
    if not isinstance(payload, dict):
        raise InvalidPayload(f"{what}: expected a JSON object, got {type(payload).__name__}")
    return payload


def _check_cik(payload: dict, expected_cik: int | None, what: str) -> int:
    try:
        cik = int(payload["cik"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidPayload(f"{what}: missing or non-numeric 'cik'") from exc
    if expected_cik is not None and cik != expected_cik:
        raise InvalidPayload(f"{what}: cik {cik} does not match the requested CIK {expected_cik}")
    return cik


def _check_fact(row: object, where: str) -> None:
    """One fact: an object with end/val/accn/filed (other keys are ignored) and a numeric
    ``val`` (a number sent as a string means the format changed: refused, not cast)."""
    missing = sorted(REQUIRED_FACT_KEYS - row.keys() | {k for k in REQUIRED_FACT_KEYS & row.keys()
                                                        if row[k] is None}
                     ) if isinstance(row, dict) else sorted(REQUIRED_FACT_KEYS)
    if missing:
        raise InvalidPayload(f"{where} has a fact without end/val/accn/filed "
                             f"(missing: {', '.join(missing)}): {row!r}")
    assert isinstance(row, dict)
    value = row["val"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidPayload(f"{where} field 'val' is not a number: {value!r} "
                             f"(accn {row['accn']}, end {row['end']})")


def validate_company_facts(body: bytes, expected_cik: int | None = None) -> dict:
    """Check a company-facts document and summarise it (facts per taxonomy, newest filing)."""
    what = "companyfacts"
    payload = _load_object(body, what)
    _check_cik(payload, expected_cik, what)
    facts = payload.get("facts")
    if not isinstance(facts, dict):
        raise InvalidPayload(f"{what}: 'facts' must be an object of taxonomies")
    n_facts = 0
    newest = ""
    for taxonomy, concepts in facts.items():
        if not isinstance(concepts, dict):
            raise InvalidPayload(f"{what}: taxonomy {taxonomy!r} is not an object of concepts")
        for concept, body_ in concepts.items():
            units = body_.get("units") if isinstance(body_, dict) else None
            if not isinstance(units, dict):
                raise InvalidPayload(f"{what}: {taxonomy}:{concept} has no 'units' object")
            for unit, rows in units.items():
                if not isinstance(rows, list):
                    raise InvalidPayload(f"{what}: {taxonomy}:{concept} [{unit}] is not a list")
                for row in rows:
                    _check_fact(row, f"{what}: {taxonomy}:{concept} [{unit}]")
                    n_facts += 1
                    newest = max(newest, str(row["filed"]))
    return {
        "cik": int(payload["cik"]),
        "entity_name": payload.get("entityName"),
        "facts": n_facts,
        "newest_filed": newest or None,
    }


def validate_submissions(body: bytes, expected_cik: int | None = None) -> dict:
    """Check a submissions document and summarise its recent filings."""
    what = "submissions"
    payload = _load_object(body, what)
    _check_cik(payload, expected_cik, what)
    filings = payload.get("filings")
    recent = filings.get("recent") if isinstance(filings, dict) else None
    if not isinstance(recent, dict):
        raise InvalidPayload(f"{what}: missing 'filings.recent'")
    columns = ("accessionNumber", "form", "filingDate")
    if any(not isinstance(recent.get(c), list) for c in columns):
        raise InvalidPayload(f"{what}: 'filings.recent' needs lists {', '.join(columns)}")
    lengths = {c: len(recent[c]) for c in columns}
    if len(set(lengths.values())) != 1:
        raise InvalidPayload(f"{what}: 'filings.recent' columns differ in length: {lengths}")
    dates = recent["filingDate"]
    return {
        "cik": int(payload["cik"]),
        "entity_name": payload.get("name"),
        "filings": lengths["accessionNumber"],
        "newest_filed": max(dates) if dates else None,
    }
