"""Empty or non-XBRL filings are refused with a clear error, never read as 'no facts'."""

from __future__ import annotations

import pytest

from orchestration.sources.sec_filings.xbrl import XbrlError, extract_bytes


@pytest.mark.fault(
    kind="bad input",
    injected="a filing document that is {param} (bytes passed to the XBRL extractor)",
    expected="XbrlError naming why (not well-formed XML / no ix:header), never 'no facts'",
)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML: Document is empty"),
        (b"   \n", "not well-formed XML"),
        (b"<html><body>Filing unavailable</body></html>", "no ix:header"),
        (b"<xbrl", "not well-formed XML"),
    ],
    ids=["empty", "blank", "html-without-xbrl", "truncated"],
)
def test_empty_or_broken_filing_is_refused(data, message):
    with pytest.raises(XbrlError, match=message):
        extract_bytes(data)


@pytest.mark.fault(
    kind="bad input",
    injected="an XBRL instance with no facts",
    expected="parsed as a filing with zero facts (not an error)",
)
def test_instance_without_facts_has_no_facts():
    filing = extract_bytes(b'<xbrl xmlns="http://www.xbrl.org/2003/instance"></xbrl>')
    assert filing.facts == []
