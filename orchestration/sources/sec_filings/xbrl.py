"""Pure XBRL fact extraction: inline XBRL (iXBRL) primary documents and XBRL instances.

One function per document form, both returning the same ``Filing`` (metadata + numeric facts):

* inline XBRL — ``ix:nonFraction`` facts with ``scale``, ``sign``, ``format`` and ``xsi:nil``;
  contexts and units from ``ix:resources`` (``ix:continuation`` only matters for text blocks,
  not numbers, so it is not followed);
* XBRL instance documents (``*_htm.xml`` / ``*.xml``) — every top-level fact with a ``unitRef``.

Contexts give the entity (CIK), the period (instant, or start/end of a duration) and the
explicit dimensions; units give ``USD``, ``shares``, ``USD/shares`` and so on. Concept and member
QNames are resolved through the document's namespace declarations to a canonical taxonomy
prefix (``us-gaap``, ``srt``, ``dei``; a company's extension keeps its declared prefix), so a
filer that binds ``us-gaap`` to another prefix still yields ``us-gaap:Revenues``.

Parsing uses lxml (libxml2). Measured on the 21 recorded XBRL documents (20 accessions, 46 MB):
read + parse + extract 22,854 facts in about 1.1 s; parsing alone 0.35 s with lxml against 0.7 s
with the standard library's ElementTree. lxml also keeps each element's namespace map
(``element.nsmap``), which QName-valued attributes and text (``name="us-gaap:Revenues"``,
dimension members) need for prefix resolution, and it parses without network or entity
expansion. Taxonomy-aware processors (Arelle, py-xbrl) load the DTS - schemas and linkbases
from the network or a cache - which is neither needed to read facts nor allowed in tests.
A value that cannot be read (an unknown ``format``, text that is not a number) is kept as a
fact with ``value = None`` and ``parse_error`` set, so bad XBRL is named downstream instead of
disappearing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from lxml import etree

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
IX_NAMESPACES = ("http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL")
LINK = "http://www.xbrl.org/2003/linkbase"

# namespace URI prefix -> canonical taxonomy prefix (years and versions vary by filing)
_STANDARD_TAXONOMIES = (
    ("http://fasb.org/us-gaap/", "us-gaap"),
    ("http://fasb.org/srt/", "srt"),
    ("http://xbrl.sec.gov/dei/", "dei"),
    ("http://xbrl.sec.gov/ecd/", "ecd"),
    ("http://xbrl.sec.gov/country/", "country"),
    ("http://xbrl.sec.gov/currency/", "currency"),
    ("http://xbrl.sec.gov/exch/", "exch"),
    ("http://xbrl.sec.gov/stpr/", "stpr"),
    ("http://www.xbrl.org/2003/iso4217", "iso4217"),
    ("http://www.xbrl.org/2003/instance", "xbrli"),
)

_NUMBER_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_NON_INSTANCE_CHILDREN = {"context", "unit", "schemaRef", "linkbaseRef", "roleRef",
                          "arcroleRef", "footnoteLink"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class XbrlError(ValueError):
    """The document is not XBRL this extractor can read; the message says why."""


@dataclass(frozen=True)
class Context:
    cik: int | None
    period_start: str | None  # None for an instant
    period_end: str
    dimensions: tuple[tuple[str, str], ...]  # sorted (axis, member), canonical QNames


@dataclass(frozen=True)
class Fact:
    concept: str  # canonical "taxonomy:LocalName"
    taxonomy: str
    local_name: str
    context_id: str
    cik: int | None
    period_start: str | None
    period_end: str
    dimensions: tuple[tuple[str, str], ...]
    unit: str | None
    value: Decimal | None
    decimals: str | None  # as reported: "-6", "INF", or None
    is_nil: bool = False
    parse_error: str | None = None

    @property
    def dimension_key(self) -> str:
        return dimension_key(self.dimensions)


@dataclass
class Filing:
    document_type: str | None = None  # dei:DocumentType
    period_end_date: str | None = None  # dei:DocumentPeriodEndDate (ISO)
    fiscal_year_focus: str | None = None
    fiscal_period_focus: str | None = None
    cik: int | None = None
    form: str = ""  # "ixbrl" or "instance"
    facts: list[Fact] = field(default_factory=list)
    duplicates_dropped: int = 0
    inconsistent_duplicates: list[str] = field(default_factory=list)


def dimension_key(dimensions: tuple[tuple[str, str], ...]) -> str:
    """Canonical text of a context's dimensions: ``axis=member`` sorted, joined by ``|``."""
    return "|".join(f"{axis}={member}" for axis, member in sorted(dimensions))


def canonical_prefix(namespace: str | None, declared_prefix: str | None) -> str:
    if namespace:
        for start, prefix in _STANDARD_TAXONOMIES:
            if namespace.startswith(start):
                return prefix
    return declared_prefix or "unknown"


def resolve_qname(qname: str, nsmap: dict) -> tuple[str, str]:
    """``us-gaap:Revenues`` -> (taxonomy, local name) through the element's namespace map."""
    qname = qname.strip()
    prefix, _, local = qname.rpartition(":")
    namespace = nsmap.get(prefix or None)
    return canonical_prefix(namespace, prefix or None), local


def _qualified(qname: str, nsmap: dict) -> str:
    taxonomy, local = resolve_qname(qname, nsmap)
    return f"{taxonomy}:{local}"


def _iso_date(text: str | None, what: str) -> str:
    match = _DATE.match((text or "").strip())
    if not match:
        raise XbrlError(f"{what}: not a date: {text!r}")
    return match.group(0)


def _parse_contexts(root) -> dict[str, Context]:
    contexts: dict[str, Context] = {}
    for ctx in root.iter(f"{{{XBRLI}}}context"):
        cid = ctx.get("id")
        ident = ctx.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}identifier")
        cik = None
        if ident is not None and (ident.text or "").strip().isdigit():
            cik = int(ident.text.strip())
        period = ctx.find(f"{{{XBRLI}}}period")
        if period is None:
            raise XbrlError(f"context {cid!r} has no period")
        instant = period.find(f"{{{XBRLI}}}instant")
        if instant is not None:
            start, end = None, _iso_date(instant.text, f"context {cid} instant")
        else:
            start = _iso_date(period.findtext(f"{{{XBRLI}}}startDate"), f"context {cid} start")
            end = _iso_date(period.findtext(f"{{{XBRLI}}}endDate"), f"context {cid} end")
        dims = []
        for member in ctx.iter(f"{{{XBRLDI}}}explicitMember"):
            dims.append((_qualified(member.get("dimension", ""), member.nsmap),
                         _qualified(member.text or "", member.nsmap)))
        for member in ctx.iter(f"{{{XBRLDI}}}typedMember"):
            value = "".join(member.itertext()).strip()
            dims.append((_qualified(member.get("dimension", ""), member.nsmap), f"typed:{value}"))
        contexts[cid] = Context(cik, start, end, tuple(sorted(dims)))
    return contexts


def _measure(element) -> str:
    return resolve_qname(element.text or "", element.nsmap)[1]


_MEASURES_OF = "{{" + XBRLI + "}}{}/{{" + XBRLI + "}}measure"


def _parse_units(root) -> dict[str, str]:
    units: dict[str, str] = {}
    for unit in root.iter(f"{{{XBRLI}}}unit"):
        divide = unit.find(f"{{{XBRLI}}}divide")
        if divide is not None:
            num = [_measure(m) for m in divide.iterfind(_MEASURES_OF.format("unitNumerator"))]
            den = [_measure(m) for m in divide.iterfind(_MEASURES_OF.format("unitDenominator"))]
            units[unit.get("id")] = "*".join(num) + "/" + "*".join(den)
        else:
            measures = unit.iterfind(f"{{{XBRLI}}}measure")
            units[unit.get("id")] = "*".join(_measure(m) for m in measures)
    return units


def _words_to_number(text: str) -> Decimal:
    total = 0
    for word in re.split(r"[\s-]+", text.strip().lower()):
        if not word or word == "and":
            continue
        if word not in _NUMBER_WORDS:
            raise ValueError(f"not a number word: {word!r}")
        number = _NUMBER_WORDS[word]
        total = total * number if number == 100 else total + number
    return Decimal(total)


def ixt_number(text: str, fmt: str | None) -> Decimal:
    """The number an inline-XBRL transformation reads out of displayed text."""
    local = (fmt or "").rpartition(":")[2].lower()
    cleaned = text.strip()
    if local in {"fixed-zero", "zerodash", "fixedzero"}:
        return Decimal(0)
    if local in {"numwordsen", "num-words-en"}:
        return _words_to_number(cleaned)
    if local in {"", "num-dot-decimal", "numdotdecimal", "numcommadot", "num-comma-dot"}:
        digits = re.sub(r"[\s,\u00a0]", "", cleaned)
    elif local in {"num-comma-decimal", "numcommadecimal", "numdotcomma"}:
        digits = re.sub(r"[\s.\u00a0]", "", cleaned).replace(",", ".")
    elif local in {"numunitdecimal", "num-unit-decimal"}:
        parts = re.findall(r"\d+", cleaned)
        digits = parts[0] + ("." + parts[1] if len(parts) > 1 else "")
    else:
        raise ValueError(f"unsupported format {fmt!r}")
    if not any(ch.isdigit() for ch in digits):
        raise ValueError(f"no digits in {text!r}")
    try:
        return Decimal(digits)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r} (format {fmt!r})") from exc


def _fact(element, concept_qname: str, contexts: dict[str, Context], units: dict[str, str],
          value: Decimal | None, nil: bool, error: str | None) -> Fact:
    """One numeric fact; its ``contextRef`` and ``unitRef`` must name a context and a unit of
    the document (a fact without them would silently lose its period or its unit)."""
    taxonomy, local = resolve_qname(concept_qname, element.nsmap)
    context_id, unit_id = element.get("contextRef"), element.get("unitRef")
    for field_name, ref, known in (("contextRef", context_id, contexts),
                                   ("unitRef", unit_id, units)):
        if ref is None:
            raise XbrlError(f"fact {taxonomy}:{local} has no {field_name} "
                            f"(attributes: {sorted(element.attrib)})")
        if ref not in known:
            raise XbrlError(f"fact {taxonomy}:{local}: {field_name} {ref!r} names no "
                            f"{field_name[:-3]} of the document")
    ctx = contexts[context_id]
    return Fact(f"{taxonomy}:{local}", taxonomy, local, context_id, ctx.cik, ctx.period_start,
                ctx.period_end, ctx.dimensions, units[unit_id], value, element.get("decimals"),
                nil, error)


def _nonnumeric_dei(filing: Filing, name: str, text: str) -> None:
    local = name.rpartition(":")[2]
    text = " ".join(text.split())
    if local == "DocumentType":
        filing.document_type = text
    elif local == "DocumentPeriodEndDate":
        filing.period_end_date = _normalise_date(text)
    elif local == "DocumentFiscalYearFocus":
        filing.fiscal_year_focus = text
    elif local == "DocumentFiscalPeriodFocus":
        filing.fiscal_period_focus = text
    elif local == "EntityCentralIndexKey" and text.isdigit():
        filing.cik = int(text)


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}


def _normalise_date(text: str) -> str | None:
    """ISO dates as is; 'December 31, 2024' (the cover page's display form) to ISO."""
    if _DATE.match(text):
        return text[:10]
    match = re.match(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", text)
    if match and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        return f"{match.group(3)}-{month:02d}-{int(match.group(2)):02d}"
    return None


def _deduplicate(filing: Filing) -> None:
    """One fact per (concept, context period + dimensions, unit): the most precise wins."""
    def precision(fact: Fact) -> float:
        if fact.decimals is None:
            return float("-inf")
        return float("inf") if fact.decimals.upper() == "INF" else float(fact.decimals)

    kept: dict[tuple, Fact] = {}
    for fact in filing.facts:
        key = (fact.concept, fact.period_start, fact.period_end, fact.dimensions, fact.unit)
        other = kept.get(key)
        if other is None:
            kept[key] = fact
            continue
        filing.duplicates_dropped += 1
        if other.value is not None and fact.value is not None and other.value != fact.value:
            coarse = min(precision(other), precision(fact))
            tolerance = Decimal(10) ** Decimal(-coarse) / 2 if coarse != float("-inf") else 0
            if coarse == float("inf") or abs(other.value - fact.value) > tolerance:
                filing.inconsistent_duplicates.append(
                    f"{fact.concept} {fact.period_start}..{fact.period_end} "
                    f"{fact.dimension_key or '-'}: {other.value} vs {fact.value}"
                )
        if other.value is None or (fact.value is not None and precision(fact) > precision(other)):
            kept[key] = fact
    filing.facts = list(kept.values())


def _parse_tree(data: bytes):
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True,
                             remove_comments=True, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XbrlError(f"not well-formed XML: {exc}") from exc


def extract_inline(data: bytes) -> Filing:
    """Numeric facts of an inline-XBRL document (``ix:nonFraction``)."""
    return _extract_inline_root(_parse_tree(data))


def _extract_inline_root(root) -> Filing:
    ix = next((ns for ns in IX_NAMESPACES if root.find(f".//{{{ns}}}header") is not None), None)
    if ix is None:
        raise XbrlError("no ix:header: not an inline XBRL document")
    contexts = _parse_contexts(root)
    units = _parse_units(root)
    filing = Filing(form="ixbrl")
    for element in root.iter(f"{{{ix}}}nonNumeric"):
        name = element.get("name", "")
        if name.startswith("dei:") or ":Document" in name or ":EntityCentralIndexKey" in name:
            _nonnumeric_dei(filing, name, "".join(element.itertext()))
    for element in root.iter(f"{{{ix}}}nonFraction"):
        nil = element.get(f"{{{XSI}}}nil", "false").strip().lower() == "true"
        value, error = None, None
        if not nil:
            try:
                value = ixt_number("".join(element.itertext()), element.get("format"))
                scale = int(element.get("scale", "0"))
                value = value.scaleb(scale)
                if element.get("sign") == "-":
                    value = -value
            except (ValueError, ArithmeticError) as exc:
                value, error = None, str(exc)
        filing.facts.append(_fact(element, element.get("name", ""), contexts, units, value,
                                  nil, error))
    _deduplicate(filing)
    return filing


def extract_instance(data: bytes) -> Filing:
    """Numeric facts of an XBRL instance document (top-level items with a ``unitRef``)."""
    return _extract_instance_root(_parse_tree(data))


def _extract_instance_root(root) -> Filing:
    if root.tag != f"{{{XBRLI}}}xbrl":
        raise XbrlError(f"root element is {root.tag!r}, not xbrli:xbrl")
    contexts = _parse_contexts(root)
    units = _parse_units(root)
    filing = Filing(form="instance")
    for element in root:
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.localname in _NON_INSTANCE_CHILDREN and qname.namespace in (XBRLI, LINK):
            continue
        prefix = element.prefix
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        if element.get("unitRef") is None and element.get("decimals") is None:
            if canonical_prefix(qname.namespace, prefix) == "dei":
                _nonnumeric_dei(filing, f"dei:{qname.localname}", element.text or "")
            continue  # a non-numeric fact (``decimals`` is allowed on numeric facts only)
        nil = element.get(f"{{{XSI}}}nil", "false").strip().lower() == "true"
        value, error = None, None
        if not nil:
            try:
                value = Decimal((element.text or "").strip())
            except InvalidOperation:
                error = f"not a number: {element.text!r}"
        filing.facts.append(_fact(element, name, contexts, units, value, nil, error))
    _deduplicate(filing)
    return filing


def extract_document(path: Path) -> Filing:
    """Dispatch on content: an ``xbrli:xbrl`` root is an instance, otherwise inline XBRL."""
    return extract_bytes(path.read_bytes())


def extract_bytes(data: bytes) -> Filing:
    """Either form from its bytes: an ``xbrli:xbrl`` root is an instance, else inline XBRL."""
    root = _parse_tree(data)
    if root.tag == f"{{{XBRLI}}}xbrl":
        return _extract_instance_root(root)
    return _extract_inline_root(root)


INSTANCE_NAME = re.compile(r"^[A-Za-z0-9_.-]+\.xml$")
_LINKBASE_SUFFIXES = ("_cal.xml", "_def.xml", "_lab.xml", "_pre.xml", "_ref.xml")


def xbrl_document_in(folder: Path) -> Path | None:
    """The document to extract from one accession folder.

    An XBRL instance (``*_htm.xml`` or ``*.xml`` that is not a linkbase) is preferred because
    it is the filing's own machine-readable form; else the inline primary document.
    """
    instances = sorted(
        p for p in folder.iterdir()
        if p.is_file() and INSTANCE_NAME.match(p.name) and not p.name.endswith(_LINKBASE_SUFFIXES)
        and p.name != "FilingSummary.xml"
    )
    if instances:
        return instances[0]
    primary = sorted(folder.glob("primary-document.htm*"))
    return primary[0] if primary else None


# --- full-submission.txt (the SGML bundle sec-edgar-downloader saves) ----------------------

_SGML_FIELD = re.compile(rb"^<(TYPE|FILENAME)>([^\r\n<]*)", re.M)
_WRAPPER = re.compile(rb"^\s*<(XBRL|XML)>\s*(.*?)\s*</\1>\s*$", re.S)
_FILED = re.compile(rb"FILED AS OF DATE:\s*(\d{8})")


class SubmissionDocument(NamedTuple):
    type: str
    filename: str
    body: bytes


_BODY_FIELD = re.compile(rb"\n<(?:TYPE|FILENAME)>")  # a field line inside a document's body
_SGML_SPACE = b" \t\n\r\x0b\x0c"  # what a regex's \s and ``bytes.strip()`` take
_LEADING_SPACE = re.compile(rb"\s*")


def _sgml_fields(data: bytes, begin: int, text_start: int, end: int) -> dict[str, str]:
    """TYPE and FILENAME of the document ``data[begin:end]``: read from its header (before
    ``<TEXT>``), and from the whole document only when a line of its body starts with one of
    the tags (the last one wins, as a regex over the whole document reads them)."""
    header_end = end
    if text_start >= 0 and not _BODY_FIELD.search(data, text_start, end):
        header_end = text_start
    return {k.decode(): v.decode("ascii", "replace").strip()
            for k, v in _SGML_FIELD.findall(data[begin:header_end])}


def _sgml_body(data: bytes, text_start: int, end: int) -> bytes:
    """What ``<TEXT>`` … ``</TEXT>`` encloses (before ``end``), whitespace-stripped, unwrapped
    from ``<XBRL>`` or ``<XML>``; empty without a closed ``<TEXT>``. Byte searches and one copy:
    the body is most of a submission's bytes, and a regex scan of it costs more than the parse
    of what it encloses."""
    close = data.find(b"</TEXT>", text_start, end) if text_start >= 0 else -1
    if close < 0:
        return b""
    first = _LEADING_SPACE.match(data, text_start + len(b"<TEXT>"), close).end()
    stop = close
    while stop > first and data[stop - 1] in _SGML_SPACE:
        stop -= 1
    body = data[first:stop]
    wrapped = _WRAPPER.match(body)
    return wrapped.group(2) if wrapped else body


def split_full_submission(data: bytes) -> tuple[str | None, list[SubmissionDocument]]:
    """The filing date (ISO) and the documents of an EDGAR ``full-submission.txt``."""
    filed = _FILED.search(data[:20000])
    filed_date = None
    if filed:
        raw = filed.group(1).decode()
        filed_date = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    documents = []
    position = 0
    while (start := data.find(b"<DOCUMENT>", position)) >= 0:
        end = data.find(b"</DOCUMENT>", start)
        if end < 0:
            break
        documents.append(submission_document(data, start + len(b"<DOCUMENT>"), end))
        position = end + len(b"</DOCUMENT>")
    return filed_date, documents


def submission_document(data: bytes, begin: int, end: int) -> SubmissionDocument:
    """The document ``data[begin:end]``: what a ``<DOCUMENT>`` ending at ``begin`` and the first
    ``</DOCUMENT>`` after it, at ``end``, enclose."""
    text_start = data.find(b"<TEXT>", begin, end)
    fields = _sgml_fields(data, begin, text_start, end)
    return SubmissionDocument(fields.get("TYPE", ""), fields.get("FILENAME", ""),
                              _sgml_body(data, text_start, end))


def xbrl_from_full_submission(data: bytes) -> tuple[str | None, Filing | None, str | None]:
    """(filed date, facts, document name) from a full submission: the XBRL instance
    (``EX-101.INS``) if there is one, else the inline-XBRL document among the rest."""
    filed_date, documents = split_full_submission(data)
    instance = [d for d in documents if d.type.upper() == "EX-101.INS"]
    for document in instance:
        return filed_date, extract_instance(document.body), document.filename
    for document in documents:
        if b"inlineXBRL" in document.body[:20000] and document.filename.lower().endswith(
            (".htm", ".html")
        ):
            return filed_date, extract_inline(document.body), document.filename
    return filed_date, None, None
