"""GPU prices: rental index, cloud price lists, marketplace summaries, Epoch hardware prices.

Every parser turns one recorded/downloaded file into tidy rows in one unit: **USD per GPU-hour**
(per-instance prices divided by the GPUs per instance; Azure reservations, whose
``unitOfMeasure`` says "1 Hour" but whose price is the total for the term, divided by the
hours of the term) or **USD per GPU** for purchase prices. Layout (live and snapshot) is the
one of ``../shared/fixtures/gpu`` (see its PROVENANCE.md). A user may add price CSVs in
``AICAPEX_USER_PRICES_DIR`` (default ``user_prices/``) with the columns of ``USER_COLUMNS``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from orchestration.landing import LandingRecord
from orchestration.settings import Settings
from orchestration.sources.base import (
    FileSource,
    FormatError,
    RawTable,
    csv_rows,
    land_file,
    parse_landed,
)
from orchestration.sources.http import price_client

GPU_RATE_LOCK = ".gpu-prices-rate-limit.lock"
HOURS_PER_YEAR = 8760  # 365 x 24: a reservation term in hours (Azure bills 1 year = 8760 h)

COLUMNS = """
    observed_at timestamptz, gpu_model varchar, gpu_variant varchar, provider varchar,
    price_type varchar, usd_per_gpu_hour double, usd_per_gpu double, instance_type varchar,
    gpus_per_instance integer, region varchar, source varchar, source_file varchar,
    source_url varchar, loaded_at timestamptz
"""
ROW_KEYS = ("observed_at", "gpu_model", "gpu_variant", "provider", "price_type",
            "usd_per_gpu_hour", "usd_per_gpu", "instance_type", "gpus_per_instance", "region",
            "source", "source_file", "source_url")

# AWS / Azure instance types -> (canonical GPU model, GPUs per instance), from the providers'
# instance-type documentation.
AWS_INSTANCES = {
    "p4d.24xlarge": ("A100", 8), "p4de.24xlarge": ("A100", 8), "p5.4xlarge": ("H100", 1),
    "p5.48xlarge": ("H100", 8), "p5e.48xlarge": ("H200", 8), "p5en.48xlarge": ("H200", 8),
    "p6-b200.48xlarge": ("B200", 8), "p6-b300.48xlarge": ("B300", 8),
    "g6e.xlarge": ("L40S", 1), "g6e.12xlarge": ("L40S", 4), "g6e.48xlarge": ("L40S", 8),
}
AZURE_SKUS = {
    "Standard_ND96isr_H100_v5": ("H100", 8), "Standard_ND96is_H100_v5": ("H100", 8),
    "Standard_ND96asr_v4": ("A100", 8), "Standard_ND96amsr_A100_v4": ("A100", 8),
    "Standard_ND40rs_v2": ("V100", 8), "Standard_ND96isr_H200_v5": ("H200", 8),
}
RATECARD_CODES = {"GIX-H100": "H100", "GIX-H200": "H200", "GIX-B200": "B200",
                  "GIX-A100": "A100"}
_MODEL_PATTERNS = [("GH200", "GH200"), ("H200", "H200"), ("H100", "H100"), ("B300", "B300"),
                   ("B200", "B200"), ("A100", "A100"), ("V100", "V100"), ("L40S", "L40S")]

USER_COLUMNS = ("observed_date", "gpu_model", "provider", "price_type", "usd_per_gpu_hour",
                "source_url")


def canonical_model(name: str) -> str | None:
    upper = name.upper().replace(" ", "")
    for needle, model in _MODEL_PATTERNS:
        if needle in upper:
            return model
    return None


def _row(**values) -> dict:
    row = dict.fromkeys(ROW_KEYS)
    row.update(values)
    return row


def _float(value, name: str, what: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError as exc:
        raise FormatError(f"{name}: {what} is not a number: {value!r}") from exc


def _not_empty(rows: list[dict], name: str, what: str) -> list[dict]:
    """A whole price document without one price is refused: the source changed its layout
    (or lost its data), and an empty load would silently drop the source from the marts."""
    if not rows:
        raise FormatError(f"{name}: no {what}")
    return rows


def parse_ratecard_index(body: bytes, name: str = "backfill_ratecards.csv") -> list[dict]:
    """Monthly rental index (GIX-*) in $/GPU-hour; withheld months carry no value."""
    out = []
    for item in csv_rows(body, name, ("period", "index_code", "status", "value", "label")):
        model = RATECARD_CODES.get(item["index_code"])
        if model is None:
            raise FormatError(f"{name}: unknown index_code {item['index_code']!r}")
        if item["status"] != "published":
            continue
        where = f"{item['period']} {item['index_code']} value"
        value = _float(item["value"], name, where)
        if value is None:
            raise FormatError(f"{name}: {where} is empty although status is 'published'")
        out.append(_row(
            observed_at=f"{item['period']}-01T00:00:00+00:00", gpu_model=model,
            gpu_variant=item["index_code"], provider="us_rate_cards", price_type="rental_index",
            usd_per_gpu_hour=value,
            source="gpu_price_index_backfill", source_file=name, source_url=GPU_URLS["ratecards"]))
    return _not_empty(out, name, "published index value")


def parse_aws_price_series(body: bytes, name: str = "gpu_prices.csv") -> list[dict]:
    """Daily AWS on-demand instance prices -> $/GPU-hour (rows without a price are skipped)."""
    out = []
    for item in csv_rows(body, name, ("timestamp", "instance", "price_usd")):
        price = _float(item["price_usd"], name, f"{item['timestamp']} price_usd")
        if price is None:
            continue
        if item["instance"] not in AWS_INSTANCES:
            raise FormatError(f"{name}: unknown instance type {item['instance']!r}")
        model, gpus = AWS_INSTANCES[item["instance"]]
        out.append(_row(
            observed_at=_iso(item["timestamp"]), gpu_model=model, gpu_variant=item["instance"],
            provider="aws", price_type="on_demand", usd_per_gpu_hour=price / gpus,
            instance_type=item["instance"], gpus_per_instance=gpus, region="us-east-1",
            source="aws_price_list", source_file=name, source_url=GPU_URLS["aws_series"]))
    return _not_empty(out, name, "row with a price_usd")


def parse_aws_pricing_documents(body: bytes, name: str = "aws.json",
                                observed_at: str | None = None) -> list[dict]:
    """AWS pricing-page documents ``{Location: document}`` -> $/GPU-hour per location.

    The documents carry no date: ``observed_at`` is the retrieval time in live mode and
    unknown (None) for a recorded file, which keeps those rows out of the monthly marts.
    """
    try:
        doc = json.loads(body)
        offers = [(loc, offer) for loc, d in doc.items() for offer in d["regions"][loc].values()]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FormatError(f"{name}: not AWS pricing-page documents ({type(exc).__name__}: "
                          f"{exc})") from exc
    out = []
    for location, offer in offers:
        if "Instance Type" not in offer:
            raise FormatError(f"{name}: {location}: an offer has no field 'Instance Type' "
                              f"(keys: {sorted(offer)})")
        instance = offer["Instance Type"]
        if instance not in AWS_INSTANCES:
            continue
        model, gpus = AWS_INSTANCES[instance]
        price = _float(offer.get("price"), name, f"{location} {instance} field 'price'")
        if price is None:
            raise FormatError(f"{name}: {location} {instance} has no field 'price' "
                              f"(keys: {sorted(offer)})")
        out.append(_row(
            observed_at=observed_at, gpu_model=model, gpu_variant=instance, provider="aws",
            price_type="on_demand", usd_per_gpu_hour=price / gpus,
            instance_type=instance, gpus_per_instance=gpus, region=location,
            source="aws_pricing_page", source_file=name,
            source_url=AWS_PAGE_URL.format(location=quote(location))))
    return _not_empty(out, name, "GPU instance offer in any location")


def parse_azure_retail_prices(body: bytes, name: str = "azure.json",
                              observed_at: str | None = None) -> list[dict]:
    """Azure Retail Prices API page(s) -> $/GPU-hour. Reservations: term total / term hours."""
    try:
        doc = json.loads(body)
        items = doc["Items"]
    except (ValueError, KeyError, TypeError) as exc:
        raise FormatError(f"{name}: not an Azure Retail Prices response ({exc})") from exc
    observed_at = observed_at or _date_in_name(name)
    out = []
    for item in items:
        sku = item.get("armSkuName")
        if sku not in AZURE_SKUS:
            continue
        if item.get("currencyCode") != "USD" or item.get("unitOfMeasure") != "1 Hour":
            raise FormatError(f"{name}: {sku} priced in {item.get('currencyCode')} per "
                              f"{item.get('unitOfMeasure')!r}, expected USD per '1 Hour'")
        model, gpus = AZURE_SKUS[sku]
        meter = item.get("meterName", "")
        price = _float(item.get("retailPrice"), name, f"{sku} field 'retailPrice'")
        if price is None:
            raise FormatError(f"{name}: {sku} has no field 'retailPrice' (keys: {sorted(item)})")
        kind = item.get("type")
        if kind == "Reservation":
            years = int(str(item.get("reservationTerm", "")).split()[0])
            price_type, per_instance_hour = f"reserved_{years}y", price / (years * HOURS_PER_YEAR)
        elif kind == "DevTestConsumption":
            price_type, per_instance_hour = "dev_test", price
        elif "Spot" in meter:
            price_type, per_instance_hour = "spot", price
        elif "Low Priority" in meter:
            price_type, per_instance_hour = "low_priority", price
        else:
            price_type, per_instance_hour = "on_demand", price
        windows = item.get("productName", "").endswith("Windows")
        out.append(_row(
            observed_at=observed_at, gpu_model=model, gpu_variant=sku, provider="azure",
            price_type=price_type + ("_windows" if windows else ""),
            usd_per_gpu_hour=per_instance_hour / gpus, instance_type=sku,
            gpus_per_instance=gpus, region=item.get("armRegionName"),
            source="azure_retail_prices", source_file=name, source_url=AZURE_URL))
    return out


def parse_marketplace_summary(body: bytes, name: str = "summary.jsonl") -> list[dict]:
    """Prime Intellect marketplace snapshots (JSON lines) -> median $/GPU-hour per snapshot."""
    out = []
    for number, line in enumerate(body.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            median = item["price_stats"]["median"]
            gpu_type, stamp = item["gpu_type"], item["timestamp"]
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{name}: line {number} is not a marketplace summary ({exc})") \
                from exc
        model = canonical_model(gpu_type)
        price = _float(median, name, f"line {number} price_stats.median")
        if model is None or price is None:
            continue
        out.append(_row(
            observed_at=stamp, gpu_model=model,
            gpu_variant=f"{gpu_type} {item.get('socket_type') or ''}".strip(),
            provider="primeintellect_marketplace", price_type="marketplace_median",
            usd_per_gpu_hour=price, source="primeintellect_summary", source_file=name,
            source_url=GPU_URLS["primeintellect"].format(file=Path(name).name)))
    return _not_empty(out, name, "marketplace summary with a median")


EPOCH_PRICE_COLUMNS = (
    ("Price per chip-hour (on-demand)", "on_demand"),
    ("Price per chip-hour (1-year CUD)", "reserved_1y"),
    ("Price per chip-hour (3-year CUD)", "reserved_3y"),
)


def parse_epoch_hardware_prices(body: bytes, name: str = "Hardware prices.csv") -> list[dict]:
    """Epoch AI hardware prices: cloud $/chip-hour by vendor, and purchase prices per chip."""
    required = ("Price source", "Price date", "Hardware model", "Vendor",
                "Price (hardware purchase)", *(c for c, _ in EPOCH_PRICE_COLUMNS))
    out = []
    for item in csv_rows(body, name, required):
        model = canonical_model(item["Hardware model"])
        if model is None or not item["Price date"]:
            continue
        common = dict(observed_at=f"{item['Price date']}T00:00:00+00:00", gpu_model=model,
                      gpu_variant=item["Hardware model"], region=item.get("Location") or None,
                      source="epoch_hardware_prices", source_file=name,
                      source_url=item["Price source"] or GPU_URLS["epoch_prices"])
        vendor = _slug(item["Vendor"]) or "unknown_vendor"
        for column, price_type in EPOCH_PRICE_COLUMNS:
            value = _float(item[column], name, f"{item['Hardware model']} {column}")
            if value is not None:
                out.append(_row(**common, provider=vendor, price_type=price_type,
                                usd_per_gpu_hour=value))
        purchase = _float(item["Price (hardware purchase)"], name,
                          f"{item['Hardware model']} purchase price")
        if purchase is not None:
            out.append(_row(**common, provider=vendor if item["Vendor"] else "retail",
                            price_type="purchase", usd_per_gpu=purchase))
    return _not_empty(out, name, "GPU price row")


def parse_user_prices(body: bytes, name: str = "user.csv") -> list[dict]:
    """A user's own price CSV (README): one row per observation, $/GPU-hour."""
    out = []
    for number, item in enumerate(csv_rows(body, name, USER_COLUMNS), start=2):
        model = item["gpu_model"].strip()
        if not model or not item["provider"].strip() or not item["price_type"].strip():
            raise FormatError(f"{name}: line {number}: gpu_model, provider and price_type "
                              "are required")
        try:
            observed = date.fromisoformat(item["observed_date"].strip())
        except ValueError as exc:
            raise FormatError(f"{name}: line {number}: observed_date "
                              f"{item['observed_date']!r} is not YYYY-MM-DD") from exc
        price = _float(item["usd_per_gpu_hour"], name, f"line {number} usd_per_gpu_hour")
        if price is None or price <= 0:
            raise FormatError(f"{name}: line {number}: usd_per_gpu_hour must be > 0")
        out.append(_row(
            observed_at=f"{observed.isoformat()}T00:00:00+00:00",
            gpu_model=canonical_model(model) or model, gpu_variant=model,
            provider=_slug(item["provider"]), price_type=_slug(item["price_type"]),
            usd_per_gpu_hour=price, source="user_csv", source_file=name,
            source_url=item["source_url"].strip() or name))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _iso(stamp: str) -> str:
    value = datetime.fromisoformat(stamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _date_in_name(name: str) -> str | None:
    found = re.search(r"(\d{4}-\d{2}-\d{2})", Path(name).name)
    return f"{found.group(1)}T00:00:00+00:00" if found else None


# --- live endpoints and the recorded layout -------------------------------------------------

GPU_URLS = {
    "ratecards": "https://raw.githubusercontent.com/henryzhangpku/gpu-price-index/main/series/"
                 "backfill_ratecards.csv",
    "aws_series": "https://raw.githubusercontent.com/amorton45/aws-gpu-price-tracker/main/"
                  "gpu_prices.csv",
    "primeintellect": "https://raw.githubusercontent.com/tugot17/gpu-price-tracker/main/data/"
                      "summary/{file}",
    "epoch_prices": "https://raw.githubusercontent.com/epoch-research/training-cost-trends/main/"
                    "data/Hardware%20prices.csv",
}
# Sources that are raw files in someone's GitHub repository, not a provider's API: they change
# or stop when their owner does (README "Sources"; the gpu_prices freshness check names them).
RAW_FILE_SOURCES = {
    "gpu_price_index_backfill": "raw file in the personal repository henryzhangpku/gpu-price-index",
    "aws_price_list": "raw file in the personal repository amorton45/aws-gpu-price-tracker",
    "primeintellect_summary": "raw file in the personal repository tugot17/gpu-price-tracker, "
                              "not updated since 2025-11-16",
    "epoch_hardware_prices": "raw file in Epoch AI's repository "
                             "epoch-research/training-cost-trends (last price date 2025-03-17)",
}
AWS_PAGE_URL = ("https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/ec2/USD/current/"
                "ec2-ondemand-without-sec-sel/{location}/Linux/index.json")
AWS_LOCATIONS = ("US East (N. Virginia)", "US East (Ohio)", "US West (Oregon)")
AZURE_URL = ("https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview"
             "&$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' "
             "and contains(armSkuName, 'ND')")
MARKETPLACE_FILES = ("A100_80GB_PCIe.jsonl", "A100_80GB_SXM4.jsonl", "B200_180GB.jsonl",
                     "GH200_96GB.jsonl", "H100_80GB_PCIe.jsonl", "H100_80GB_SXM5.jsonl",
                     "H200_141GB.jsonl")


@dataclass(frozen=True)
class GpuDocument:
    source: str
    relative_path: str
    parse: Callable[[bytes, str], list[dict]]
    url: str | None


def gpu_documents(today: date | None = None) -> list[GpuDocument]:
    """The single-file GPU documents (Azure and AWS pages are assembled separately)."""
    docs = [
        GpuDocument("gpu_price_index_backfill",
                    "gpu/rental_marketplace/gpu_price_index_backfill/backfill_ratecards.csv",
                    parse_ratecard_index, GPU_URLS["ratecards"]),
        GpuDocument("aws_price_list", "gpu/aws_price_list/gpu_prices.csv",
                    parse_aws_price_series, GPU_URLS["aws_series"]),
        GpuDocument("epoch_hardware_prices", "gpu/epoch/Hardware prices.csv",
                    parse_epoch_hardware_prices, GPU_URLS["epoch_prices"]),
    ]
    docs += [GpuDocument("primeintellect_summary",
                         f"gpu/rental_marketplace/primeintellect_summary/{f}",
                         parse_marketplace_summary, GPU_URLS["primeintellect"].format(file=f))
             for f in MARKETPLACE_FILES]
    return docs


def fetch_azure_pages(get: Callable[[str], bytes], url: str = AZURE_URL,
                      max_pages: int = 50) -> bytes:
    """Follow ``NextPageLink`` and return one document with every item (same shape)."""
    items, pages = [], 0
    while url and pages < max_pages:
        page = json.loads(get(url))
        items += page.get("Items", [])
        url, pages = page.get("NextPageLink"), pages + 1
    return json.dumps({"BillingCurrency": "USD", "Items": items, "NextPageLink": None,
                       "Count": len(items)}, indent=1).encode()


def fetch_aws_documents(get: Callable[[str], bytes]) -> bytes:
    """The pricing-page document of each location, trimmed to GPU instances."""
    out = {}
    for location in AWS_LOCATIONS:
        doc = json.loads(get(AWS_PAGE_URL.format(location=quote(location))))
        regions = doc.get("regions", {})
        out[location] = {"regions": {
            region: {k: v for k, v in offers.items() if v.get("Instance Type") in AWS_INSTANCES}
            for region, offers in regions.items()}}
    return json.dumps(out, indent=1).encode()


def extract_gpu(settings: Settings, transport=None, today: date | None = None,
                log: Callable[[str], None] = print) -> list[LandingRecord]:
    """Land every GPU price document, live or from the snapshot; user CSVs are copied too."""
    today = today or datetime.now(UTC).date()
    live = settings.mode == "live"
    client = price_client(settings, GPU_RATE_LOCK, transport=transport) if live else None
    records = []
    for doc in gpu_documents(today):
        records.append(land_file(settings, doc.source, doc.relative_path, doc.parse,
                                 origin=doc.url,
                                 fetch=(lambda u=doc.url: client.get(u)) if live else None))
    if live:
        azure_rel = f"gpu/azure_retail_prices/azure_retail_eastus_nd_{today.isoformat()}.json"
        records.append(land_file(settings, "azure_retail_prices", azure_rel,
                                 parse_azure_retail_prices, origin=AZURE_URL,
                                 fetch=lambda: fetch_azure_pages(client.get)))
        aws_rel = f"gpu/aws_price_list/aws_pricing_page_documents/aws_{today.isoformat()}.json"
        records.append(land_file(settings, "aws_pricing_page", aws_rel,
                                 parse_aws_pricing_documents, origin=AWS_PAGE_URL,
                                 fetch=lambda: fetch_aws_documents(client.get)))
    else:
        for folder, source, parse in (
            ("gpu/azure_retail_prices", "azure_retail_prices", parse_azure_retail_prices),
            ("gpu/aws_price_list/aws_pricing_page_documents", "aws_pricing_page",
             parse_aws_pricing_documents),
        ):
            base = settings.snapshot_dir / folder
            for path in sorted(base.glob("*.json")) if base.is_dir() else []:
                records.append(land_file(settings, source, f"{folder}/{path.name}", parse))
    user_dir = settings.user_prices_dir
    for path in sorted(user_dir.glob("*.csv")) if user_dir.is_dir() else []:
        body = path.read_bytes()
        # the user's own file: a bad one fails the run (README), it is not a source outage
        records.append(land_file(settings, "user_csv", f"gpu/user_prices/{path.name}",
                                 parse_user_prices, origin=str(path), fetch=lambda b=body: b,
                                 strict=True))
    return records


def _parse_landed_aws_pages(body: bytes, name: str) -> list[dict]:
    return parse_aws_pricing_documents(body, name, _date_in_name(Path(name).name))


# (landing-log source, parser), in the order ``raw.gpu_prices`` is loaded
PARSERS: tuple[tuple[str, Callable[[bytes, str], list[dict]]], ...] = (
    ("gpu_price_index_backfill", parse_ratecard_index),
    ("aws_price_list", parse_aws_price_series),
    ("aws_pricing_page", _parse_landed_aws_pages),
    ("azure_retail_prices", parse_azure_retail_prices),
    ("primeintellect_summary", parse_marketplace_summary),
    ("epoch_hardware_prices", parse_epoch_hardware_prices),
    ("user_csv", parse_user_prices),
)


def parse_landed_gpu(landing_dir: Path) -> list[dict]:
    """Every landed GPU price file -> tidy rows (what ``raw.gpu_prices`` holds)."""
    return parse_landed(landing_dir, PARSERS)


GPU_SOURCE = FileSource(
    key=("gpu", "gpu_prices"), group="gpu_extract", kinds=frozenset({"python", "csv"}),
    description="GPU rental index, AWS/Azure price lists, marketplace summaries, Epoch "
                "hardware prices and user price CSVs, landed.",
    table=RawTable("gpu_prices", COLUMNS,
                   "GPU prices, one row per observation ($/GPU-hour or $/GPU)."),
    row_keys=ROW_KEYS, parsers=PARSERS, land=extract_gpu, parser_module=sys.modules[__name__],
)
