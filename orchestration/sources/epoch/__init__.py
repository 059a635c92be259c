"""Epoch AI's compilation of NVIDIA quarterly revenue: a clearly labelled secondary source.

Used only for NVIDIA data-center revenue in quarters without a filing figure (filings win);
layout ``other/epoch_ai_chip_counts/data_inputs/Nvidia quarterly revenue.csv`` (live: the
file in the public ``epoch-research/ai-chip-counts`` repository, no key). Values are in USD
billions in the file and USD in the rows returned here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from orchestration.landing import LandingRecord
from orchestration.settings import Settings
from orchestration.sources import base
from orchestration.sources.base import FileSource, FormatError, RawTable, land_file
from orchestration.sources.http import price_client

NVIDIA_REVENUE_RELATIVE = "other/epoch_ai_chip_counts/data_inputs/Nvidia quarterly revenue.csv"
NVIDIA_REVENUE_URL = ("https://raw.githubusercontent.com/epoch-research/ai-chip-counts/main/"
                      "data_inputs/Nvidia%20quarterly%20revenue.csv")
REQUIRED = ("Quarter", "Start Date", "End Date", "total_revenue", "dc_revenue")
_QUARTER = re.compile(r"^FY(\d{2})Q([1-4])$")
_URL = re.compile(r"https?://\S+")
BILLION = 1_000_000_000
SOURCE = "epoch_nvidia_revenue"

COLUMNS = """
    fiscal_label varchar, fiscal_year integer, fiscal_quarter integer, period_start date,
    period_end date, total_revenue_usd bigint, data_center_revenue_usd bigint,
    cited_url varchar, source varchar, source_file varchar, source_url varchar,
    loaded_at timestamptz
"""
ROW_KEYS = ("fiscal_label", "fiscal_year", "fiscal_quarter", "period_start", "period_end",
            "total_revenue_usd", "data_center_revenue_usd", "cited_url", "source",
            "source_file", "source_url")


def parse_nvidia_quarterly_revenue(body: bytes, name: str = "Nvidia quarterly revenue.csv"
                                   ) -> list[dict]:
    out = []
    for item in base.csv_rows(body, name, REQUIRED):
        match = _QUARTER.match(item["Quarter"].strip())
        if not match:
            raise FormatError(f"{name}: Quarter {item['Quarter']!r} is not like FY26Q3")
        try:
            total = float(item["total_revenue"]) * BILLION
            data_center = float(item["dc_revenue"]) * BILLION
        except ValueError as exc:
            raise FormatError(f"{name}: {item['Quarter']}: revenue is not a number") from exc
        cited = _URL.search(" ".join(item.get(k) or "" for k in
                                     ("CFO commentary link", "Notes")))
        out.append({
            "fiscal_label": item["Quarter"].strip(),
            "fiscal_year": 2000 + int(match.group(1)),
            "fiscal_quarter": int(match.group(2)),
            "period_start": item["Start Date"], "period_end": item["End Date"],
            "total_revenue_usd": round(total), "data_center_revenue_usd": round(data_center),
            "cited_url": cited.group(0).rstrip(",.") if cited else None,
            "source": "epoch_ai_nvidia_quarterly_revenue", "source_file": name,
            "source_url": NVIDIA_REVENUE_URL,
        })
    if not out:
        raise FormatError(f"{name}: no rows")
    return out


def extract_epoch(settings: Settings, transport=None,
                  log: Callable[[str], None] = print) -> list[LandingRecord]:
    live = settings.mode == "live"
    client = price_client(settings, ".epoch-rate-limit.lock", transport=transport) if live \
        else None
    return [land_file(settings, SOURCE, NVIDIA_REVENUE_RELATIVE, parse_nvidia_quarterly_revenue,
                      origin=NVIDIA_REVENUE_URL,
                      fetch=(lambda: client.get(NVIDIA_REVENUE_URL)) if live else None)]


PARSERS = ((SOURCE, parse_nvidia_quarterly_revenue),)


def parse_landed_epoch(landing_dir: Path) -> list[dict]:
    return base.parse_landed(landing_dir, PARSERS)


EPOCH_SOURCE = FileSource(
    key=("other", "epoch_nvidia_revenue"), group="gpu_extract", kinds=frozenset({"python", "csv"}),
    description="Epoch AI's compilation of NVIDIA quarterly (data-center) revenue.",
    table=RawTable("epoch_nvidia_quarterly_revenue", COLUMNS,
                   "Epoch AI's NVIDIA quarterly revenue compilation (USD)."),
    row_keys=ROW_KEYS, parsers=PARSERS, land=extract_epoch, parser_module=sys.modules[__name__],
)
