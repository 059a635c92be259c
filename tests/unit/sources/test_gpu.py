"""GPU prices and Epoch's NVIDIA revenue: parsers on the recorded files, snapshot and live."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx
import pytest

from orchestration.sources import epoch, gpu
from orchestration.sources.base import DocumentError, FormatError, stale_notes
from tests.unit.support import FIXTURES, live_settings, snapshot_settings

GPU = FIXTURES / "gpu"
RATECARDS = GPU / "rental_marketplace" / "gpu_price_index_backfill" / "backfill_ratecards.csv"
AWS_SERIES = GPU / "aws_price_list" / "gpu_prices.csv"
AWS_DOCS = GPU / "aws_price_list" / "aws_pricing_page_documents" / "aws.json"
AZURE = GPU / "azure_retail_prices" / "azure_retail_eastus_nd_2026-07-27.json"
H100_MARKET = GPU / "rental_marketplace" / "primeintellect_summary" / "H100_80GB_SXM5.jsonl"
EPOCH_PRICES = GPU / "epoch" / "Hardware prices.csv"
NVIDIA_REVENUE = FIXTURES / epoch.NVIDIA_REVENUE_RELATIVE


def _one(rows: list[dict], **match) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, len(found))
    return found[0]


def test_ratecard_index_known_months():
    rows = gpu.parse_ratecard_index(RATECARDS.read_bytes(), RATECARDS.name)
    h100 = {r["observed_at"][:7]: r["usd_per_gpu_hour"] for r in rows if r["gpu_model"] == "H100"}
    assert h100["2024-01"] == 4.7765
    assert h100["2024-10"] == 3.0414
    assert h100["2025-10"] == 2.7293
    assert h100["2026-09"] == 3.7890
    assert "2023-01" not in h100  # withheld months carry no value and are not rows
    assert _one(rows, gpu_model="A100", observed_at="2024-05-01T00:00:00+00:00")[
        "usd_per_gpu_hour"] == 1.9172
    assert _one(rows, gpu_model="H200", observed_at="2024-11-01T00:00:00+00:00")[
        "usd_per_gpu_hour"] == 3.4643
    assert _one(rows, gpu_model="B200", observed_at="2025-08-01T00:00:00+00:00")[
        "usd_per_gpu_hour"] == 5.0600
    assert {r["price_type"] for r in rows} == {"rental_index"}


def test_ratecard_changed_header_names_the_file():
    body = RATECARDS.read_bytes().replace(b"index_code", b"benchmark", 1)
    with pytest.raises(FormatError, match=r"backfill_ratecards\.csv: missing column\(s\) "
                                          r"\['index_code'\]"):
        gpu.parse_ratecard_index(body, RATECARDS.name)


def test_aws_series_is_divided_by_gpus_per_instance():
    rows = gpu.parse_aws_price_series(AWS_SERIES.read_bytes(), AWS_SERIES.name)
    assert len(rows) == 487  # 13 placeholder rows without a price are skipped
    by_day = {r["observed_at"][:10]: r["usd_per_gpu_hour"] for r in rows}
    assert by_day["2025-06-04"] == pytest.approx(98.32 / 8)  # before the June 2025 cut
    assert by_day["2025-06-05"] == pytest.approx(6.88)  # 55.04 / 8
    assert by_day["2026-08-22"] == pytest.approx(6.88)
    assert {(r["gpu_model"], r["gpus_per_instance"]) for r in rows} == {("H100", 8)}


def test_aws_series_unknown_instance_is_an_error():
    body = b"timestamp,instance,price_usd\n2025-01-01T00:00:00,x9.mega,1.0\n"
    with pytest.raises(FormatError, match=r"prices\.csv: unknown instance type 'x9\.mega'"):
        gpu.parse_aws_price_series(body, "prices.csv")


def test_aws_pricing_documents():
    rows = gpu.parse_aws_pricing_documents(AWS_DOCS.read_bytes(), AWS_DOCS.name)
    assert len(rows) == 51
    p5 = _one(rows, region="US East (N. Virginia)", instance_type="p5.48xlarge")
    assert p5["usd_per_gpu_hour"] == pytest.approx(55.04 / 8)
    b200 = _one(rows, region="US East (N. Virginia)", instance_type="p6-b200.48xlarge")
    assert (b200["gpu_model"], b200["usd_per_gpu_hour"]) == ("B200", pytest.approx(113.9328 / 8))
    assert _one(rows, region="Asia Pacific (Tokyo)", instance_type="p5.48xlarge")[
        "usd_per_gpu_hour"] == pytest.approx(68.80 / 8)
    assert {r["observed_at"] for r in rows} == {None}  # the recorded file carries no date


def test_azure_reservation_is_a_total_for_the_term():
    rows = gpu.parse_azure_retail_prices(AZURE.read_bytes(), AZURE.name)
    h100 = [r for r in rows if r["instance_type"] == "Standard_ND96isr_H100_v5"]
    by_type = {r["price_type"]: r["usd_per_gpu_hour"] for r in h100}
    assert by_type["on_demand"] == pytest.approx(98.32 / 8)
    # unitOfMeasure says "1 Hour", but a reservation price is the total for the term
    assert by_type["reserved_1y"] == pytest.approx(551221.0 / 8760 / 8)
    assert by_type["reserved_3y"] == pytest.approx(1134310.0 / (3 * 8760) / 8)
    assert {r["observed_at"] for r in rows} == {"2026-07-27T00:00:00+00:00"}
    spot = _one(rows, instance_type="Standard_ND96asr_v4", price_type="spot")
    assert spot["usd_per_gpu_hour"] == pytest.approx(5.98334 / 8)
    assert "low_priority_windows" in {r["price_type"] for r in rows}


def test_azure_non_hourly_unit_is_rejected():
    doc = json.loads(AZURE.read_bytes())
    doc["Items"][0]["unitOfMeasure"] = "1 Month"
    with pytest.raises(FormatError, match=r"azure\.json: Standard_ND96isr_H100_v5 priced in USD"):
        gpu.parse_azure_retail_prices(json.dumps(doc).encode(), "azure.json")


def test_marketplace_summary_medians():
    rows = gpu.parse_marketplace_summary(H100_MARKET.read_bytes(), H100_MARKET.name)
    assert len(rows) == 957
    first = rows[0]
    assert first["observed_at"].startswith("2025-10-19T21:01:58")
    assert (first["gpu_model"], first["usd_per_gpu_hour"]) == ("H100", 1.99)
    assert rows[-1]["usd_per_gpu_hour"] == 2.69


def test_marketplace_bad_line_is_named():
    with pytest.raises(FormatError, match=r"m\.jsonl: line 2 is not a marketplace summary"):
        gpu.parse_marketplace_summary(H100_MARKET.read_bytes().splitlines()[0] + b"\n{}\n",
                                      "m.jsonl")


def test_epoch_hardware_prices():
    rows = gpu.parse_epoch_hardware_prices(EPOCH_PRICES.read_bytes(), EPOCH_PRICES.name)
    purchase = [r for r in rows if r["price_type"] == "purchase" and r["gpu_model"] == "H100"]
    by_date = {r["observed_at"][:10]: r["usd_per_gpu"] for r in purchase
               if r["gpu_variant"] == "NVIDIA H100 SXM5 80GB"}
    assert by_date["2022-09-29"] == 44489.88
    assert by_date["2025-01-31"] == 31904.63
    lambda_h100 = [r for r in rows if r["provider"] == "lambda_labs" and r["gpu_model"] == "H100"
                   and r["price_type"] == "on_demand"]
    assert {r["observed_at"][:10]: r["usd_per_gpu_hour"] for r in lambda_h100}["2023-06-20"] \
        == 1.99


USER_CSV = (b"observed_date,gpu_model,provider,price_type,usd_per_gpu_hour,source_url\n"
            b"2025-09-15,NVIDIA H100 SXM,My Cloud,on_demand,2.49,https://example.com/quote\n")


def test_user_csv():
    [row] = gpu.parse_user_prices(USER_CSV, "mine.csv")
    assert (row["gpu_model"], row["provider"], row["usd_per_gpu_hour"]) == ("H100", "my_cloud",
                                                                            2.49)
    assert row["source"] == "user_csv"


@pytest.mark.parametrize(("body", "message"), [
    (b"date,gpu,price\n2025-01-01,H100,2\n", r"bad\.csv: missing column\(s\)"),
    (USER_CSV.replace(b"2025-09-15", b"15/09/2025"), r"bad\.csv: line 2: observed_date"),
    (USER_CSV.replace(b",2.49,", b",-1,"), r"bad\.csv: line 2: usd_per_gpu_hour must be > 0"),
])
def test_user_csv_errors_name_the_file(body, message):
    with pytest.raises(FormatError, match=message):
        gpu.parse_user_prices(body, "bad.csv")


def test_nvidia_quarterly_revenue():
    rows = epoch.parse_nvidia_quarterly_revenue(NVIDIA_REVENUE.read_bytes(), NVIDIA_REVENUE.name)
    assert len(rows) == 15
    q = {r["fiscal_label"]: r for r in rows}
    assert q["FY26Q3"]["data_center_revenue_usd"] == 51_200_000_000
    assert q["FY26Q3"]["total_revenue_usd"] == 57_000_000_000
    assert (q["FY26Q3"]["fiscal_year"], q["FY26Q3"]["fiscal_quarter"]) == (2026, 3)
    assert q["FY23Q1"]["total_revenue_usd"] == 8_290_000_000
    assert q["FY23Q1"]["period_start"] == "2022-01-31"
    assert q["FY26Q3"]["cited_url"].endswith("Q3FY26-CFO-Commentary.pdf")


def test_nvidia_quarterly_revenue_bad_label():
    body = NVIDIA_REVENUE.read_bytes().replace(b"FY26Q3", b"Q3 FY26", 1)
    with pytest.raises(FormatError, match=r"Nvidia quarterly revenue\.csv: Quarter 'Q3 FY26'"):
        epoch.parse_nvidia_quarterly_revenue(body, NVIDIA_REVENUE.name)


def test_snapshot_extract_and_landed_parse(tmp_path):
    user_dir = tmp_path / "user_prices"
    user_dir.mkdir()
    (user_dir / "mine.csv").write_bytes(USER_CSV)
    settings = snapshot_settings(tmp_path)
    records = gpu.extract_gpu(settings, log=lambda _m: None)
    assert {r.status for r in records} == {"landed"}
    assert len(records) == 3 + 7 + 2 + 1  # documents, marketplace files, Azure + AWS, user CSV
    rows = gpu.parse_landed_gpu(settings.landing_dir)
    assert {r["source"] for r in rows} == {
        "gpu_price_index_backfill", "aws_price_list", "aws_pricing_page", "azure_retail_prices",
        "primeintellect_summary", "epoch_hardware_prices", "user_csv"}
    assert epoch.extract_epoch(settings)[0].status == "landed"
    assert len(epoch.parse_landed_epoch(settings.landing_dir)) == 15


def test_snapshot_bad_file_fails_and_lands_nothing(tmp_path):
    snapshot = tmp_path / "snapshot"
    target = snapshot / "gpu" / "aws_price_list" / "gpu_prices.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"when,what\n1,2\n")
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    [record] = [r for r in gpu.extract_gpu(settings, log=lambda _m: None)
                if r.source == "aws_price_list"]
    assert record.status == "failed"
    assert re.search(r"gpu_prices\.csv: missing column", record.detail)
    assert not (settings.landing_dir / "gpu" / "aws_price_list" / "gpu_prices.csv").exists()
    assert '"status": "failed"' in settings.landing_log.read_text()


class FakeGpuWeb:
    """MockTransport handler serving the recorded bytes at the live URLs."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        azure = json.loads(AZURE.read_bytes())
        self.azure_pages = [
            {"BillingCurrency": "USD", "Items": azure["Items"][:4],
             "NextPageLink": "https://prices.azure.com/api/retail/prices?page=2", "Count": 4},
            {"BillingCurrency": "USD", "Items": azure["Items"][4:], "NextPageLink": None,
             "Count": 6},
        ]
        self.aws = json.loads(AWS_DOCS.read_bytes())
        self.files = {str(httpx.URL(d.url)): FIXTURES / d.relative_path
                      for d in gpu.gpu_documents()}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.urls.append(url)
        if url in self.files:
            return httpx.Response(200, content=self.files[url].read_bytes())
        if "prices.azure.com" in url:
            page = self.azure_pages[1 if "page=2" in url else 0]
            return httpx.Response(200, json=page)
        for location in gpu.AWS_LOCATIONS:
            if quote(location) in url or location in httpx.URL(url).path:
                return httpx.Response(200, json=self.aws[location])
        return httpx.Response(404)


def test_live_extract_follows_azure_pages_and_assembles_aws_documents(tmp_path):
    fake = FakeGpuWeb()
    settings = live_settings(tmp_path)
    from datetime import date

    records = gpu.extract_gpu(settings, transport=httpx.MockTransport(fake),
                              today=date(2026, 7, 27), log=lambda _m: None)
    assert {r.status for r in records} == {"landed"}
    assert sum("prices.azure.com" in u for u in fake.urls) == 2  # NextPageLink followed
    rows = gpu.parse_landed_gpu(settings.landing_dir)
    azure = [r for r in rows if r["source"] == "azure_retail_prices"]
    assert len(azure) == 10
    assert {r["observed_at"] for r in azure} == {"2026-07-27T00:00:00+00:00"}
    aws_page = [r for r in rows if r["source"] == "aws_pricing_page"]
    assert {r["region"] for r in aws_page} == set(gpu.AWS_LOCATIONS)
    assert {r["observed_at"] for r in aws_page} == {"2026-07-27T00:00:00+00:00"}
    assert (settings.landing_dir / "gpu" / "rental_marketplace" / "gpu_price_index_backfill" /
            "backfill_ratecards.csv").read_bytes() == RATECARDS.read_bytes()


def test_a_failing_document_fails_alone_and_keeps_the_last_good_file(tmp_path):
    settings = live_settings(tmp_path)
    fake = FakeGpuWeb()
    from datetime import date

    gpu.extract_gpu(settings, transport=httpx.MockTransport(fake), today=date(2026, 7, 27),
                    log=lambda _m: None)
    down = str(httpx.URL(gpu.GPU_URLS["ratecards"]))
    fake.urls.clear()

    def ratecards_down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500) if str(request.url) == down else fake(request)

    records = gpu.extract_gpu(settings, transport=httpx.MockTransport(ratecards_down),
                              today=date(2026, 7, 28), log=lambda _m: None)
    statuses = {r.source: r.status for r in records}
    assert statuses.pop("gpu_price_index_backfill") == "failed"
    assert set(statuses.values()) <= {"landed", "unchanged"}  # every other source answered
    assert len(statuses) == 5
    assert sum(down in u for u in fake.urls) == 0  # the 500s never reached the fake
    [note] = stale_notes(settings, records)
    assert note.startswith("gpu_price_index_backfill: ") and "HTTP 500" in note
    assert "last good data (1 landed file(s)) is kept and flagged stale" in note
    rows = gpu.parse_landed_gpu(settings.landing_dir)  # the last good rate cards are still read
    assert sum(r["source"] == "gpu_price_index_backfill" for r in rows) > 0


def test_a_bad_user_price_file_still_fails_the_extract(tmp_path):
    settings = snapshot_settings(tmp_path)
    settings.user_prices_dir.mkdir(parents=True)
    (settings.user_prices_dir / "mine.csv").write_bytes(b"observed_date,gpu_model\n")
    with pytest.raises(DocumentError, match=r"mine\.csv: missing column"):
        gpu.extract_gpu(settings, log=lambda _m: None)
