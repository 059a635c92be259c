"""Schema drift in every JSON/CSV source parser: a new key, a renamed key, a number sent as a
string, an empty list. Each is decided per field: refused with an error naming the file and the
field, or tolerated because it is harmless (the parsers are pure functions of bytes)."""

from __future__ import annotations

import json

import pytest

from orchestration.sources import eia, epoch, gpu
from orchestration.sources.base import FormatError
from orchestration.sources.sec_company_facts.api import (
    validate_company_facts,
    validate_submissions,
)

FACT = {"end": "2025-01-26", "val": 32_000_000, "accn": "0001045810-25-000023",
        "filed": "2025-02-26", "fy": 2025, "fp": "FY", "form": "10-K"}
SKU = "Standard_ND96isr_H100_v5"
AZURE_ITEM = {"armSkuName": SKU, "currencyCode": "USD", "unitOfMeasure": "1 Hour",
              "retailPrice": 98.32, "type": "Consumption", "meterName": "ND96isr H100 v5",
              "productName": "Virtual Machines ND Series", "armRegionName": "eastus"}
EIA_ROW = {"period": "2025-06", "stateid": "VA", "sectorid": "COM", "price": "9.87",
           "sales": "5000.1", "revenue": "493.5", "customers": "400000"}
EPOCH_HEADER = "Quarter,Start Date,End Date,total_revenue,dc_revenue"


def company_facts(fact: dict | None = None, rows: list | None = None) -> bytes:
    facts = rows if rows is not None else [fact or FACT]
    return json.dumps({"cik": 1045810, "entityName": "NVIDIA CORP", "facts": {"us-gaap": {
        "PaymentsToAcquireProductiveAssets": {"units": {"USD": facts}}}}}).encode()


def submissions(recent: dict) -> bytes:
    return json.dumps({"cik": "1045810", "name": "NVIDIA CORP",
                       "filings": {"recent": recent}}).encode()


RECENT = {"accessionNumber": ["0001045810-25-000023"], "form": ["10-K"],
          "filingDate": ["2025-02-26"]}


def azure(item: dict | None = None, items: list | None = None) -> bytes:
    return json.dumps({"Items": items if items is not None else [item or AZURE_ITEM]}).encode()


def eia_page(row: dict | None = None, rows: list | None = None) -> bytes:
    return json.dumps({"request": {"command": "/v2/electricity/retail-sales/data/"},
                       "response": {"frequency": "monthly",
                                    "data": rows if rows is not None else [row or EIA_ROW]}}
                      ).encode()


def renamed(row: dict, old: str, new: str) -> dict:
    return {(new if k == old else k): v for k, v in row.items()}


def epoch_csv(*lines: str) -> bytes:
    return "\n".join(lines).encode()


# (case id, parser call, None = tolerated | regex of the error naming file and field)
CASES = [
    ("companyfacts-new-key", lambda: validate_company_facts(company_facts({**FACT, "x": 1})),
     None),
    ("companyfacts-renamed-val", lambda: validate_company_facts(
        company_facts(renamed(FACT, "val", "value"))), r"PaymentsToAcquireProductiveAssets.*"
     r"missing: val"),
    ("companyfacts-number-as-string", lambda: validate_company_facts(
        company_facts({**FACT, "val": "32000000"})), r"field 'val' is not a number: '32000000'"),
    ("companyfacts-empty-list", lambda: validate_company_facts(company_facts(rows=[])), None),
    ("submissions-new-key", lambda: validate_submissions(
        submissions({**RECENT, "isXBRL": [1]})), None),
    ("submissions-renamed-form", lambda: validate_submissions(
        submissions(renamed(RECENT, "form", "formType"))), r"needs lists .*form"),
    ("submissions-cik-as-string", lambda: validate_submissions(submissions(RECENT)), None),
    ("submissions-empty-lists", lambda: validate_submissions(
        submissions({k: [] for k in RECENT})), None),
    ("eia-api-new-key", lambda: eia.parse_eia_api_retail_sales(
        eia_page({**EIA_ROW, "new": "1"}), "p000.json"), None),
    ("eia-api-renamed-stateid", lambda: eia.parse_eia_api_retail_sales(
        eia_page(renamed(EIA_ROW, "stateid", "state")), "p000.json"),
     r"p000\.json: row without \['stateid'\]"),
    ("eia-api-numbers-as-strings", lambda: eia.parse_eia_api_retail_sales(
        eia_page(), "p000.json"), None),  # EIA sends every value as a string, by design
    ("eia-api-empty-list", lambda: eia.parse_eia_api_retail_sales(eia_page(rows=[]),
                                                                  "p000.json"), None),
    ("azure-new-key", lambda: gpu.parse_azure_retail_prices(
        azure({**AZURE_ITEM, "new": 1}), "azure_2025-06-01.json"), None),
    ("azure-renamed-retailPrice", lambda: gpu.parse_azure_retail_prices(
        azure(renamed(AZURE_ITEM, "retailPrice", "unitPrice")), "azure_2025-06-01.json"),
     rf"azure_2025-06-01\.json: {SKU} has no field 'retailPrice'"),
    ("azure-price-as-text", lambda: gpu.parse_azure_retail_prices(
        azure({**AZURE_ITEM, "retailPrice": "n/a"}), "azure_2025-06-01.json"),
     r"azure_2025-06-01\.json: .*'retailPrice' is not a number: 'n/a'"),
    ("azure-empty-list", lambda: gpu.parse_azure_retail_prices(azure(items=[]),
                                                               "azure_2025-06-01.json"), None),
    ("epoch-new-column", lambda: epoch.parse_nvidia_quarterly_revenue(epoch_csv(
        EPOCH_HEADER + ",extra", "FY26Q1,2025-01-27,2025-04-27,44.1,39.1,x"), "rev.csv"), None),
    ("epoch-renamed-column", lambda: epoch.parse_nvidia_quarterly_revenue(epoch_csv(
        EPOCH_HEADER.replace("dc_revenue", "datacenter"), "FY26Q1,a,b,1,2"), "rev.csv"),
     r"rev\.csv: missing column\(s\) \['dc_revenue'\]"),
    ("epoch-revenue-as-text", lambda: epoch.parse_nvidia_quarterly_revenue(epoch_csv(
        EPOCH_HEADER, "FY26Q1,2025-01-27,2025-04-27,44.1 bn,39.1"), "rev.csv"),
     r"rev\.csv: FY26Q1: revenue is not a number"),
    ("epoch-no-rows", lambda: epoch.parse_nvidia_quarterly_revenue(epoch_csv(EPOCH_HEADER),
                                                                   "rev.csv"),
     r"rev\.csv: no rows"),
]


@pytest.mark.fault(
    kind="schema drift",
    injected="source document drifted: {param} (synthetic document through the source's "
             "pure parser)",
    expected="refused with an error naming the file and field, or tolerated where harmless "
             "(decided per field; see the case table in the test)",
)
@pytest.mark.parametrize(("parse", "refusal"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_drift_is_refused_by_name_or_tolerated(parse, refusal):
    if refusal is None:
        assert parse() is not None  # rows or a summary, no error
    else:
        with pytest.raises(FormatError, match=refusal):
            parse()
