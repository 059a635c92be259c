"""The pure parser of an earnings release: exhibit 99.1 (HTML) of an 8-K ``full-submission.txt``.

Every numeric cell of every table whose columns are periods becomes one ``ReleaseFact``: the
table's index in the exhibit, its title (the text printed just above it) and section (the last
label-only row above the cell, e.g. "Operating Income" in a segment table), the row label as
printed, the column header as printed and the period it names (start, end, months; months 0 for
a balance-sheet date), and the value in USD (the table's unit applied; parentheses negative).

What is *not* a value: dashes, percentages, "*", and cells under a column that is a change,
a ratio or a reconciliation step ("% Change", "Constant Currency", "Less FX Effect", "Adj.",
"Non-GAAP", "TTM"). A table none of whose columns names a period (a reconciliation laid out by
row, a list of percentages) is skipped and counted, not guessed at.

What is refused (``ReleaseError``, naming file, table and row, nothing of the release kept): a
submission without EX-99.1, a column header that looks like a period but cannot be read into
one, a period table whose unit is not stated or is not thousands/millions/billions.

Periods: "Three/Six/Nine/Twelve Months Ended <Month> <day>, <year>", "Quarter Ended …",
"Year Ended …", "Year to Date …" (from the company's fiscal-year start), "As of …" or a bare
date (a balance sheet: months 0), and fiscal-quarter columns of multi-quarter tables ("Q1 2024";
"Fiscal 2024" over "Q1 … Q4 | TOTAL"), placed with the company's fiscal-year-end month. A period
that does not end on a month end (NVIDIA's 52/53-week quarters) starts 13 weeks per quarter
before it ends: exact for 52-week years, a week off in a 53-week year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from lxml import etree, html

from orchestration.sources.sec_filings.xbrl import (
    SubmissionDocument,
    split_full_submission,
    submission_document,
)

EXHIBIT = "EX-99.1"

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTH = "(" + "|".join(n for n in calendar.month_name if n) + ")"
_MONTH_DAY = re.compile(_MONTH + r"\s*(\d{1,2})\b", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DURATION = re.compile(r"\b(three|six|nine|twelve)\s*months?\s*ended", re.I)
_DURATION_MONTHS = {"three": 3, "six": 6, "nine": 9, "twelve": 12}
_QUARTER_ENDED = re.compile(r"\bquarters?\s*ended", re.I)
_YEAR_ENDED = re.compile(r"\b(fiscal\s*)?years?\s*ended", re.I)
_YEAR_TO_DATE = re.compile(r"\byear\s*to\s*date", re.I)
_AS_OF = re.compile(r"\bas\s*of\b", re.I)
_FISCAL_QUARTER = re.compile(r"\bQ([1-4])\b")
_FISCAL_YEAR = re.compile(r"\bfiscal\s*((?:19|20)\d{2})\b", re.I)
_FY = re.compile(r"\bFY\s?((?:19|20)?\d{2})\b")  # NVIDIA's "Q4 FY24", "FY24"
_TOTAL = re.compile(r"\btotal\b", re.I)
# a column of changes, ratios or reconciliation steps: its cells are not reported amounts
_NOT_AN_AMOUNT = re.compile(
    r"%|\bchange|\bgrowth|\bfx\b|currency|hedging|\badj\b|adj\.|adjust|gaap|\bttm\b|trailing"
    r"|\bmix\b|as reported|\bratio|\bmargin\b|\bunits?\b|\bbasis points",
    re.I,
)
# words that make a header a period: unreadable then means refused, not skipped
_PERIODISH = re.compile(_MONTH + r"|months?\s*ended|quarters?\s*ended|years?\s*ended"
                        r"|year\s*to\s*date|\bQ[1-4]\b|\bfiscal\s*(?:19|20)\d{2}", re.I)
# a row or table of trailing-twelve-months figures under quarter columns
_FOOTNOTE = re.compile(r"\(\d\)|\*+")
_TRAILING = re.compile(r"\bTTM\b|trailing\s*(?:twelve|12|four|4)[-\s]*(?:months|quarters)", re.I)
_UNIT = re.compile(r"\bin\s*(thousands|millions|billions)\b", re.I)
_SCALE = {"thousands": Decimal(1_000), "millions": Decimal(1_000_000),
          "billions": Decimal(1_000_000_000)}
_NUMBER = re.compile(r"^\(?\s*\$?\s*\(?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*\)?$")
_NOT_A_LABEL = {"$", ")", "%", ")%"}
_DASHES = {"-", "\u2014", "\u2013", "--", "$\u2014", "$-", "$ \u2014", "$ -"}  # em, en dash
_SPACE_BEFORE_CAPITAL = re.compile(r"(?<=[a-z,.])(?=[A-Z])")


# lxml.html's own parser looks up a Python element class for every element the parser hands
# out; the plain one gives the same tree without that per-element call
_HTML_PARSER = etree.HTMLParser()
# inline styles are four fifths of a Workiva exhibit's bytes and nothing here reads them:
# dropped before parsing (a style attribute's value cannot hold a '"'; the text of a release
# does not print ' style="', and the recorded releases parse the same with and without them)
_STYLE = re.compile(rb' style="[^"]*"')
_EXHIBIT_TYPE = re.compile(rb"^<TYPE>EX-99\.1\s*$", re.M | re.I)
_TYPES = re.compile(rb"^<TYPE>([^\r\n<]*)", re.M)


class ReleaseError(ValueError):
    """An earnings release that cannot be read whole (its message names file, table, row)."""


@dataclass(frozen=True)
class Period:
    start: date | None  # None for a balance-sheet date
    end: date
    months: int  # 0: a point in time
    # "date": the header prints the end date; "fiscal label": a fiscal quarter or year ("Q1
    # 2024", "Fiscal 2024 Q1", "Q4 FY24") placed at the month end of the company's fiscal
    # calendar, a few days off a 52/53-week filer's (NVIDIA) printed quarter end
    basis: str = "date"


@dataclass(frozen=True)
class ReleaseFact:
    table_index: int
    table_title: str
    section: str | None
    row_index: int
    row_label: str
    column_index: int
    column_header: str
    period: Period
    printed: str  # the cell as printed ("(9,735)", "$ 62,020")
    value: Decimal  # in ``unit``, scaled to units (USD, not millions)
    unit: str  # USD | USD/share | shares | count


@dataclass
class Release:
    filed_date: str | None
    exhibit: str | None  # file name of EX-99.1
    facts: list[ReleaseFact] = field(default_factory=list)
    tables: int = 0
    tables_skipped: int = 0  # no column names a period


# --- text ------------------------------------------------------------------------------------

_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)  # ``itertext()`` in one call


def _text(element, sep: str = "") -> str:
    """The element's text, whitespace collapsed; ``sep`` joins its text nodes."""
    if sep:
        return " ".join(sep.join(_TEXT_NODES(element)).split())
    return " ".join(etree.tostring(element, method="text", encoding=str, with_tail=False).split())


def _header_text(element) -> str:
    # "Three Months Ended<br>December 31," prints as two lines: keep a space between them
    return _SPACE_BEFORE_CAPITAL.sub(" ", _text(element, " "))


@lru_cache(maxsize=4096)  # a release prints most amounts in more than one table
def number(text: str) -> tuple[Decimal, bool] | None:
    """``(value, negative)`` of a printed amount cell, or None when it is not an amount."""
    if text[:1].isalpha():
        return None  # a label: an amount starts with a digit, "(", "$" or a space
    cleaned = text.replace("\u00a0", " ").strip()
    if not cleaned or "%" in cleaned:
        return None
    match = _NUMBER.match(cleaned)
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
    return value, cleaned.startswith("(") or "(" in cleaned[:3]


# --- periods ---------------------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def period_of(end: date, months: int) -> Period:
    if months == 0:
        return Period(None, end, 0)
    if end == _month_end(end.year, end.month):
        year, month = _add_months(end.year, end.month, -months + 1)
        return Period(date(year, month, 1), end, months)
    return Period(end - timedelta(weeks=13 * months // 3) + timedelta(days=1), end, months)


def fiscal_quarter_period(fiscal_year: int, quarter: int | None, fye_month: int) -> Period:
    """Fiscal ``quarter`` (None: the whole year) of ``fiscal_year`` ending in ``fye_month``."""
    last = 4 if quarter is None else quarter
    year, month = _add_months(fiscal_year, fye_month, -3 * (4 - last))
    period = period_of(_month_end(year, month), 12 if quarter is None else 3)
    return Period(period.start, period.end, period.months, "fiscal label")


def _fiscal_year(header: str) -> int | None:
    """The fiscal year of a "FY24" / "FY2024" label."""
    labels = {int(y) + (2000 if len(y) == 2 else 0) for y in _FY.findall(header)}
    return labels.pop() if len(labels) == 1 else None


def parse_period(header: str, fye_month: int) -> Period | None:
    """The period a column header names; None when it names none (``_PERIODISH`` decides
    whether that is an error)."""
    years = sorted(set(_YEAR.findall(header)))
    fiscal = _FISCAL_YEAR.search(header)
    quarter = _FISCAL_QUARTER.search(header)
    fy = _fiscal_year(header)
    if fy is not None and not years:
        return fiscal_quarter_period(fy, int(quarter.group(1)) if quarter else None, fye_month)
    if quarter and len(years) == 1:
        return fiscal_quarter_period(int(years[0]), int(quarter.group(1)), fye_month)
    if fiscal and _TOTAL.search(header) and len(years) == 1:
        return fiscal_quarter_period(int(years[0]), None, fye_month)
    month_day = _MONTH_DAY.findall(header)
    if len(years) != 1 or len({(m.lower(), d) for m, d in month_day}) != 1:
        return None
    month, day = _MONTHS[month_day[0][0].lower()], int(month_day[0][1])
    try:
        end = date(int(years[0]), month, day)
    except ValueError:
        return None
    duration = _DURATION.search(header)
    if duration:
        return period_of(end, _DURATION_MONTHS[duration.group(1).lower()])
    if _QUARTER_ENDED.search(header):
        return period_of(end, 3)
    if _YEAR_ENDED.search(header):
        return period_of(end, 12)
    if _YEAR_TO_DATE.search(header):
        months = (end.month - fye_month - 1) % 12 + 1
        return period_of(end, months)
    return period_of(end, 0)  # "As of <date>" or a bare date: a balance sheet


# the same column headers recur in every table of a release, and across releases
@lru_cache(maxsize=1024)
def _column_period(header: str, fye_month: int) -> Period | None:
    """The period of an amount column; None for a change, ratio or reconciliation column."""
    return None if _NOT_AN_AMOUNT.search(header) else parse_period(header, fye_month)


@lru_cache(maxsize=1024)
def _unreadable(header: str) -> bool:
    """A header that names no period though it prints a year, and is no change or ratio
    column: its amounts are refused, not skipped."""
    return bool(header and (_YEAR.search(header) or _FY.search(header))
                and not _NOT_AN_AMOUNT.search(header))


# --- tables ----------------------------------------------------------------------------------

@dataclass(slots=True)  # one object per cell: a release has some 100,000 of them
class _Cell:
    text: str
    element: object
    start: int
    span: int
    _header: str | None = None

    @property
    def header(self) -> str:  # only header rows need it: read on first use
        if self._header is None:
            self._header = _header_text(self.element) if self.text else ""
        return self._header


@lru_cache(maxsize=256)  # a release prints a handful of distinct colspans
def _span(colspan: str | None) -> int:
    """The printed colspan, 1 to 100 (1 when absent or not a number)."""
    if colspan is None:
        return 1
    try:
        return max(1, min(int(colspan or 1), 100))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    """``_text(cell)``; a cell without child elements is its own text."""
    if len(cell):
        return _text(cell)
    text = cell.text
    return " ".join(text.split()) if text else ""


def _grid(table) -> list[list[_Cell]]:
    """The rows printing any text, each cell with its text, first column and colspan."""
    rows = []
    for tr in table.iter("tr"):
        if not _text(tr):
            continue  # a spacer row: none of its cells prints anything
        position, cells = 0, []
        for cell in tr.iterchildren("td", "th"):
            span = _span(cell.get("colspan"))
            cells.append(_Cell(_cell_text(cell), cell, position, span))
            position += span
        if any(c.text for c in cells):
            rows.append(cells)
    return rows


_Value = tuple[_Cell, str, tuple[Decimal, bool]]  # cell, text as printed, ``number(text)``


def _label_and_values(cells: list[_Cell]) -> tuple[str | None, list[_Value]]:
    """The row label (first cell that is text, not an amount) and the amount cells after it;
    a "(123" cell followed by ")" is one negative amount, as some releases print it."""
    label, values = None, []
    filled = [c for c in cells if c.text]
    for index, cell in enumerate(filled):
        text = cell.text
        if text in _NOT_A_LABEL:
            continue
        amount = number(text)
        if label is None:
            if amount is not None:
                return None, []  # an amount before any label: a header row of years
            if text not in _DASHES and not _FOOTNOTE.fullmatch(text):
                label = text
            continue
        if amount is None:
            continue  # a dash, a percentage, a footnote mark
        following = filled[index + 1].text if index + 1 < len(filled) else ""
        if following.startswith(("%", ")%")):
            continue  # "25" "%" or "(15" "%)": a percentage printed across two cells
        values.append((cell, text, amount))
    if values and all(_YEAR.fullmatch(text) for _, text, _ in values):
        return None, []  # "In millions" over "2023 | 2022": a header row of years
    return label, values


def _leading_section(header_rows: list[list[_Cell]], first_data: list[_Cell]) -> str | None:
    """A label printed alone above the first amount row ("North America" over "Net sales")."""
    label_end = min((c.start for c in first_data if c.text and number(c.text)), default=0)
    for cells in reversed(header_rows):
        filled = [c for c in cells if c.text]
        if len(filled) == 1 and filled[0].start < label_end and not _UNIT.search(filled[0].text):
            return filled[0].text
        return None
    return None


def _realigned(header_rows: list[list[_Cell]], first_value: int) -> list[list[_Cell]]:
    """Header rows with group headers re-spanned over the cells below them when the printed
    colspans do not line up: when a cell of the last header row (the years) lies under no
    group header of a row above, and that row's G group headers divide its Y cells evenly,
    the k-th group header heads the k-th run of Y/G cells (a release whose "Twelve Months
    Ended" spans empty columns while its years sit further right)."""
    if len(header_rows) < 2:
        return header_rows
    heads = [i for i, row in enumerate(header_rows)
             if any(c.text and c.start >= first_value for c in row)]
    if len(heads) < 2:
        return header_rows
    bottom = heads[-1]
    lowest = [c for c in header_rows[bottom] if c.text and c.start >= first_value]
    result = []
    for row in header_rows[:bottom]:
        groups = [c for c in row if c.text and c.start >= first_value]
        broken = any(not any(g.start <= c.start < g.start + g.span for g in groups)
                     for c in lowest)
        if (groups and broken and len(lowest) > len(groups)
                and len(lowest) % len(groups) == 0):
            size = len(lowest) // len(groups)
            row = [c for c in row if not (c.text and c.start >= first_value)]
            for k, group in enumerate(groups):
                first, last = lowest[k * size], lowest[(k + 1) * size - 1]
                moved = _Cell(group.text, group.element, first.start,
                              last.start + last.span - first.start)
                row.append(moved)
            row.sort(key=lambda c: c.start)
        result.append(row)
    return [*result, *header_rows[bottom:]]


def _covering(row: list[_Cell], position: int, first_value: int) -> _Cell | None:
    """The header cell over ``position``: the one spanning it, else the nearest filled cell to
    its left among the value columns (a group header such as "Twelve Months Ended" whose
    colspan stops short of the columns it heads, as some releases print it)."""
    left = None
    for cell in row:
        if cell.start <= position < cell.start + cell.span:
            return cell if cell.text else left
        if first_value <= cell.start < position and cell.text:
            left = cell
    return left


def _unit(texts: list[str]) -> str | None:
    for text in texts:
        match = _UNIT.search(text)
        if match:
            return match.group(1).lower()
    return None


_BARE = re.compile(r"(basic|diluted)\b")
_PER_SHARE_LABEL = re.compile(r"per (diluted |basic )?share|\beps\b")
_PER_SHARE_SECTION = re.compile(r"per share|\beps\b|earnings")
_COUNT = re.compile(r"number of|employees|headcount")
_SHARES = re.compile(r"\bshares\b")
_MONEY = re.compile(r"repurchase|issu|compensation|withholding|payment|proceeds|buyback"
                    r"|dividend|cash")
_SHARES_SECTION = re.compile(r"weighted|shares")


@lru_cache(maxsize=4096)  # every amount of a row asks again
def _row_unit(label: str, section: str | None) -> str:
    """USD unless the row says otherwise: per-share amounts, share counts, head counts. A
    section ("Earnings per share:") decides only for the bare "Basic"/"Diluted" rows below it."""
    label, section = label.lower(), (section or "").lower()
    bare = _BARE.match(label) is not None
    if (_PER_SHARE_LABEL.search(label)
            or (bare and _PER_SHARE_SECTION.search(section))):
        return "USD/share"
    if _COUNT.search(label):
        return "count"
    if ((_SHARES.search(label) and not _MONEY.search(label))
            or (bare and _SHARES_SECTION.search(section))):
        return "shares"
    return "USD"


@dataclass
class _Heading:
    """What a table printed above its first amount row: kept for a continuation table (a
    statement split across pages whose second part has amount rows only)."""

    header_rows: list[list[_Cell]]
    first_value: int
    title: str
    unit: str | None
    section: str | None


def _table_facts(table, index: int, context: list[str], running_unit: str | None,
                 fye_month: int, where: str, previous: _Heading | None
                 ) -> tuple[list[ReleaseFact] | None, _Heading | None]:
    """Facts of one table (None when no column names a period: a table to skip) and its
    heading."""
    rows = _grid(table)
    read = [_label_and_values(cells) for cells in rows]
    first_data = next((i for i, (_, values) in enumerate(read) if values), None)
    if first_data is None:
        return None, None
    first_label = read[first_data][0]
    first_value = next(c.start + c.span for c in rows[first_data] if c.text == first_label)
    if first_data == 0 and previous is not None and previous.first_value == first_value:
        heading = _Heading(previous.header_rows, first_value, previous.title,
                           previous.unit, previous.section)  # continued from the last table
    else:
        header_rows = rows[:first_data]
        captions = [c.text for row in header_rows for c in row
                    if c.text and c.start < first_value and c.start + c.span > first_value]
        heading = _Heading(header_rows, first_value,
                           " / ".join([*context[-3:], *captions])[:400],
                           _unit([_text(table, " ")[:800]]) or running_unit,
                           _leading_section(header_rows, rows[first_data]))
    header_rows = _realigned(heading.header_rows, first_value)
    title, section = heading.title, heading.section
    facts: list[ReleaseFact] = []
    trailing_table = bool(_TRAILING.search(title))
    headers: dict[int, tuple[str, Period | None]] = {}

    def column(position: int) -> tuple[str, Period | None]:
        if position not in headers:
            cells = [c for row in header_rows
                     if (c := _covering(row, position, first_value)) is not None and c.header]
            # a caption printed inside the table spans the label column too: the header
            # is the cells over the amounts, unless only the caption names the period
            own = [c.header for c in cells if c.start >= first_value]
            for parts in (own, [c.header for c in cells]):
                text = " ".join(dict.fromkeys(parts))  # a cell spanning rows counts once
                period = _column_period(text, fye_month)
                if period is not None:
                    break
            headers[position] = (text, period)
        return headers[position]

    pending: list[tuple[int, str, str | None, _Value, str, Period]] = []
    periodish: list[str] = []
    for row_index, cells in enumerate(rows[first_data:], start=first_data):
        label, values = read[row_index]
        if label is None:
            continue
        if not values:
            if len([c for c in cells if c.text]) == 1:
                section = label  # a label alone on its row heads the rows below it
            continue
        trailing_row = trailing_table or _TRAILING.search(label)
        for value in values:
            header, period = column(value[0].start)
            if period is None:
                if _unreadable(header):
                    periodish.append(f"{where}: table {index}, row {row_index} ({label!r}): "
                                     f"column header {header!r} cannot be read into a period")
                continue
            if trailing_row:
                trailing = period_of(period.end, 12)  # a trailing-twelve-months figure
                period = Period(trailing.start, trailing.end, 12, period.basis)
            pending.append((row_index, label, section, value, header, period))
    if periodish:
        raise ReleaseError(periodish[0])
    if not pending:
        return None, None
    heading.section = section
    unit = heading.unit
    if unit is None:
        raise ReleaseError(f"{where}: table {index} ({title[:80]!r}): no unit stated "
                           "(in thousands / millions / billions)")
    for row_index, label, section_, (cell, printed, (amount, negative)), header, period in pending:
        row_unit = _row_unit(label, section_)
        scale = _SCALE[unit] if row_unit in ("USD", "shares") else Decimal(1)
        value = (-amount if negative else amount) * scale
        facts.append(ReleaseFact(index, title, section_, row_index, label, cell.start, header,
                                 period, printed, value, row_unit))
    return facts, heading


@dataclass
class _Walk:
    found: list[tuple[object, list[str], str | None]] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    unit: str | None = None  # the last "(in millions)" printed outside a table, up to ``since``
    since: list[str] = field(default_factory=list)  # texts printed after the last table

    def text(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.context.append(text)
            del self.context[:-12]
            self.since.append(text)

    def unit_in_force(self) -> str | None:
        """The last unit printed outside a table: the texts since the last table are read
        from the latest back, up to the first that states one."""
        self.unit = _unit(self.since[::-1]) or self.unit
        self.since.clear()
        return self.unit


def _walk(element, state: _Walk) -> None:
    """Tables in document order, each with the text printed before it and the unit in force
    (a statement's caption says "(in millions)"; the tables after it keep it)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "table":
            state.found.append((child, list(state.context[-6:]), state.unit_in_force()))
            state.context.clear()  # the next table's title is the text printed after this one
        elif child.find(".//table") is not None:
            state.text(child.text or "")
            _walk(child, state)
        else:
            state.text(_text(child))
        state.text(child.tail or "")


def parse_exhibit(body: bytes, fye_month: int, where: str) -> tuple[list[ReleaseFact], int, int]:
    """(facts, tables, tables skipped) of one EX-99.1 HTML document."""
    try:
        root = html.fromstring(_STYLE.sub(b"", body), parser=_HTML_PARSER)
    except (ValueError, html.etree.ParserError) as exc:
        raise ReleaseError(f"{where}: EX-99.1 is not readable HTML ({exc})") from exc
    state = _Walk()
    _walk(root, state)
    facts: list[ReleaseFact] = []
    skipped = 0
    previous = None
    for index, (table, context, unit) in enumerate(state.found):
        table_facts, previous = _table_facts(table, index, context, unit, fye_month, where,
                                             previous)
        if table_facts is None:
            skipped += 1
        else:
            facts += table_facts
    return facts, len(state.found), skipped


def _documents_around(data: bytes, position: int) -> list[SubmissionDocument]:
    """The documents ``split_full_submission`` reads from the last ``<DOCUMENT>`` before
    ``position`` to the first ``</DOCUMENT>`` after it: one, cut out in place, unless an end
    tag stands between that ``<DOCUMENT>`` and ``position``."""
    start = data.rfind(b"<DOCUMENT>", 0, position)
    end = data.find(b"</DOCUMENT>", position)
    if start < 0 or end < 0:
        return []
    if data.find(b"</DOCUMENT>", start, position) >= 0:
        return split_full_submission(data[start:end + len(b"</DOCUMENT>")])[1]
    return [submission_document(data, start + len(b"<DOCUMENT>"), end)]


def parse_release(data: bytes, fye_month: int, where: str) -> Release:
    """Parse one ``full-submission.txt``; raises ``ReleaseError`` for a release not read whole."""
    # only the SGML header and the exhibit are read: the rest of a submission (XBRL, graphics,
    # a zipped copy) is most of its bytes
    first = data.find(b"<DOCUMENT>")
    filed_date, _ = split_full_submission(data[:first] if first >= 0 else data[:20000])
    found = _EXHIBIT_TYPE.search(data)
    documents = _documents_around(data, found.start()) if found else []
    exhibits = [d for d in documents if d.type.upper() == EXHIBIT]
    if not exhibits:
        types = sorted({t.decode("ascii", "replace").strip() for t in _TYPES.findall(data)})
        raise ReleaseError(f"{where}: no {EXHIBIT} document (types: {types})")
    if filed_date is None:
        raise ReleaseError(f"{where}: no FILED AS OF DATE in the SGML header")
    exhibit = exhibits[0]
    facts, tables, skipped = parse_exhibit(exhibit.body, fye_month,
                                           f"{where}#{exhibit.filename}")
    if not facts:
        raise ReleaseError(f"{where}#{exhibit.filename}: no table with period columns")
    return Release(filed_date, exhibit.filename, facts, tables, skipped)

