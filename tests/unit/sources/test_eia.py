"""EIA electricity prices: parsers on the recorded files, snapshot and live extraction."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import httpx
import openpyxl
import pytest

from orchestration.sources import eia as energy
from orchestration.sources.base import FormatError, redact, stale_notes
from tests.unit.support import FIXTURES, live_settings, snapshot_settings

WORKBOOK = FIXTURES / "energy" / "eia861m" / "sales_revenue.xlsx"
API_SALES = FIXTURES / "energy" / "eia_api_v2" / "eia_industrial.json"
SECRET = "s3cr3t-eia-key-0123456789"


@pytest.fixture(scope="module")
def workbook_rows() -> list[dict]:
    return energy.parse_eia861m_workbook(WORKBOOK.read_bytes(), str(WORKBOOK))


def _price(rows: list[dict], state: str, period: str, sector: str) -> dict:
    [row] = [r for r in rows if (r["state"], r["period"], r["sector"]) == (state, period, sector)]
    return row


def test_workbook_has_every_state_sector_and_month(workbook_rows):
    # 9,384 data rows (51 states + DC x 2010-01..2025-04) x 5 sectors
    assert len(workbook_rows) == 9384 * 5
    assert {r["sector"] for r in workbook_rows} == {"RES", "COM", "IND", "TRA", "ALL"}
    assert len({r["state"] for r in workbook_rows}) == 51
    assert min(r["period"] for r in workbook_rows) == "2010-01"
    assert max(r["period"] for r in workbook_rows) == "2025-04"


@pytest.mark.parametrize(("state", "period", "sector", "cents"), [
    ("VA", "2024-12", "COM", 9.05), ("VA", "2024-12", "IND", 8.62),
    ("TX", "2024-12", "COM", 8.85), ("GA", "2024-12", "IND", 6.92),
    ("OR", "2025-04", "COM", 11.38), ("VA", "2024-01", "COM", 9.41),
])
def test_known_state_prices(workbook_rows, state, period, sector, cents):
    assert _price(workbook_rows, state, period, sector)["price_cents_per_kwh"] == cents


def test_workbook_status_and_units(workbook_rows):
    row = _price(workbook_rows, "VA", "2020-01", "COM")
    assert row["price_cents_per_kwh"] == 7.84
    assert row["status"] == "Final"
    assert _price(workbook_rows, "OR", "2025-04", "COM")["status"] == "Preliminary"
    va = _price(workbook_rows, "VA", "2024-12", "COM")
    # revenue is published in thousand dollars
    assert va["revenue_usd"] == pytest.approx(561209.48 * 1000)
    assert va["source"] == "eia861m"


def _workbook_with_header(band: str = "COMMERCIAL", unit: str = "Cents/kWh") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Monthly-States"
    bands, measures, units = ["", None, None, None], ["", None, None, None], list(energy.ID_COLUMNS)
    for name in energy.SECTOR_BANDS:
        bands += [band if name == "COMMERCIAL" else name, None, None, None]
        measures += list(energy.MEASURES)
        units += [*energy.UNITS[:3], unit if name == "COMMERCIAL" else energy.UNITS[3]]
    for row in (bands, measures, units, [2025, 4, "VA", "Final", *range(20)]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_synthetic_workbook_with_the_real_layout_parses():
    rows = energy.parse_eia861m_workbook(_workbook_with_header(), "ok.xlsx")
    assert len(rows) == 5
    assert _price(rows, "VA", "2025-04", "COM")["price_cents_per_kwh"] == 7


@pytest.mark.parametrize("kwargs", [{"band": "BUSINESS"}, {"unit": "Dollars/MWh"}])
def test_changed_header_fails_naming_the_file(kwargs):
    with pytest.raises(FormatError, match=r"changed\.xlsx: Monthly-States columns 9-12"):
        energy.parse_eia861m_workbook(_workbook_with_header(**kwargs), "changed.xlsx")


def test_not_a_workbook_fails_naming_the_file():
    with pytest.raises(FormatError, match=r"error-page\.xlsx: not an xlsx workbook"):
        energy.parse_eia861m_workbook(b"<html>503</html>", "error-page.xlsx")


def test_api_v2_sales_response():
    rows = energy.parse_eia_api_retail_sales(API_SALES.read_bytes(), API_SALES.name)
    assert len(rows) == 310
    va = _price(rows, "VA", "2023", "IND")
    assert va["sales_mwh"] == pytest.approx(16947.72076 * 1000)  # million kWh -> MWh
    assert va["price_cents_per_kwh"] is None  # a sales request: no price column
    assert va["frequency"] == "annual"
    assert _price(rows, "US", "2019", "IND")["sales_mwh"] == pytest.approx(1002352.84901 * 1000)


def monthly_price_page(total: int = 2, rows: list[dict] | None = None,
                       params: dict | None = None) -> bytes:
    data = rows if rows is not None else [
        {"period": "2025-06", "stateid": "VA", "stateDescription": "Virginia", "sectorid": "COM",
         "sectorName": "commercial", "price": "9.31", "price-units": "cents per kilowatt-hour",
         "sales": "6201.75", "sales-units": "million kilowatt hours"},
        {"period": "2025-06", "stateid": "TX", "stateDescription": "Texas", "sectorid": "IND",
         "sectorName": "industrial", "price": "6.40", "price-units": "cents per kilowatt-hour",
         "sales": "16000.5", "sales-units": "million kilowatt hours"},
    ]
    return json.dumps({
        "response": {"total": str(total), "dateFormat": "YYYY-MM", "frequency": "monthly",
                     "data": data},
        "request": {"command": "/v2/electricity/retail-sales/data/",
                    "params": params if params is not None else {"api_key": "REDACTED"}},
        "apiVersion": "2.1.6",
    }).encode()


def test_api_v2_monthly_price_page():
    rows = energy.parse_eia_api_retail_sales(monthly_price_page(), "page.json")
    assert _price(rows, "VA", "2025-06", "COM")["price_cents_per_kwh"] == 9.31
    assert {r["source"] for r in rows} == {"eia_api_v2"}


def test_api_v2_other_route_is_rejected_by_name():
    other = FIXTURES / "energy" / "eia_api_v2" / \
        "electric_demand_hourly_2023-08-01T00_2023-09-01T00.json"
    with pytest.raises(FormatError, match=r"electric_demand_hourly.*rto/region-data"):
        energy.parse_eia_api_retail_sales(other.read_bytes(), other.name)


def test_api_v2_row_without_state_fails():
    page = monthly_price_page(rows=[{"period": "2025-06", "sectorid": "COM", "price": "1"}])
    with pytest.raises(FormatError, match=r"bad\.json: row without \['stateid'\]"):
        energy.parse_eia_api_retail_sales(page, "bad.json")


def test_snapshot_extract_lands_workbook_and_retail_sales_pages_only(tmp_path):
    settings = snapshot_settings(tmp_path)
    records = energy.extract_energy(settings, log=lambda _m: None)
    landed = sorted(Path(r.landed_path).name for r in records if r.landed_path)
    assert landed == ["eia_industrial.json", "sales_revenue.xlsx"]
    assert (tmp_path / "landing" / energy.EIA861M_RELATIVE).read_bytes() == WORKBOOK.read_bytes()
    rows = energy.parse_landed_energy(settings.landing_dir)
    assert len(rows) == 9384 * 5 + 310


def test_redact_removes_api_keys():
    url = energy.eia_api_url(SECRET, 0)
    assert SECRET in url
    assert SECRET not in redact(url)
    assert "api_key=REDACTED" in redact(url)


class FakeEia:
    """MockTransport handler: the workbook and two API pages (5,000 rows per page)."""

    def __init__(self, api_status: int = 200) -> None:
        self.api_status = api_status
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.urls.append(url)
        if url == energy.EIA861M_URL:
            return httpx.Response(200, content=WORKBOOK.read_bytes())
        if url.startswith(energy.EIA_API_URL):
            if self.api_status != 200:
                return httpx.Response(self.api_status)
            # the real API echoes every request parameter, the key included
            return httpx.Response(200, content=monthly_price_page(
                total=7000, params=dict(request.url.params)))
        return httpx.Response(404)


def test_live_extract_lands_pages_and_never_writes_the_key(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    fake = FakeEia()
    messages: list[str] = []
    settings = live_settings(tmp_path, eia_api_key=SECRET)
    records = energy.extract_energy(settings, transport=httpx.MockTransport(fake),
                                    log=messages.append)
    assert [r.status for r in records] == ["landed", "landed", "landed"]
    api_urls = [u for u in fake.urls if u.startswith(energy.EIA_API_URL)]
    assert len(api_urls) == 2 and "offset=5000" in api_urls[1]  # paginated by offset
    assert all(f"api_key={SECRET}" in u for u in api_urls)  # the key is sent ...
    log_text = settings.landing_log.read_text()
    assert SECRET not in log_text  # ... but never written to the landing log
    assert "api_key=REDACTED" in log_text
    for path in settings.landing_dir.rglob("*"):
        assert SECRET not in str(path)
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()
    landed_page = json.loads((settings.landing_dir / energy.EIA_API_DIR /
                              "retail_sales_monthly_p000.json").read_bytes())
    assert landed_page["request"]["params"]["api_key"] == "REDACTED"
    assert landed_page["request"]["params"]["frequency"] == "monthly"  # the rest is kept
    assert caplog.records  # httpx logs every request ...
    for line in [*messages, *(r.getMessage() for r in caplog.records)]:
        assert SECRET not in line  # ... and no log line carries the key
    rows = energy.parse_landed_energy(settings.landing_dir)
    assert sum(r["source"] == "eia_api_v2" for r in rows) == 2  # both pages: the same 2 rows


def test_live_api_failure_fails_alone_naming_the_url_without_the_key(tmp_path):
    settings = live_settings(tmp_path, eia_api_key=SECRET)
    records = energy.extract_energy(
        settings, transport=httpx.MockTransport(FakeEia(api_status=503)), log=lambda _m: None)
    assert [(r.source, r.status) for r in records] == [("eia861m", "landed"),
                                                       ("eia_api_v2", "failed")]
    failed = records[-1]
    assert "HTTP 503" in failed.detail and "api.eia.gov" in failed.detail
    assert SECRET not in failed.detail and SECRET not in failed.origin
    assert SECRET not in settings.landing_log.read_text()
    notes = stale_notes(settings, records)
    assert len(notes) == 1 and notes[0].startswith("eia_api_v2: ")
    assert notes[0].endswith("no earlier data for it")


def test_live_without_key_lands_the_workbook_only(tmp_path):
    messages: list[str] = []
    fake = FakeEia()
    records = energy.extract_energy(live_settings(tmp_path), transport=httpx.MockTransport(fake),
                                    log=messages.append)
    assert [Path(r.landed_path).name for r in records] == ["sales_revenue.xlsx"]
    assert fake.urls == [energy.EIA861M_URL]
    assert "AICAPEX_EIA_API_KEY not set" in messages[0]


def test_snapshot_without_energy_files_is_reported_not_an_error(tmp_path):
    settings = snapshot_settings(tmp_path, snapshot_dir=tmp_path / "empty-snapshot")
    records = energy.extract_energy(settings, log=lambda _m: None)
    assert [(r.source, r.status) for r in records] == [("eia861m", "missing")]
    assert energy.parse_landed_energy(settings.landing_dir) == []


def _month_rows(period: str, va_price: str) -> list[dict]:
    return [{"period": period, "stateid": state, "sectorid": sector, "price": price,
             "sales": "100.0"} for state, sector, price in (("VA", "COM", va_price),
                                                          ("TX", "IND", "6.40"))]


class IncrementalEia(FakeEia):
    """The API's answer depends on ``start``: the whole history without it (2025-04..06), the
    months from ``start`` on with it (2025-06 revised, 2025-07 new)."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if not url.startswith(energy.EIA_API_URL):
            return super().__call__(request)
        self.urls.append(url)
        params = dict(request.url.params)
        if "start" not in params:
            rows = [*_month_rows("2025-06", "9.31"), *_month_rows("2025-05", "9.10"),
                    *_month_rows("2025-04", "9.00")]
        else:
            rows = [*_month_rows("2025-07", "9.55"), *_month_rows("2025-06", "9.35")]
            rows = [r for r in rows if r["period"] >= params["start"]]
        return httpx.Response(200, content=monthly_price_page(total=len(rows), rows=rows,
                                                              params=params))


def test_live_api_asks_only_from_the_last_landed_month(tmp_path):
    import duckdb

    fake = IncrementalEia()
    settings = live_settings(tmp_path, eia_api_key=SECRET)
    transport = httpx.MockTransport(fake)
    energy.extract_energy(settings, transport=transport, log=lambda _m: None)
    first = [u for u in fake.urls if u.startswith(energy.EIA_API_URL)]
    assert len(first) == 1 and "start" not in httpx.URL(first[0]).params  # the whole history

    fake.urls.clear()
    energy.extract_energy(settings, transport=transport, log=lambda _m: None)
    [second] = [u for u in fake.urls if u.startswith(energy.EIA_API_URL)]
    assert httpx.URL(second).params["start"] == "2025-06"  # the last landed month on

    with duckdb.connect(str(tmp_path / "build.duckdb")) as con:
        energy.EIA_SOURCE.load(con, settings)
        rows = con.execute(
            "select period, state, price_cents_per_kwh from raw.eia_retail_sales "
            "where source = 'eia_api_v2' order by period, state").fetchall()
    assert rows == [  # the full history, each month once, the revised 2025-06 price winning
        ("2025-04", "TX", 6.40), ("2025-04", "VA", 9.00),
        ("2025-05", "TX", 6.40), ("2025-05", "VA", 9.10),
        ("2025-06", "TX", 6.40), ("2025-06", "VA", 9.35),
        ("2025-07", "TX", 6.40), ("2025-07", "VA", 9.55),
    ]
