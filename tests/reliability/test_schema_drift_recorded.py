"""Schema drift in the recorded documents of the sources with their own parsers (GPU price
files, the EIA-861M workbook, XBRL instances and inline XBRL, earnings releases): a real file
from the snapshot is changed in ``tmp_path`` (a new key, a renamed or missing key, a number
sent as text, an empty list or table) and read by the source's parser, no pipeline run.

Each case is decided per field, and its id ends with the decision: ``refused`` (an error
naming the file and the field) or ``tolerated`` (the parser's rows compared with those of the
unchanged file: equal, or differing only where the drift is, never a silent wrong value).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from orchestration.sources import eia, gpu
from orchestration.sources.base import FormatError
from orchestration.sources.sec_filings.accessions import read_landed_filing
from orchestration.sources.sec_filings.xbrl import Filing, XbrlError
from orchestration.sources.sec_releases.release import Release, ReleaseError, parse_release
from orchestration.universe import company_by_ticker
from tests.pipeline import FIXTURES

NVDA_FILINGS = "sec/filings/sec-edgar-filings/NVDA"
INSTANCE = f"{NVDA_FILINGS}/10-K/0001045810-24-000029/nvda-20240128_htm.xml"
INLINE = f"{NVDA_FILINGS}/10-K/0001045810-24-000029/primary-document.html"
RELEASE = f"{NVDA_FILINGS}/8-K/0001045810-24-000113/full-submission.txt"
RATECARDS = "gpu/rental_marketplace/gpu_price_index_backfill/backfill_ratecards.csv"
AWS_SERIES = "gpu/aws_price_list/gpu_prices.csv"
AWS_PAGES = "gpu/aws_price_list/aws_pricing_page_documents/aws.json"
MARKETPLACE = "gpu/rental_marketplace/primeintellect_summary/H100_80GB_SXM5.jsonl"
EPOCH_PRICES = "gpu/epoch/Hardware prices.csv"
WORKBOOK = "energy/eia861m/sales_revenue.xlsx"
CAPEX = "us-gaap:PaymentsToAcquireProductiveAssets"
# NVIDIA's FY2024 capex fact in the instance and in the inline document
CAPEX_INSTANCE = b'<us-gaap:PaymentsToAcquireProductiveAssets contextRef="c-1" decimals="-6" ' \
                 b'id="f-348" unitRef="usd">1069000000<'
CAPEX_INLINE = b'<ix:nonFraction unitRef="usd" contextRef="c-1" decimals="-6" ' \
               b'name="us-gaap:PaymentsToAcquireProductiveAssets" format="ixt:num-dot-decimal" ' \
               b'scale="6" id="f-348">1,069<'
RELEASE_CAPEX_LABEL = b"Purchase related to property and equipment and intangible assets"
REFUSED = (FormatError, XbrlError, ReleaseError)


# --- mutations (each asserts that what it changes is there: a changed fixture fails loudly) --

def replace(old: bytes, new: bytes, count: int = 1, after: bytes = b"") -> Callable:
    def mutate(body: bytes) -> bytes:
        start = body.index(after) if after else 0
        assert old in body[start:], old
        return body[:start] + body[start:].replace(old, new, count)
    return mutate


def csv_edit(edit: Callable[[list[list[str]]], None]) -> Callable:
    def mutate(body: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        edit(rows)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()
    return mutate


def add_column(rows: list[list[str]]) -> None:
    for index, row in enumerate(rows):
        row.append("drift_new" if index == 0 else "1")


def rename_column(old: str, new: str) -> Callable:
    def edit(rows: list[list[str]]) -> None:
        rows[0][rows[0].index(old)] = new
    return edit


def set_cell(column: str, value: str, where: Callable[[dict], bool]) -> Callable:
    def edit(rows: list[list[str]]) -> None:
        index = rows[0].index(column)
        target = next(r for r in rows[1:] if where(dict(zip(rows[0], r, strict=False))))
        target[index] = value
    return edit


def header_only(rows: list[list[str]]) -> None:
    del rows[1:]


def aws_offers(edit: Callable[[dict], None]) -> Callable:
    def mutate(body: bytes) -> bytes:
        doc = json.loads(body)
        for location in doc.values():
            for offers in location["regions"].values():
                for offer in offers.values():
                    edit(offer)
        return json.dumps(doc).encode()
    return mutate


def aws_no_offers(body: bytes) -> bytes:
    doc = json.loads(body)
    return json.dumps({loc: {"regions": {r: {} for r in d["regions"]}}
                       for loc, d in doc.items()}).encode()


def renamed_key(old: str, new: str) -> Callable[[dict], None]:
    def edit(item: dict) -> None:
        item[new] = item.pop(old)
    return edit


def json_lines(edit: Callable[[dict], None]) -> Callable:
    def mutate(body: bytes) -> bytes:
        items = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        for item in items:
            edit(item)
        return "\n".join(json.dumps(i) for i in items).encode()
    return mutate


def median(value) -> Callable[[dict], None]:
    def edit(item: dict) -> None:
        item["price_stats"]["median"] = value
    return edit


def instance_without_facts(body: bytes) -> bytes:
    root = etree.fromstring(body)
    for element in [e for e in root if isinstance(e.tag, str) and e.get("unitRef")]:
        root.remove(element)
    return etree.tostring(root)


def release_row(label: bytes) -> Callable:
    """A copy of the capex row of the cash-flow statement, under another label."""
    def mutate(body: bytes) -> bytes:
        at = body.index(RELEASE_CAPEX_LABEL)
        start, end = body.rindex(b"<tr", 0, at), body.index(b"</tr>", at) + 5
        row = body[start:end].replace(RELEASE_CAPEX_LABEL, label)
        return body[:end] + row + body[end:]
    return mutate


def release_table_emptied(body: bytes) -> bytes:
    at = body.index(RELEASE_CAPEX_LABEL)
    start, end = body.rindex(b"<table", 0, at), body.index(b"</table>", at)
    return body[:body.index(b">", start) + 1] + body[end:]


def release_without_tables(body: bytes) -> bytes:
    exhibit = body.index(b"<TYPE>EX-99.1")
    head, rest = body[:exhibit], body[exhibit:]
    while b"<table" in rest:
        start = rest.index(b"<table")
        rest = rest[:start] + rest[rest.index(b"</table>", start) + 8:]
    return head + rest


# --- the EIA-861M workbook: the real header and first data rows, in a small workbook ----------

@cache
def workbook_rows() -> tuple[tuple, ...]:
    book = openpyxl.load_workbook(FIXTURES / WORKBOOK, read_only=True, data_only=True)
    try:
        rows = book["Monthly-States"].iter_rows(values_only=True)
        return tuple(next(rows) for _ in range(3 + 60))  # header rows + 60 state-months
    finally:
        book.close()


def workbook(edit: Callable[[list[list]], None] = lambda rows: None) -> Callable:
    def mutate(_body: bytes) -> bytes:
        rows = [list(r) for r in workbook_rows()]
        edit(rows)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Monthly-States"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return mutate


def workbook_column(edit: Callable[[list], None]) -> Callable[[list[list]], None]:
    def rows_edit(rows: list[list]) -> None:
        for row in rows:
            edit(row)
    return rows_edit


PRICE = 4 + 4 * 4 + 3  # the TOTAL band's "Price" column (0-based)


def set_price(value) -> Callable[[list[list]], None]:
    def edit(rows: list[list]) -> None:
        rows[3][PRICE] = value
    return edit


# --- parsers (path in, parsed rows out; a refusal raises) --------------------------------------

def by_name(parse: Callable[[bytes, str], list[dict]]) -> Callable[[Path], list[dict]]:
    return lambda path: parse(path.read_bytes(), path.name)


def landed_xbrl(path: Path) -> Filing:
    landed = read_landed_filing("NVDA", "10-K", path.parent)
    if landed.error is not None:
        raise XbrlError(landed.error)
    assert landed.filing is not None
    return landed.filing


def release(path: Path) -> Release:
    return parse_release(path.read_bytes(), company_by_ticker("NVDA").fiscal_year_end_month,
                         str(path))


# --- what a tolerated drift must leave -----------------------------------------------------------

def same(original, drifted) -> None:
    assert drifted == original


def facts(filing: Filing) -> dict:
    return {(f.concept, f.context_id, f.unit): f for f in filing.facts}


def one_more_fact(original: Filing, drifted: Filing) -> None:
    new = facts(drifted)
    assert {k: new[k] for k in facts(original)} == facts(original)
    assert [k for k in new if k not in facts(original)] == [
        ("us-gaap:DriftNewConcept", "c-1", "USD")]


def capex_fact_unreadable_and_named(original: Filing, drifted: Filing) -> None:
    """The fact stays, without a value and with ``parse_error`` (raw.sec_filings counts it in
    ``facts_with_errors``; ``int_filing_fact_issues`` names the filing); nothing else moves."""
    old, new = facts(original), facts(drifted)
    key = (CAPEX, "c-1", "USD")
    assert old[key].value == 1_069_000_000
    assert new[key].value is None and new[key].parse_error
    assert {k: v for k, v in new.items() if k != key} == {k: v for k, v in old.items() if k != key}


def release_facts(parsed: Release) -> dict:
    return {(f.table_index, f.row_index, f.column_index): f for f in parsed.facts}


def release_capex(parsed: Release) -> list:
    return [(f.column_header, f.value) for f in parsed.facts
            if f.row_label == RELEASE_CAPEX_LABEL.decode()]


def release_new_row(original: Release, drifted: Release) -> None:
    assert release_capex(drifted) == release_capex(original)
    added = [f for f in drifted.facts if f.row_label == "Drift new line item"]
    assert [(f.column_header, f.value) for f in added] == release_capex(original)
    assert len(drifted.facts) == len(original.facts) + len(added)


def release_capex_cell_absent(original: Release, drifted: Release) -> None:
    """A cell that is not an amount is no value (as a dash is): that quarter has no release
    capex, never a wrong one; every other cell is read as before."""
    assert release_capex(original)[0] == ("Three Months Ended April 28, 2024", -369_000_000)
    assert release_capex(drifted) == release_capex(original)[1:]
    assert len(drifted.facts) == len(original.facts) - 1


def release_table_skipped(original: Release, drifted: Release) -> None:
    assert release_capex(drifted) == [] and drifted.tables == original.tables
    assert drifted.tables_skipped == original.tables_skipped + 1
    table = next(f.table_index for f in original.facts
                 if f.row_label == RELEASE_CAPEX_LABEL.decode())
    assert [f for f in drifted.facts if f.table_index == table] == []
    assert all(release_facts(original)[k] == f for k, f in release_facts(drifted).items())


@dataclass(frozen=True)
class Drift:
    id: str
    fixture: str
    mutate: Callable[[bytes], bytes]
    parse: Callable[[Path], object]
    refusal: str | None = None  # regex of the error naming file and field
    tolerated: Callable[[object, object], None] | None = None  # (unchanged, drifted) rows
    unchanged: Callable[[bytes], bytes] = bytes  # the file the drift is compared with


ratecards = by_name(gpu.parse_ratecard_index)
aws_series = by_name(gpu.parse_aws_price_series)
aws_pages = by_name(gpu.parse_aws_pricing_documents)
marketplace = by_name(gpu.parse_marketplace_summary)
epoch_prices = by_name(gpu.parse_epoch_hardware_prices)
eia861m = by_name(eia.parse_eia861m_workbook)
A100_2023_09 = {"period": "2023-09", "index_code": "GIX-A100"}
A100_PURCHASE = {"Hardware model": "NVIDIA A100 SXM4 80 GB", "Price date": "2025-03-04",
                 "Price (hardware purchase)": "17499.00"}


def matches(wanted: dict) -> Callable[[dict], bool]:
    return lambda row: all(row[k] == v for k, v in wanted.items())


CASES = [
    # GPU rental index (CSV)
    Drift("ratecards-new-column-tolerated", RATECARDS, csv_edit(add_column), ratecards,
          tolerated=same),
    Drift("ratecards-renamed-value-refused", RATECARDS,
          csv_edit(rename_column("value", "index_value")), ratecards,
          r"backfill_ratecards\.csv: missing column\(s\) \['value'\]"),
    Drift("ratecards-value-as-text-refused", RATECARDS,
          csv_edit(set_cell("value", "2.19 USD/h", matches(A100_2023_09))), ratecards,
          r"backfill_ratecards\.csv: 2023-09 GIX-A100 value is not a number: '2\.19 USD/h'"),
    Drift("ratecards-published-value-missing-refused", RATECARDS,
          csv_edit(set_cell("value", "", matches(A100_2023_09))), ratecards,
          r"backfill_ratecards\.csv: 2023-09 GIX-A100 value is empty although status is "
          r"'published'"),
    Drift("ratecards-no-rows-refused", RATECARDS, csv_edit(header_only), ratecards,
          r"backfill_ratecards\.csv: no published index value"),
    # AWS on-demand price series (CSV)
    Drift("aws-series-new-column-tolerated", AWS_SERIES, csv_edit(add_column), aws_series,
          tolerated=same),
    Drift("aws-series-renamed-price_usd-refused", AWS_SERIES,
          csv_edit(rename_column("price_usd", "price")), aws_series,
          r"gpu_prices\.csv: missing column\(s\) \['price_usd'\]"),
    Drift("aws-series-price-with-dollar-sign-tolerated", AWS_SERIES,
          replace(b",98.32\r\n", b",$98.32\r\n"), aws_series, tolerated=same),
    Drift("aws-series-price-as-text-refused", AWS_SERIES, replace(b",98.32\r\n", b",n/a\r\n"),
          aws_series, r"gpu_prices\.csv: 2025-04-23T18:52:57 price_usd is not a number: 'n/a'"),
    Drift("aws-series-no-rows-refused", AWS_SERIES, csv_edit(header_only), aws_series,
          r"gpu_prices\.csv: no row with a price_usd"),
    # AWS pricing-page documents (JSON)
    Drift("aws-pages-new-key-tolerated", AWS_PAGES,
          aws_offers(lambda offer: offer.update({"Drift New": "x"})), aws_pages,
          tolerated=same),
    Drift("aws-pages-renamed-price-refused", AWS_PAGES,
          aws_offers(renamed_key("price", "pricePerUnit")), aws_pages,
          r"aws\.json: US East \(N\. Virginia\) \S+ has no field 'price'"),
    Drift("aws-pages-renamed-instance-type-refused", AWS_PAGES,
          aws_offers(renamed_key("Instance Type", "instanceType")), aws_pages,
          r"aws\.json: US East \(N\. Virginia\): an offer has no field 'Instance Type'"),
    Drift("aws-pages-price-as-json-number-tolerated", AWS_PAGES,
          aws_offers(lambda offer: offer.update(price=float(offer["price"]))), aws_pages,
          tolerated=same),
    Drift("aws-pages-price-as-text-refused", AWS_PAGES,
          aws_offers(lambda offer: offer.update(price="n/a")), aws_pages,
          r"aws\.json: .* field 'price' is not a number: 'n/a'"),
    Drift("aws-pages-no-offers-refused", AWS_PAGES, aws_no_offers, aws_pages,
          r"aws\.json: no GPU instance offer in any location"),
    # marketplace summaries (JSON lines)
    Drift("marketplace-new-key-tolerated", MARKETPLACE,
          json_lines(lambda item: item.update(drift_new={"a": 1})), marketplace,
          tolerated=same),
    Drift("marketplace-renamed-median-refused", MARKETPLACE,
          json_lines(lambda item: item["price_stats"].update(p50=item["price_stats"].pop(
              "median"))), marketplace,
          r"H100_80GB_SXM5\.jsonl: line 1 is not a marketplace summary \('median'\)"),
    Drift("marketplace-median-as-numeric-text-tolerated", MARKETPLACE,
          json_lines(lambda item: median(str(item["price_stats"]["median"]))(item)),
          marketplace, tolerated=same),
    Drift("marketplace-median-as-text-refused", MARKETPLACE, json_lines(median("n/a")),
          marketplace,
          r"H100_80GB_SXM5\.jsonl: line 1 price_stats\.median is not a number: 'n/a'"),
    Drift("marketplace-empty-file-refused", MARKETPLACE, lambda _body: b"", marketplace,
          r"H100_80GB_SXM5\.jsonl: no marketplace summary with a median"),
    # Epoch AI hardware prices (CSV)
    Drift("epoch-prices-new-column-tolerated", EPOCH_PRICES, csv_edit(add_column),
          epoch_prices, tolerated=same),
    Drift("epoch-prices-renamed-price-date-refused", EPOCH_PRICES,
          csv_edit(rename_column("Price date", "Date")), epoch_prices,
          r"Hardware prices\.csv: missing column\(s\) \['Price date'\]"),
    Drift("epoch-prices-purchase-with-dollar-sign-tolerated", EPOCH_PRICES,
          csv_edit(set_cell("Price (hardware purchase)", "$17,499.00", matches(A100_PURCHASE))),
          epoch_prices, tolerated=same),
    Drift("epoch-prices-purchase-as-text-refused", EPOCH_PRICES,
          csv_edit(set_cell("Price (hardware purchase)", "about 17.5k", matches(A100_PURCHASE))),
          epoch_prices,
          r"Hardware prices\.csv: NVIDIA A100 SXM4 80 GB purchase price is not a number"),
    Drift("epoch-prices-no-rows-refused", EPOCH_PRICES, csv_edit(header_only), epoch_prices,
          r"Hardware prices\.csv: no GPU price row"),
    # EIA-861M workbook (xlsx): the real header and first rows
    Drift("eia861m-new-column-at-end-tolerated", WORKBOOK,
          workbook(workbook_column(lambda row: row.append("drift"))), eia861m,
          tolerated=same, unchanged=workbook()),
    Drift("eia861m-renamed-price-refused", WORKBOOK,
          workbook(lambda rows: rows[1].__setitem__(PRICE, "Average Price")), eia861m,
          r"sales_revenue\.xlsx: Monthly-States columns 21-24 should be TOTAL"),
    Drift("eia861m-price-as-numeric-text-tolerated", WORKBOOK,
          workbook(lambda rows: set_price(str(rows[3][PRICE]))(rows)), eia861m,
          tolerated=same, unchanged=workbook()),
    Drift("eia861m-price-as-text-refused", WORKBOOK, workbook(set_price("n/a")), eia861m,
          r"sales_revenue\.xlsx: Monthly-States row 4 TOTAL Price is not a number: 'n/a'"),
    Drift("eia861m-no-rows-refused", WORKBOOK, workbook(lambda rows: rows.__delitem__(
        slice(3, None))), eia861m,
          r"sales_revenue\.xlsx: sheet 'Monthly-States' has no data rows"),
    # XBRL instance (NVIDIA FY2024 10-K)
    Drift("xbrl-instance-new-concept-tolerated", INSTANCE, replace(
        b"</xbrl>", b'<us-gaap:DriftNewConcept contextRef="c-1" decimals="-6" unitRef="usd">'
        b"5000000</us-gaap:DriftNewConcept></xbrl>"), landed_xbrl, tolerated=one_more_fact),
    Drift("xbrl-instance-new-attribute-tolerated", INSTANCE,
          replace(b'id="f-348"', b'id="f-348" drift="1"'), landed_xbrl,
          tolerated=lambda o, d: same(facts(o), facts(d))),
    Drift("xbrl-instance-renamed-unitRef-refused", INSTANCE, replace(
        CAPEX_INSTANCE, CAPEX_INSTANCE.replace(b"unitRef=", b"unitReference=")), landed_xbrl,
          r"nvda-20240128_htm\.xml: fact us-gaap:PaymentsToAcquireProductiveAssets has no "
          r"unitRef"),
    Drift("xbrl-instance-renamed-contextRef-refused", INSTANCE, replace(
        CAPEX_INSTANCE, CAPEX_INSTANCE.replace(b"contextRef=", b"context=")), landed_xbrl,
          r"nvda-20240128_htm\.xml: fact us-gaap:PaymentsToAcquireProductiveAssets has no "
          r"contextRef"),
    Drift("xbrl-instance-renamed-unit-id-refused", INSTANCE,
          replace(b'<unit id="usd">', b'<unit id="USD">'), landed_xbrl,
          r"nvda-20240128_htm\.xml: fact \S+: unitRef 'usd' names no unit of the document"),
    Drift("xbrl-instance-renamed-endDate-refused", INSTANCE,
          replace(b"endDate>", b"end>", count=2, after=b'<context id="c-1">'), landed_xbrl,
          r"nvda-20240128_htm\.xml: context c-1 end: not a date: None"),
    Drift("xbrl-instance-capex-as-text-tolerated", INSTANCE,
          replace(b">1069000000<", b">1,069 million<", after=b'id="f-348"'), landed_xbrl,
          tolerated=capex_fact_unreadable_and_named),
    Drift("xbrl-instance-no-facts-refused", INSTANCE, instance_without_facts, landed_xbrl,
          r"nvda-20240128_htm\.xml: no numeric fact"),
    # inline XBRL (the same filing's primary document, read without its instance)
    Drift("ixbrl-renamed-unitRef-refused", INLINE, replace(
        CAPEX_INLINE, CAPEX_INLINE.replace(b"unitRef=", b"unit=")), landed_xbrl,
          r"primary-document\.html: fact us-gaap:PaymentsToAcquireProductiveAssets has no "
          r"unitRef"),
    Drift("ixbrl-capex-as-text-tolerated", INLINE,
          replace(CAPEX_INLINE, CAPEX_INLINE.replace(b">1,069<", b">n/a<")), landed_xbrl,
          tolerated=capex_fact_unreadable_and_named),
    Drift("ixbrl-unknown-format-tolerated", INLINE, replace(CAPEX_INLINE, CAPEX_INLINE.replace(
        b"ixt:num-dot-decimal", b"ixt:num-drift-new")), landed_xbrl,
          tolerated=capex_fact_unreadable_and_named),
    # earnings release (NVIDIA Q1 FY2025 8-K, exhibit 99.1)
    Drift("release-new-row-tolerated", RELEASE, release_row(b"Drift new line item"), release,
          tolerated=release_new_row),
    Drift("release-renamed-unit-caption-refused", RELEASE,
          replace(b"millions", b"USD m", count=-1), release,
          r"full-submission\.txt#q1fy25pr\.htm: table \d+ .*no unit stated"),
    Drift("release-renamed-month-in-header-refused", RELEASE,
          replace(b">April 28,<", b">Apr 28,<", count=-1), release,
          r"full-submission\.txt#q1fy25pr\.htm: table \d+, row \d+ .*column header "
          r"'.*Apr 28, 2024' cannot be read into a period"),
    Drift("release-capex-as-text-tolerated", RELEASE,
          replace(b">(369)<", b">n/a<", after=RELEASE_CAPEX_LABEL), release,
          tolerated=release_capex_cell_absent),
    Drift("release-empty-table-tolerated", RELEASE, release_table_emptied, release,
          tolerated=release_table_skipped),
    Drift("release-no-tables-refused", RELEASE, release_without_tables, release,
          r"full-submission\.txt#q1fy25pr\.htm: no table with period columns"),
]


def write_copy(case: Drift, root: Path, body: bytes) -> Path:
    """The file at its own name (XBRL: in a folder named after its accession)."""
    source = FIXTURES / case.fixture
    folder = root / source.parent.name if case.parse is landed_xbrl else root
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    target.write_bytes(body)
    return target


@pytest.mark.fault(
    kind="schema drift",
    injected="recorded document drifted: {param} (a real snapshot file changed in tmp_path, "
             "read by the source's parser)",
    expected="as the case id ends: refused with an error naming the file and the field, or "
             "tolerated with the rows of the unchanged file (equal, or differing only where "
             "the drift is, flagged), never a crash or a silent wrong value",
)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_recorded_document_drift(case: Drift, tmp_path: Path) -> None:
    assert (case.refusal is None) == case.id.endswith("-tolerated")
    original = (FIXTURES / case.fixture).read_bytes()
    drifted = write_copy(case, tmp_path / "drifted", case.mutate(original))
    if case.refusal is not None:
        with pytest.raises(REFUSED, match=case.refusal):
            case.parse(drifted)
        return
    unchanged = write_copy(case, tmp_path / "unchanged", case.unchanged(original))
    assert case.tolerated is not None
    case.tolerated(case.parse(unchanged), case.parse(drifted))
