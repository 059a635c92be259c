"""XBRL fact extraction: real values from the recorded filings, and the iXBRL edge cases."""
# ruff: noqa: E501  (the inline-XBRL sample below keeps its tags on one line each)

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from orchestration.sources.sec_filings.xbrl import (
    XbrlError,
    dimension_key,
    extract_bytes,
    extract_document,
    extract_inline,
    ixt_number,
    split_full_submission,
    xbrl_document_in,
    xbrl_from_full_submission,
)
from tests.unit.support import FIXTURES

FILINGS = FIXTURES / "sec" / "filings" / "sec-edgar-filings"
SEGMENT_AXIS = "us-gaap:StatementBusinessSegmentsAxis"
OPERATING_SEGMENTS = ("srt:ConsolidationItemsAxis", "us-gaap:OperatingSegmentsMember")


def facts_of(path):
    return extract_document(path).facts


def find(facts, concept, start, end, dimensions=()):
    wanted = dimension_key(tuple(dimensions))
    hits = [f for f in facts if f.concept == concept and f.period_start == start
            and f.period_end == end and f.dimension_key == wanted]
    assert len(hits) == 1, (concept, start, end, wanted, hits)
    return hits[0]


@pytest.fixture(scope="module")
def amzn_2024():
    return facts_of(FILINGS / "AMZN/10-K/0001018724-25-000004/primary-document.html")


def test_inline_segment_revenue_aws_fy2024(amzn_2024):
    # AMZN 10-K FY2024, segment note: AWS net sales 107,556 (in millions, scale="6")
    fact = find(amzn_2024, "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
                "2024-01-01", "2024-12-31", [(SEGMENT_AXIS, "amzn:AmazonWebServicesSegmentMember")])
    assert fact.value == Decimal("107556000000")
    assert fact.unit == "USD"
    assert fact.decimals == "-6"
    assert fact.cik == 1018724


def test_inline_non_dimensional_capex_only_the_filings_carry(amzn_2024):
    # Amazon's cash-flow statement: purchases of property and equipment 82,999 / 52,729 / 63,645
    for start, end, value in [("2024-01-01", "2024-12-31", 82_999_000_000),
                              ("2023-01-01", "2023-12-31", 52_729_000_000),
                              ("2022-01-01", "2022-12-31", 63_645_000_000)]:
        fact = find(amzn_2024, "us-gaap:PaymentsToAcquireProductiveAssets", start, end)
        assert fact.value == value


def test_inline_sign_makes_an_operating_loss_negative():
    # Alphabet Q2 2023 10-Q: Google Cloud operating loss Apr-Jun 2022 shown as (590), sign="-"
    facts = facts_of(FILINGS / "GOOGL/10-Q/0001652044-23-000070/primary-document.html")
    fact = find(facts, "us-gaap:OperatingIncomeLoss", "2022-04-01", "2022-06-30",
                [OPERATING_SEGMENTS, (SEGMENT_AXIS, "goog:GoogleCloudMember")])
    assert fact.value == Decimal("-590000000")
    cloud = find(facts, "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
                 "2023-04-01", "2023-06-30", [(SEGMENT_AXIS, "goog:GoogleCloudMember")])
    assert cloud.value == Decimal("8031000000")


def test_inline_product_line_and_renamed_segment_member():
    facts = facts_of(FILINGS / "NVDA/10-K/0001045810-25-000023/primary-document.html")
    data_center = find(facts, "us-gaap:Revenues", "2024-01-29", "2025-01-26",
                       [("srt:ProductOrServiceAxis", "nvda:DataCenterMember")])
    assert data_center.value == Decimal("115186000000")
    compute = find(facts, "us-gaap:Revenues", "2024-01-29", "2025-01-26",
                   [OPERATING_SEGMENTS, (SEGMENT_AXIS, "nvda:ComputeAndNetworkingSegmentMember")])
    assert compute.value == Decimal("116193000000")


def test_inline_meta_reality_labs_and_oracle_cloud():
    meta = facts_of(FILINGS / "META/10-K/0001326801-25-000017/primary-document.html")
    reality_labs = find(meta, "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
                        "2024-01-01", "2024-12-31", [(SEGMENT_AXIS, "meta:RealityLabsMember")])
    assert reality_labs.value == Decimal("2146000000")
    capex = find(meta, "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
                 "2024-01-01", "2024-12-31")
    assert capex.value == Decimal("37256000000")
    orcl = facts_of(FILINGS / "ORCL/10-Q/0000950170-23-047713/primary-document.html")
    cloud = find(orcl, "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
                 "2023-06-01", "2023-08-31",
                 [OPERATING_SEGMENTS, (SEGMENT_AXIS, "orcl:CloudAndLicenseBusinessMember")])
    assert cloud.value == Decimal("10356000000")


def test_instance_document_msft_intelligent_cloud():
    # MSFT Q1 FY2016 10-Q instance: first Intelligent Cloud quarter, on the us-gaap
    # ConsolidationItemsAxis (OperatingSegmentsMember) beside the segment axis
    filing = extract_document(FILINGS / "MSFT/10-Q/0001193125-15-350718/msft-20150930.xml")
    assert filing.form == "instance"
    assert (filing.document_type, filing.period_end_date) == ("10-Q", "2015-09-30")
    assert (filing.fiscal_year_focus, filing.fiscal_period_focus) == ("2016", "Q1")
    dims = [("us-gaap:ConsolidationItemsAxis", "us-gaap:OperatingSegmentsMember"),
            (SEGMENT_AXIS, "msft:IntelligentCloudMember")]
    assert find(filing.facts, "us-gaap:SalesRevenueNet", "2015-07-01", "2015-09-30",
                dims).value == Decimal("5892000000")
    assert find(filing.facts, "us-gaap:SalesRevenueNet", "2014-07-01", "2014-09-30",
                dims).value == Decimal("5475000000")
    assert find(filing.facts, "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
                "2015-07-01", "2015-09-30").value == Decimal("1356000000")


def test_instance_and_inline_of_the_same_filing_agree():
    folder = FILINGS / "NVDA/10-K/0001045810-24-000029"
    instance = {(f.concept, f.period_start, f.period_end, f.dimensions, f.unit): f.value
                for f in facts_of(folder / "nvda-20240128_htm.xml")}
    inline = {(f.concept, f.period_start, f.period_end, f.dimensions, f.unit): f.value
              for f in facts_of(folder / "primary-document.html")}
    shared = instance.keys() & inline.keys()
    assert len(shared) > 900
    assert {k: instance[k] for k in shared} == {k: inline[k] for k in shared}


def test_instance_is_preferred_in_an_accession_folder():
    assert xbrl_document_in(FILINGS / "NVDA/10-K/0001045810-24-000029").name == \
        "nvda-20240128_htm.xml"
    assert xbrl_document_in(FILINGS / "AMZN/10-K/0001018724-23-000004").name == \
        "amzn-20221231_htm.xml"
    assert xbrl_document_in(FILINGS / "META/10-Q/0001326801-23-000093").name == \
        "primary-document.html"


def test_nil_fixed_zero_and_number_words_in_a_real_document():
    meta = extract_document(FILINGS / "META/10-K/0001326801-24-000012/primary-document.html")
    assert meta.document_type == "10-K" and meta.cik == 1326801
    nil = [f for f in meta.facts if f.is_nil]
    assert nil and all(f.value is None and f.parse_error is None for f in nil)
    segments = [f for f in meta.facts if f.concept == "us-gaap:NumberOfReportableSegments"]
    assert segments and all(f.value == 2 for f in segments)  # "two", ixt-sec:numwordsen
    assert not [f for f in meta.facts if f.parse_error]


IX_DOC = """<?xml version="1.0"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
 xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:gaap="http://fasb.org/us-gaap/2024"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ixt="x" xmlns:co="http://co/2024">
<body><ix:header><ix:resources>
<xbrli:context id="d"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000000042</xbrli:identifier>
<xbrli:segment><xbrldi:explicitMember dimension="gaap:StatementBusinessSegmentsAxis">co:CloudMember</xbrldi:explicitMember></xbrli:segment></xbrli:entity>
<xbrli:period><xbrli:startDate>2024-01-01</xbrli:startDate><xbrli:endDate>2024-12-31</xbrli:endDate></xbrli:period></xbrli:context>
<xbrli:context id="i"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000000042</xbrli:identifier></xbrli:entity>
<xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
<xbrli:unit id="eps"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unitNumerator>
<xbrli:unitDenominator><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unitDenominator></xbrli:divide></xbrli:unit>
</ix:resources></ix:header>
<p><ix:nonFraction name="gaap:Revenues" contextRef="d" unitRef="usd" decimals="-6" scale="6" format="ixt:num-dot-decimal">1,234.5</ix:nonFraction></p>
<p>(<ix:nonFraction name="gaap:OperatingIncomeLoss" contextRef="d" unitRef="usd" decimals="-6" scale="6" sign="-">7</ix:nonFraction>)</p>
<p><ix:nonFraction name="gaap:Cash" contextRef="i" unitRef="usd" decimals="-3" scale="3" format="ixt:num-comma-decimal">1.234,5</ix:nonFraction></p>
<p><ix:nonFraction name="gaap:Debt" contextRef="i" unitRef="usd" decimals="-6" scale="6" format="ixt:fixed-zero">&#8212;</ix:nonFraction></p>
<p><ix:nonFraction name="gaap:Other" contextRef="i" unitRef="usd" xsi:nil="true"/></p>
<p><ix:nonFraction name="gaap:Eps" contextRef="d" unitRef="eps" decimals="2">1.25</ix:nonFraction></p>
<p><ix:nonFraction name="gaap:Odd" contextRef="i" unitRef="usd" decimals="0" format="ixt:date-monthname-day-en">May 5</ix:nonFraction></p>
<p><ix:nonFraction name="gaap:Revenues" contextRef="d" unitRef="usd" decimals="-5" scale="5" format="ixt:num-dot-decimal">12,345</ix:nonFraction></p>
</body></html>"""


def test_inline_scale_sign_format_nil_units_and_prefix_resolution():
    filing = extract_inline(IX_DOC.encode())
    by = {f.concept: f for f in filing.facts}
    revenue = by["us-gaap:Revenues"]  # the filer's "gaap" prefix resolves to us-gaap
    assert revenue.dimensions == (("us-gaap:StatementBusinessSegmentsAxis", "co:CloudMember"),)
    assert revenue.value == Decimal("1234500000")  # the more precise duplicate (-5) is kept
    assert revenue.decimals == "-5"
    assert filing.duplicates_dropped == 1 and filing.inconsistent_duplicates == []
    assert by["us-gaap:OperatingIncomeLoss"].value == Decimal("-7000000")
    assert by["us-gaap:Cash"].value == Decimal("1234500")
    assert by["us-gaap:Cash"].period_start is None and by["us-gaap:Cash"].period_end == "2024-12-31"
    assert by["us-gaap:Debt"].value == 0
    assert by["us-gaap:Other"].is_nil and by["us-gaap:Other"].value is None
    assert by["us-gaap:Eps"].unit == "USD/shares"
    odd = by["us-gaap:Odd"]
    assert odd.value is None and "unsupported format" in odd.parse_error
    assert revenue.cik == 42


def test_inconsistent_duplicates_are_named():
    doc = IX_DOC.replace(">12,345<", ">99,999<")
    filing = extract_inline(doc.encode())
    assert filing.inconsistent_duplicates and "us-gaap:Revenues" in \
        filing.inconsistent_duplicates[0]


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [("1,234", "ixt:num-dot-decimal", "1234"), ("1,234", "ixt:numdotdecimal", "1234"),
     ("—", "ixt:fixed-zero", "0"), ("no", "ixt-sec:numwordsen", "0"),
     ("twenty-one", "ixt-sec:numwordsen", "21"), ("1.234,56", "ixt:num-comma-decimal", "1234.56"),
     ("42", None, "42")],
)
def test_ixt_number(text, fmt, expected):
    assert ixt_number(text, fmt) == Decimal(expected)


@pytest.mark.parametrize(("text", "fmt"), [("—", "ixt:num-dot-decimal"), ("abc", None),
                                           ("3", "ixt:date-day-month")])
def test_ixt_number_refuses_what_it_cannot_read(text, fmt):
    with pytest.raises(ValueError):
        ixt_number(text, fmt)


def test_not_xbrl_is_a_clear_error():
    with pytest.raises(XbrlError, match="not well-formed"):
        extract_bytes(b"<html><body>unclosed")
    with pytest.raises(XbrlError, match="no ix:header"):
        extract_bytes(b"<html><body><p>plain 10-K</p></body></html>")


def test_full_submission_instance_and_filing_date():
    instance = (FILINGS / "MSFT/10-Q/0001193125-15-350718/msft-20150930.xml").read_bytes()
    bundle = (
        b"<SEC-DOCUMENT>0001193125-15-350718.txt : 20151022\n<SEC-HEADER>\n"
        b"ACCESSION NUMBER:\t\t0001193125-15-350718\nCONFORMED SUBMISSION TYPE:\t10-Q\n"
        b"FILED AS OF DATE:\t\t20151022\n</SEC-HEADER>\n"
        b"<DOCUMENT>\n<TYPE>10-Q\n<SEQUENCE>1\n<FILENAME>d13125d10q.htm\n<TEXT>\n"
        b"<html><body>no tags</body></html>\n</TEXT>\n</DOCUMENT>\n"
        b"<DOCUMENT>\n<TYPE>EX-101.INS\n<SEQUENCE>7\n<FILENAME>msft-20150930.xml\n"
        b"<DESCRIPTION>XBRL INSTANCE DOCUMENT\n<TEXT>\n<XML>\n" + instance +
        b"\n</XML>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    filed, documents = split_full_submission(bundle)
    assert filed == "2015-10-22"
    assert [d.type for d in documents] == ["10-Q", "EX-101.INS"]
    filed, filing, name = xbrl_from_full_submission(bundle)
    assert name == "msft-20150930.xml" and filing is not None
    assert len(filing.facts) == len(extract_bytes(instance).facts)


def test_all_recorded_documents_extract_quickly():
    documents = sorted(FILINGS.glob("*/*/*/primary-document.html")) + sorted(
        p for p in FILINGS.glob("*/*/*/*.xml")
        if not p.name.endswith(("_cal.xml", "_def.xml", "_lab.xml", "_pre.xml"))
    )
    assert len(documents) == 21  # 20 accessions; NVDA FY2024 has its instance and iXBRL
    started = time.perf_counter()
    counts = [len(extract_document(p).facts) for p in documents]
    elapsed = time.perf_counter() - started
    assert all(n > 400 for n in counts)
    assert elapsed < 30, f"extraction of 21 documents took {elapsed:.1f} s"
