"""The one ingest protocol every source follows, and the one land-or-fail step they share.

A source *locates* its documents (live URL or snapshot path), *fetches* the bytes, *validates*
them, *lands* them (``orchestration.landing``: atomic, immutable, one landing-log line per
attempt), then its raw load *parses the landed files* — the ones the landing log names — into
its ``raw.*`` tables, whose DDL it owns. ``Source`` is that contract; the asset factories in
``orchestration.assets.ingest`` turn each source into its extract asset and its raw-load asset.

Nothing here imports Dagster or the asset layer: a source takes a ``Settings`` value and a
logger (anything with ``info``/``warning``/``error``) and returns plain results.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Protocol

import duckdb

from orchestration.landing import (
    LandedFile,
    LandingRecord,
    PathEscape,
    already_landed,
    append_log,
    atomic_write,
    inside,
    land,
    landed_files,
    utc_now,
)
from orchestration.load_state import landed_hashes, loader_digest, unchanged_rows
from orchestration.settings import Settings
from orchestration.sources.errors import FetchError
from orchestration.sources.raw import load_rows
from orchestration.sources.redaction import redact


class SourceError(RuntimeError):
    """Extraction failed; the landing log has a ``failed`` record naming the input."""

    def __init__(self, message: str, record: LandingRecord | None = None) -> None:
        super().__init__(message)
        self.record = record  # the landing log's ``failed`` record, when there is one


# materialization metadata of an extract: the documents that failed alone this run (the run
# report reads it: a run with any is "partial")
STALE_KEY = "stale"

# the names callers and tests know the one error by
ExtractError = DocumentError = SourceError


class FormatError(ValueError):
    """A recorded or downloaded file does not have the layout its parser expects."""


def csv_rows(body: bytes, name: str, required: Sequence[str]) -> list[dict]:
    """The rows of a UTF-8 CSV whose header has every ``required`` column."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{name}: not UTF-8 text ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise FormatError(f"{name}: missing column(s) {missing}; header is {reader.fieldnames}")
    return list(reader)


def quarantine(settings: Settings, relative: str, body: bytes) -> Path:
    """Keep a rejected document for inspection, outside everything the loaders read."""
    stamp = utc_now().replace(":", "").replace("-", "")
    target = settings.landing_dir / "_quarantine" / f"{relative}.{stamp}"
    atomic_write(target, body)
    return target


# --- one document: locate -> fetch -> validate -> land ------------------------------------

@dataclass(frozen=True)
class Document:
    """One file to land: where it goes, where it comes from, and how it is checked.

    ``fetch`` is the live download (``None``: read ``relative_path`` from the snapshot).
    ``validate(body, where)`` raises ``FormatError`` for a bad file and may return a summary.
    ``label`` starts every error message (``"NVDA companyfacts"``, ``"eia861m"``).
    """

    source: str  # the landing log's ``source``
    partition: str
    relative_path: str
    validate: Callable[[bytes, str], object]
    label: str
    origin: str | None = None  # live URL (redacted before it is written anywhere)
    fetch: Callable[[], bytes] | None = None
    required: bool = False  # absent from the snapshot is an error, not ``missing``
    quarantine_invalid: bool = False  # keep a rejected body under ``_quarantine/``
    revalidate_landed: bool = True  # False: bytes already landed were validated then
    # a live HTTP 404 means the source publishes no such document (``missing``, named), not
    # that it is down (``failed``)
    missing_when_not_found: bool = False


@dataclass(frozen=True)
class Landed:
    record: LandingRecord
    summary: object = None  # what ``validate`` returned (None when missing or not validated)


def land_document(settings: Settings, doc: Document) -> Landed:
    """Land one document or fail: the one land-or-fail step of every source.

    A document absent from a snapshot (or, with ``missing_when_not_found``, answered HTTP 404
    live) is recorded as ``missing`` (an error only when ``required``). A failed download, an
    invalid body or a landing error is recorded as ``failed`` and raised as ``SourceError``
    (an invalid body kept in quarantine first when the source asks for it).
    """

    def fail(where: str, message: str) -> SourceError:
        where, message = redact(where), redact(message)
        record = LandingRecord(doc.source, doc.partition, where, None, None, None, utc_now(),
                               "failed", message)
        append_log(settings.landing_log, record)
        return SourceError(f"{doc.label}: {message}", record)

    def missing(where: str, detail: str, error: str) -> Landed:
        record = LandingRecord(doc.source, doc.partition, redact(where), None, None, None,
                               utc_now(), "missing", redact(detail))
        append_log(settings.landing_log, record)
        if doc.required:
            raise SourceError(f"{doc.label}: {redact(error)}")
        return Landed(record)

    if doc.fetch is not None:
        where = redact(doc.origin or doc.relative_path)
        try:
            body = doc.fetch()
        except FetchError as exc:
            if doc.missing_when_not_found and exc.status == 404:
                detail = f"not published by the source (HTTP 404 for {where})"
                return missing(where, detail, detail)
            raise fail(where, str(exc)) from None  # the cause names the URL unredacted
    else:
        try:
            path: Path = inside(settings.snapshot_dir, doc.relative_path, "snapshot",
                                mirror=True)
        except PathEscape as exc:
            raise fail(str(settings.snapshot_dir), str(exc)) from None
        where = str(path)
        if not path.is_file():
            return missing(where, "not in snapshot", f"{path} is missing from the snapshot")
        body = path.read_bytes()
    summary = None
    if doc.revalidate_landed or not already_landed(settings.landing_dir, doc.relative_path,
                                                   body):
        try:
            summary = doc.validate(body, where)
        except FormatError as exc:
            if not doc.quarantine_invalid:
                raise fail(where, str(exc)) from None  # the cause names the URL unredacted
            kept = quarantine(settings, doc.relative_path, body)
            raise fail(where, f"{where}: {exc} (quarantined as {kept})") from exc
    try:
        record = land(settings.landing_dir, doc.relative_path, body,
                      source=doc.source, partition=doc.partition, origin=where)
    except (OSError, PathEscape) as exc:
        raise fail(where, f"cannot land {doc.relative_path}: {exc}") from exc
    append_log(settings.landing_log, record)
    return Landed(record, summary)


def land_file(settings: Settings, source: str, relative_path: str, parse: Callable, *,
              origin: str | None = None, fetch: Callable[[], bytes] | None = None,
              required: bool = False, strict: bool = False) -> LandingRecord:
    """Land one price/other document: its partition is the top folder (``energy``, ``gpu``,
    ``other``); the parser is its validator, skipped for bytes already landed (parsing a
    workbook again costs more than the rest of a run with nothing new).

    A document that fails (download, validation) fails alone: its ``failed`` landing record is
    returned and the file landed before it stays (stale) — unless ``strict`` (the user's own
    price files), which raises ``SourceError``."""
    try:
        return land_document(settings, Document(
            source=source, partition=relative_path.split("/", 1)[0],
            relative_path=relative_path, validate=parse, label=source, origin=origin,
            fetch=fetch, required=required, revalidate_landed=False)).record
    except SourceError as exc:
        if strict or exc.record is None:
            raise
        return exc.record


def stale_note(name: str, error: str, kept: int, what: str = "landed file(s)") -> str:
    """The line the run report shows for a source (or a company's part of one) that failed
    alone: the error, and whether its earlier landed data is kept (stale) or there is none."""
    tail = (f"its last good data ({kept} {what}) is kept and flagged stale" if kept
            else "no earlier data for it")
    return f"{name}: {error} - {tail}"


def stale_notes(settings: Settings, records: Sequence[LandingRecord]) -> list[str]:
    """One line per document that failed this time (``stale_note``)."""
    return [stale_note(record.source, record.detail or "failed",
                       len(landed_files(settings.landing_dir, [record.source])))
            for record in records if record.status == "failed"]


# --- what a source hands the asset factories ------------------------------------------------

class Log(Protocol):
    def info(self, msg: str) -> None: ...
    def warning(self, msg: str) -> None: ...
    def error(self, msg: str) -> None: ...


@dataclass
class Extracted:
    """The outcome of one extract call: materialization metadata, or a failure."""

    metadata: dict = field(default_factory=dict)
    failure: str | None = None  # set: the extract asset fails with this description
    errors: list[str] = field(default_factory=list)  # listed in the failure's metadata


@dataclass(frozen=True)
class RawTable:
    """One ``raw.*`` table a source loads: its name, DDL columns and description."""

    name: str
    columns: str
    description: str


@dataclass(frozen=True)
class Loaded:
    """One raw table after a load: its rows, a log line, materialization metadata."""

    table: str
    rows: int
    message: str
    metadata: dict
    warnings: tuple[str, ...] = ()


class PerCompanySecSource:
    """Mixin of the SEC sources: one partition per company, group ``sec_extract``, and one
    concurrency slot (pool ``sec_api``: SEC's rate limit is for the whole process tree)."""

    group = "sec_extract"
    pool: str | None = "sec_api"
    partitioned = True

    @property
    def log_source(self) -> str:  # the landing log's ``source``: ``companyfacts``, ``filings``
        raise NotImplementedError

    @property
    def key(self) -> tuple[str, ...]:
        return ("sec", self.log_source)

    @property
    def log_sources(self) -> tuple[str, ...]:
        return (self.log_source,)


class Source(Protocol):
    """One source: its extract asset's identity, how it lands, and its raw tables."""

    key: tuple[str, ...]  # the extract asset's key, e.g. ("sec", "companyfacts")
    group: str
    description: str
    kinds: frozenset[str]
    pool: str | None
    partitioned: bool  # one partition per company of the universe
    tables: tuple[RawTable, ...]

    def extract(self, settings: Settings, partitions: Sequence[str] | None,
                log: Log) -> Extracted:
        """Locate, fetch, validate and land (``land_document``) what this source publishes."""

    def load(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
        """Parse the files the landing log names (``landing.landed_files``) into this source's
        raw tables, unless ``load_state`` finds them and the parser unchanged."""


# --- the shape shared by the price sources: files landed whole, parsed into one table --------

Parser = Callable[[bytes, str], list[dict]]


def parse_landed(landing_dir: Path, parsers: Sequence[tuple[str, Parser]]) -> list[dict]:
    """Rows of every file the landing log names for the ``(source, parser)`` pairs."""
    return parse_files(landed_files(landing_dir, dict(parsers)), parsers)


def parse_files(landed: Sequence[LandedFile], parsers: Sequence[tuple[str, Parser]]
                ) -> list[dict]:
    """Rows of the ``landed`` files, in the order of ``parsers`` and then of paths; a parser
    gets the file's bytes and its name in the landing zone (what its rows' ``source_file``
    says: the same after the landing zone is copied or moved)."""
    by_source = dict(parsers)
    order = {source: index for index, (source, _) in enumerate(parsers)}
    rows: list[dict] = []
    for item in sorted(landed, key=lambda f: (order[f.source], f.path)):
        rows += by_source[item.source](item.path.read_bytes(), item.name)
    return rows


@dataclass(frozen=True)
class FileSource:
    """A source whose documents are landed whole and parsed together into one raw table."""

    key: tuple[str, ...]
    group: str
    description: str
    kinds: frozenset[str]
    table: RawTable
    row_keys: tuple[str, ...]
    parsers: tuple[tuple[str, Parser], ...]  # (landing-log source, parser), in load order
    land: Callable[..., list[LandingRecord]]  # (settings, log=...) -> records
    parser_module: ModuleType  # its source is part of the loader's identity
    merge: Callable[[list[dict]], list[dict]] | None = None  # rows of every file -> table rows
    pool: str | None = None
    partitioned: bool = False

    @property
    def tables(self) -> tuple[RawTable, ...]:
        return (self.table,)

    @property
    def log_sources(self) -> tuple[str, ...]:
        return tuple(source for source, _ in self.parsers)

    def extract(self, settings: Settings, partitions: Sequence[str] | None,
                log: Log) -> Extracted:
        try:
            records = self.land(settings, log=log.info)
        except SourceError as exc:
            return Extracted(failure=str(exc))
        by_status: dict[str, list[str]] = {}
        for record in records:
            by_status.setdefault(record.status, []).append(record.origin)
        for status, origins in by_status.items():
            log.info(f"{status}: {len(origins)} file(s)")
        stale = stale_notes(settings, records)
        for note in stale:
            log.warning(f"source failed alone: {note}")
        # not "missing": the report reads that key as a list of companies
        return Extracted(metadata={"files": len(records), STALE_KEY: stale, **{
            f"files_{status}": origins for status, origins in by_status.items()}})

    def load(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Loaded]:
        name, columns = self.table.name, self.table.columns
        landed = landed_files(settings.landing_dir, self.log_sources)
        hashes = landed_hashes(landed)
        loader = loader_digest(columns, self.parser_module)
        rows = unchanged_rows(con, name, hashes, loader)
        unchanged = rows is not None
        if rows is None:
            parsed = parse_files(landed, self.parsers)
            parsed = self.merge(parsed) if self.merge is not None else parsed
            rows = load_rows(con, name, columns, parsed, self.row_keys, (hashes, loader))
        note = " (landed files unchanged: not reloaded)" if unchanged else ""
        return [Loaded(name, rows, f"raw.{name}: {rows:,} rows{note}",
                       {"rows": rows, "unchanged": unchanged})]
