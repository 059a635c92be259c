"""Electricity prices: the EIA-861M workbook and the EIA API v2 route ``electricity/retail-sales``
(client, validating parsers, raw DDL and the ``EIA_SOURCE``).

Layout (live and snapshot): ``energy/eia861m/sales_revenue.xlsx`` (no key) and
``energy/eia_api_v2/*.json`` (API key from ``AICAPEX_EIA_API_KEY``, never logged: every URL
is redacted before it reaches a log line, an error or the landing log). Parsers are pure:
bytes in, tidy rows out (state, sector, period, cents/kWh, status, source).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from orchestration.landing import LandingRecord
from orchestration.settings import Settings
from orchestration.sources.base import (
    FileSource,
    FormatError,
    RawTable,
    land_file,
    parse_landed,
    redact,
)
from orchestration.sources.http import price_client
from orchestration.sources.redaction import redact_body

EIA861M_URL = "https://www.eia.gov/electricity/data/eia861m/xls/sales_revenue.xlsx"
EIA861M_RELATIVE = "energy/eia861m/sales_revenue.xlsx"
EIA_API_URL = "https://api.eia.gov/v2/electricity/retail-sales/data/"
EIA_API_DIR = "energy/eia_api_v2"
EIA_API_PAGE_LENGTH = 5000
EIA_RATE_LOCK = ".eia-rate-limit.lock"

SECTOR_BANDS = {"RESIDENTIAL": "RES", "COMMERCIAL": "COM", "INDUSTRIAL": "IND",
                "TRANSPORTATION": "TRA", "TOTAL": "ALL"}
MEASURES = ("Revenue", "Sales", "Customers", "Price")
UNITS = ("Thousand Dollars", "Megawatthours", "Count", "Cents/kWh")
ID_COLUMNS = ("Year", "Month", "State", "Data Status")

COLUMNS = """
    period varchar, frequency varchar, state varchar, sector varchar,
    price_cents_per_kwh double, sales_mwh double, revenue_usd double, customers double,
    status varchar, source varchar, source_file varchar, loaded_at timestamptz
"""
ROW_KEYS = ("period", "frequency", "state", "sector", "price_cents_per_kwh", "sales_mwh",
            "revenue_usd", "customers", "status", "source", "source_file")


def _num(value) -> float | None:
    if value is None or value == "" or value == ".":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parse_eia861m_workbook(body: bytes, name: str = "sales_revenue.xlsx") -> list[dict]:
    """Sheet ``Monthly-States`` of the EIA-861M workbook -> one row per state/sector/month."""
    try:
        rows = _workbook_rows(body)
    except FormatError as exc:
        raise FormatError(f"{name}: {exc}") from exc
    return [{**row, "source_file": name} for row in rows]


@lru_cache(maxsize=2)
def _workbook_rows(body: bytes) -> tuple[dict, ...]:
    """The rows of one workbook's bytes. Cached: a cold run validates the workbook when it lands
    and parses it again for ``raw.eia_retail_sales`` (~1.6 s each here)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many types for a non-workbook
        raise FormatError(f"not an xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if "Monthly-States" not in book.sheetnames:
            raise FormatError(f"no sheet 'Monthly-States' (sheets: {book.sheetnames})")
        rows = book["Monthly-States"].iter_rows(values_only=True)
        header = [next(rows, ()) for _ in range(3)]
        _check_861m_header(header)
        out = []
        for number, row in enumerate(rows, start=4):
            if not row or not isinstance(row[0], int | float) or row[1] is None:
                continue  # the footnote row at the end
            year, month, state, status = int(row[0]), int(row[1]), str(row[2]), str(row[3])
            for index, (band, sector) in enumerate(SECTOR_BANDS.items()):
                base = 4 + 4 * index
                revenue, sales, customers, price = (
                    _cell(value, f"row {number} {band} {measure}")
                    for value, measure in zip(row[base:base + 4], MEASURES, strict=True))
                out.append({
                    "period": f"{year:04d}-{month:02d}", "frequency": "monthly",
                    "state": state, "sector": sector,
                    "price_cents_per_kwh": price, "sales_mwh": sales,
                    "revenue_usd": None if revenue is None else revenue * 1000,
                    "customers": customers, "status": status, "source": "eia861m",
                })
        if not out:
            raise FormatError("sheet 'Monthly-States' has no data rows")
        return tuple(out)
    finally:
        book.close()


def _cell(value, where: str) -> float | None:
    """A workbook amount: a number (or a number stored as text); empty or EIA's "." is no
    value; any other text is refused, never read as a missing value."""
    number = _num(value)
    if number is None and value not in (None, "", "."):
        raise FormatError(f"Monthly-States {where} is not a number: {value!r}")
    return number


def _check_861m_header(header: list[tuple]) -> None:
    bands, measures, units = (list(h) for h in header)
    if len(units) < 24 or tuple(units[:4]) != ID_COLUMNS:
        raise FormatError(f"Monthly-States row 3 should start with {ID_COLUMNS}, "
                          f"got {tuple(units[:4])}")
    for index, band in enumerate(SECTOR_BANDS):
        base = 4 + 4 * index
        if bands[base] != band or tuple(measures[base:base + 4]) != MEASURES \
                or tuple(units[base:base + 4]) != UNITS:
            raise FormatError(
                f"Monthly-States columns {base + 1}-{base + 4} should be {band} "
                f"{MEASURES} {UNITS}, got {bands[base]!r} {tuple(measures[base:base + 4])} "
                f"{tuple(units[base:base + 4])}")


def parse_eia_api_retail_sales(body: bytes, name: str = "eia_api.json") -> list[dict]:
    """One EIA API v2 ``electricity/retail-sales`` response page -> tidy rows.

    Every value in the API is a string. Monthly price requests carry ``price`` (cents/kWh);
    sales are in million kWh (converted to MWh). Another route's response is an error.
    """
    try:
        doc = json.loads(body)
        response = doc["response"]
        data = response["data"]
        command = doc.get("request", {}).get("command", "")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FormatError(f"{name}: not an EIA API v2 response ({type(exc).__name__}: {exc})") \
            from exc
    if "electricity/retail-sales" not in command:
        raise FormatError(f"{name}: route {command!r} is not electricity/retail-sales")
    frequency = response.get("frequency", "")
    out = []
    for item in data:
        missing = {"period", "stateid", "sectorid"} - set(item)
        if missing:
            raise FormatError(f"{name}: row without {sorted(missing)}: {item}")
        sales = _num(item.get("sales"))
        revenue = _num(item.get("revenue"))
        out.append({
            "period": str(item["period"]), "frequency": frequency,
            "state": item["stateid"], "sector": item["sectorid"],
            "price_cents_per_kwh": _num(item.get("price")),
            "sales_mwh": None if sales is None else sales * 1000,
            "revenue_usd": None if revenue is None else revenue * 1_000_000,
            "customers": _num(item.get("customers")), "status": None,
            "source": "eia_api_v2", "source_file": name,
        })
    return out


def is_retail_sales_response(body: bytes) -> bool:
    try:
        return "electricity/retail-sales" in json.loads(body)["request"]["command"]
    except (ValueError, KeyError, TypeError):
        return False


def eia_api_url(api_key: str, offset: int, start: str | None = None) -> str:
    params = [("frequency", "monthly"), ("data[0]", "price"), ("data[1]", "sales"),
              ("sort[0][column]", "period"), ("sort[0][direction]", "desc"),
              ("offset", str(offset)), ("length", str(EIA_API_PAGE_LENGTH))]
    if start:
        params.append(("start", start))
    params.append(("api_key", api_key))
    return f"{EIA_API_URL}?{urlencode(params)}"


def api_page_path(page: int, start: str | None) -> str:
    """Where a page lands: the full history as ``..._p000.json``, a request from ``start`` on as
    ``..._since_<start>_p000.json`` (sorted after the full history and after older requests, so
    the latest answer for a month is read last and wins in ``latest_per_month``)."""
    since = f"_since_{start}" if start else ""
    return f"{EIA_API_DIR}/retail_sales_monthly{since}_p{page:03d}.json"


def last_landed_month(landing_dir: Path) -> str | None:
    """The newest month of the landed API pages (``YYYY-MM``); None before the first landing."""
    periods = [row["period"] for row in parse_landed(landing_dir, PARSERS[1:])
               if row["frequency"] == "monthly"]
    return max(periods, default=None)


def _land_api_pages(settings: Settings, client, api_key: str) -> list[LandingRecord]:
    """The API pages from the last landed month on (that month again: EIA revises it), or the
    whole history on the first run; earlier pages stay landed."""
    start = last_landed_month(settings.landing_dir)
    records, offset, page = [], 0, 0
    while True:
        url = eia_api_url(api_key, offset, start)
        body_holder: dict[str, bytes] = {}

        def fetch(url=url, holder=body_holder) -> bytes:
            # the API echoes ``request.params.api_key``: it never reaches the landing zone
            holder["body"] = redact_body(client.get(url), api_key)
            return holder["body"]

        records.append(land_file(settings, "eia_api_v2", api_page_path(page, start),
                                 parse_eia_api_retail_sales, origin=redact(url), fetch=fetch))
        if records[-1].status == "failed":
            return records  # the pages landed before stay; the next run asks again
        total = int(json.loads(body_holder["body"])["response"].get("total", 0))
        offset += EIA_API_PAGE_LENGTH
        page += 1
        if offset >= total:
            return records


def extract_energy(settings: Settings, transport=None,
                   log: Callable[[str], None] = print) -> list[LandingRecord]:
    """Land the EIA-861M workbook and the EIA API v2 retail-sales pages (live or snapshot)."""
    records = []
    live = settings.mode == "live"
    client = price_client(settings, EIA_RATE_LOCK, transport=transport) if live else None
    records.append(land_file(settings, "eia861m", EIA861M_RELATIVE, parse_eia861m_workbook,
                         origin=EIA861M_URL,
                         fetch=(lambda: client.get(EIA861M_URL)) if live else None))
    if live:
        if not settings.eia_api_key:
            log("eia_api_v2: AICAPEX_EIA_API_KEY not set; API pages skipped (the workbook has "
                "the same monthly prices)")
            return records
        records += _land_api_pages(settings, client, settings.eia_api_key)
    else:
        folder = settings.snapshot_dir / EIA_API_DIR
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            if not is_retail_sales_response(path.read_bytes()):
                log(f"eia_api_v2: {path.name} is another API route; not a retail-sales page")
                continue
            records.append(land_file(settings, "eia_api_v2", f"{EIA_API_DIR}/{path.name}",
                                 parse_eia_api_retail_sales))
    return records


def _parse_retail_sales_page(body: bytes, name: str) -> list[dict]:
    # other API routes are not price data
    return parse_eia_api_retail_sales(body, name) if is_retail_sales_response(body) else []


PARSERS = (("eia861m", parse_eia861m_workbook), ("eia_api_v2", _parse_retail_sales_page))
_MONTH_KEY = ("source", "frequency", "period", "state", "sector")


def latest_per_month(rows: list[dict]) -> list[dict]:
    """One row per API (frequency, period, state, sector): pages are read oldest request first,
    so a month landed again by a later request (a revision) replaces the earlier row."""
    latest: dict[tuple, dict] = {}
    for row in rows:
        if row["source"] == "eia_api_v2":
            key = tuple(row[k] for k in _MONTH_KEY)
            latest.pop(key, None)  # keeps the order of the latest answers
            latest[key] = row
    return [row for row in rows if row["source"] != "eia_api_v2"] + list(latest.values())


def parse_landed_energy(landing_dir: Path) -> list[dict]:
    """Every landed energy file -> tidy rows (what ``raw.eia_retail_sales`` holds)."""
    return latest_per_month(parse_landed(landing_dir, PARSERS))


EIA_SOURCE = FileSource(
    key=("energy", "eia_retail_sales"), group="energy_extract", pool="eia_api",
    kinds=frozenset({"python", "xlsx"}),
    description="EIA-861M workbook and EIA API v2 electricity/retail-sales pages, landed.",
    table=RawTable("eia_retail_sales", COLUMNS,
                   "Electricity retail sales and prices by state, sector, month."),
    row_keys=ROW_KEYS, parsers=PARSERS, land=extract_energy,
    parser_module=sys.modules[__name__], merge=latest_per_month,
)
