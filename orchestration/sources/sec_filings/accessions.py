"""SEC filings, one form family at a time: sec-edgar-downloader (live) or a snapshot, into the
landing zone.

A ``FormFamily`` names the forms it lands, its landing-log source and which accessions it keeps
(``PERIODIC``: 10-K and 10-Q, all of them). Another family of EDGAR filings — earnings releases
(8-K kept when its items include 2.02) — is one more ``FormFamily`` with its own ``keep``; the
landing, manifest, validation, rate limit and error handling below are the same code.

Both modes produce the layout ``sec/filings/sec-edgar-filings/<TICKER>/<FORM>/<ACCESSION>/…``
that sec-edgar-downloader writes (``full-submission.txt``, ``primary-document.html`` with
``download_details=True``; a snapshot may hold the XBRL instance and its schema instead).

* **Idempotent**: an accession is landed once; a ``_landed.json`` manifest (written last,
  atomically) marks it complete, and later runs skip it (live mode passes the landed accessions
  to the downloader as ``accession_numbers_to_skip``, so they are not even requested).
* **Validated names**: ticker, form, accession and file names are checked before they touch a
  path; a snapshot folder with any other name is reported (landing-log status ``rejected``) and
  skipped.
* **One rate limit for every SEC request**: sec-edgar-downloader sends its requests through
  ``sec_edgar_downloader._sec_gateway.requests.get`` (with its own per-process limiter).
  While it runs, that module attribute is swapped for ``GatewayShim``, which sends each request
  through the project's ``PoliteClient``: the shared lock-file ``RateLimiter``
  (``warehouse/.sec-rate-limit.lock``, the one ``sources.http.sec_client`` uses), the declared
  User-Agent, retries with backoff on 429/5xx. The constructor's ticker→CIK download is not made
  at all: ``get_ticker_to_cik_mapping`` is replaced by the CIK the universe already knows.
* **Errors are not swallowed**: the downloader prints and skips a filing whose download failed;
  the shim records every failed request, and every downloaded accession is checked for its
  files, so a partial download raises ``ExtractError`` (after landing what did arrive). A
  filing whose ``full-submission.txt`` arrived but whose primary document did not is not
  landed (no manifest): the next run asks for it again.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from unittest import mock

from orchestration.landing import (
    LandedFile,
    LandingRecord,
    append_log,
    atomic_write,
    inside,
    land,
    utc_now,
)
from orchestration.settings import Settings
from orchestration.sources.base import ExtractError, quarantine
from orchestration.sources.http import FetchError, PoliteClient, sec_client
from orchestration.sources.sec_filings.xbrl import (
    Filing,
    XbrlError,
    extract_document,
    split_full_submission,
    xbrl_document_in,
    xbrl_from_full_submission,
)
from orchestration.universe import Company, validate_ticker

FILINGS_ROOT = "sec/filings/sec-edgar-filings"
MANIFEST = "_landed.json"
MAX_FILE_BYTES = 256 * 1024 * 1024

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,150}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass(frozen=True)
class FormFamily:
    """Forms landed together under one landing-log source (and one extract asset).

    ``keep`` decides from a downloaded or snapshot accession folder; ``keep_listed`` from the
    submissions list's ``items`` before anything is downloaded (live mode: filings it refuses
    are never requested); ``validate(folder, company)`` raises ``ValueError`` for a folder
    that must not land (it is quarantined and the landing log names why).
    """

    source: str  # landing-log source, and the extract asset's name (``sec/<source>``)
    forms: tuple[str, ...]
    keep: Callable[[Path], bool] = lambda _folder: True  # an accession folder to land?
    keep_listed: Callable[[str], bool] | None = None  # the submissions list's ``items``
    validate: Callable[[Path, Company], None] | None = None


PERIODIC = FormFamily("filings", ("10-K", "10-Q"))

_ITEM_202 = re.compile(rb"^ITEM INFORMATION:\s*Results of Operations and Financial Condition",
                       re.M | re.I)


def has_item_202(folder: Path) -> bool:
    """The SGML header of the folder's ``full-submission.txt`` lists Item 2.02 ("Results of
    Operations and Financial Condition")."""
    full = folder / "full-submission.txt"
    if not full.is_file():
        return False
    with full.open("rb") as fh:  # the header is at the top; the bundle can be large
        return bool(_ITEM_202.search(fh.read(20000)))


def lists_item_202(items: str) -> bool:
    """The submissions list's ``items`` ("2.02,9.01") include 2.02."""
    return "2.02" in {item.strip() for item in (items or "").split(",")}


def listed_accessions_to_skip(submissions: dict, family: FormFamily) -> set[str]:
    """Accessions of ``family``'s forms that the submissions list says ``keep_listed``
    refuses (an 8-K without Item 2.02); an entry without ``items`` is decided after download."""
    if family.keep_listed is None:
        return set()
    recent = (submissions.get("filings") or {}).get("recent") or {}
    rows = zip(recent.get("accessionNumber") or [], recent.get("form") or [],
               recent.get("items") or [], strict=False)
    return {accession for accession, form, items in rows
            if form in family.forms and items and not family.keep_listed(items)}
SOURCE = PERIODIC.source
FORMS = PERIODIC.forms


def validate_accession(accession: str) -> str:
    """Accession numbers reach file paths and URLs: ``##########-##-######`` only."""
    if not isinstance(accession, str) or not _ACCESSION.fullmatch(accession):
        raise ValueError(f"invalid accession number {accession!r}: expected ##########-##-######")
    return accession


def validate_form(form: str, forms: tuple[str, ...] = FORMS) -> str:
    if form not in forms:
        raise ValueError(f"unsupported form {form!r}: expected one of {forms}")
    return form


def validate_file_name(name: str) -> str:
    if not _FILE_NAME.fullmatch(name) or name in {".", ".."} or name == MANIFEST:
        raise ValueError(f"invalid file name {name!r}")
    return name


def accession_relative_dir(ticker: str, form: str, accession: str,
                           family: FormFamily = PERIODIC) -> str:
    return (f"{FILINGS_ROOT}/{validate_ticker(ticker)}/{validate_form(form, family.forms)}/"
            f"{validate_accession(accession)}")


def filing_index_url(cik: int, accession: str) -> str:
    """The EDGAR index page of one filing (valid for every accession)."""
    validate_accession(accession)
    return (f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/"
            f"{accession.replace('-', '')}/{accession}-index.htm")


def landed_accessions(landing_dir: Path, ticker: str,
                      forms: tuple[str, ...] | None = None) -> set[str]:
    """Accessions of ``ticker`` (of ``forms``: all by default) already landed completely
    (their manifest exists)."""
    base = landing_dir / FILINGS_ROOT / validate_ticker(ticker)
    return {m.parent.name for m in base.glob(f"*/*/{MANIFEST}")
            if forms is None or m.parent.parent.name in forms}


def landed_filing_dirs(landed: list[LandedFile]) -> list[tuple[str, str, Path]]:
    """(ticker, form, accession folder) of every completely landed filing (its manifest
    exists) among the files the landing log names, in folder order."""
    folders = {f.path.parent for f in landed}
    return [(folder.parent.parent.name, folder.parent.name, folder)
            for folder in sorted(folders) if (folder / MANIFEST).is_file()]


@dataclass
class FilingsResult:
    ticker: str
    landed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already landed
    ignored: list[str] = field(default_factory=list)  # not this family's (``keep`` refused)
    rejected: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing: bool = False


def _log(settings: Settings, company: Company, origin: str, status: str, detail: str | None,
         family: FormFamily = PERIODIC) -> None:
    append_log(settings.landing_log, LandingRecord(
        family.source, company.ticker, origin, None, None, None, utc_now(), status, detail))


def land_accession_folder(
    settings: Settings, company: Company, form: str, source_folder: Path, origin: str,
    family: FormFamily = PERIODIC,
) -> list[LandingRecord]:
    """Land every file of one accession folder, then its manifest (which marks it complete)."""
    accession = validate_accession(source_folder.name)
    relative_dir = accession_relative_dir(company.ticker, form, accession, family)
    records = []
    # a landing zone replayed as a snapshot carries manifests: they are written, not copied
    files = sorted(p for p in source_folder.iterdir() if p.is_file() and p.name != MANIFEST)
    if not files:
        raise ValueError(f"{source_folder}: no files")
    for path in files:
        validate_file_name(path.name)
        tree = source_folder.parents[2]  # ``sec-edgar-filings``: no file may link out of it
        inside(tree, path.relative_to(tree).as_posix(), "filing", mirror=True)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{path}: {size:,} bytes is above the {MAX_FILE_BYTES:,} limit")
        record = land(settings.landing_dir, f"{relative_dir}/{path.name}", path.read_bytes(),
                      source=family.source, partition=company.ticker,
                      origin=f"{origin}/{path.name}")
        append_log(settings.landing_log, record)
        records.append(record)
    manifest = {
        "ticker": company.ticker, "cik": company.cik, "form": form, "accession": accession,
        "origin": origin, "landed_at": utc_now(),
        "files": {Path(r.landed_path).name: r.sha256 for r in records if r.landed_path},
    }
    atomic_write(settings.landing_dir / relative_dir / MANIFEST,
                 json.dumps(manifest, indent=1, sort_keys=True).encode())
    return records


def _land_tree(settings: Settings, company: Company, tree: Path, origin_base: str,
               result: FilingsResult, skip: set[str], family: FormFamily = PERIODIC) -> None:
    """Land every ``<FORM>/<ACCESSION>`` folder below ``tree`` (= ``…/sec-edgar-filings/<T>``)."""
    for form_dir in sorted(p for p in tree.iterdir() if p.is_dir()):
        if form_dir.name not in family.forms:
            continue  # other forms are not this family's business
        for folder in sorted(p for p in form_dir.iterdir() if p.is_dir()):
            origin = f"{origin_base}/{form_dir.name}/{folder.name}"
            try:
                validate_accession(folder.name)
            except ValueError as exc:
                result.rejected.append(f"{form_dir.name}/{folder.name}: {exc}")
                _log(settings, company, origin, "rejected", str(exc), family)
                continue
            if folder.name in skip:
                result.skipped.append(folder.name)
                continue
            if not family.keep(folder):
                result.ignored.append(folder.name)
                continue
            try:
                if family.validate is not None:
                    _validate_or_quarantine(settings, company, form_dir.name, folder, family)
                land_accession_folder(settings, company, form_dir.name, folder, origin, family)
            except (ValueError, OSError) as exc:
                result.failed.append(f"{folder.name}: {exc}")
                _log(settings, company, origin, "failed", str(exc), family)
                continue
            result.landed.append(folder.name)


def _validate_or_quarantine(settings: Settings, company: Company, form: str, folder: Path,
                            family: FormFamily) -> None:
    """Run the family's validator; a refused folder's files are kept under ``_quarantine/``
    (outside everything the loaders read) and the error is raised for the landing log."""
    try:
        family.validate(folder, company)
    except ValueError as exc:
        relative = accession_relative_dir(company.ticker, form, folder.name, family)
        kept = [quarantine(settings, f"{relative}/{p.name}", p.read_bytes())
                for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST]
        where = kept[0].parent if kept else "nothing kept"
        raise ValueError(f"{exc} (quarantined in {where})") from exc


# --- live mode: sec-edgar-downloader through the project's polite client -----------------

class ShimResponse:
    """The part of ``requests.Response`` sec-edgar-downloader uses."""

    def __init__(self, url: str, content: bytes) -> None:
        self.url = url
        self.content = content
        self.status_code = 200

    def json(self):
        return json.loads(self.content)

    def raise_for_status(self) -> None:
        return None


_SUBMISSIONS_URL = re.compile(r"^https://data\.sec\.gov/submissions/CIK\d{10}\.json$")


def pages_from(submissions: bytes, after: str) -> bytes:
    """The submissions document without the older pages (``filings.files``) whose filings all
    predate ``after``: the downloader reads every page listed there, and the window never
    needs one that ends before it starts."""
    payload = json.loads(submissions)
    filings = payload.get("filings") or {}
    files = filings.get("files") or []
    kept = [page for page in files if str(page.get("filingTo", "9999")) >= after]
    if len(kept) == len(files):
        return submissions
    filings["files"] = kept
    return json.dumps(payload).encode()


class GatewayShim:
    """Stands in for the ``requests`` module inside ``sec_edgar_downloader._sec_gateway``.

    With ``after`` (the filings window), the submissions document it hands the downloader
    lists no older page that ends before the window (``pages_from``)."""

    def __init__(self, client: PoliteClient, after: str | None = None) -> None:
        self.client = client
        self.after = after
        self.failures: list[str] = []
        self.urls: list[str] = []

    def get(self, url: str, headers: dict | None = None, **_: object) -> ShimResponse:
        self.urls.append(url)
        try:
            body = self.client.get(url)
        except FetchError as exc:
            self.failures.append(str(exc))
            raise
        if self.after and _SUBMISSIONS_URL.match(url):
            body = pages_from(body, self.after)
        return ShimResponse(url, body)


@contextlib.contextmanager
def routed_downloader(settings: Settings, company: Company, download_folder: Path,
                      client: PoliteClient, after: str | None = None,
                      ) -> Iterator[tuple[object, GatewayShim]]:
    """A ``Downloader`` whose every request goes through ``client`` (shared rate limit);
    ``after``: the filings window's first date (older submissions pages are not read)."""
    from sec_edgar_downloader import Downloader, _Downloader, _sec_gateway

    user_agent = settings.require_live_user_agent()
    email_match = _EMAIL.search(user_agent)
    email = email_match.group(0) if email_match else ""
    organisation = user_agent.replace(email, "").strip() or "aicapex"
    shim = GatewayShim(client, after)
    mapping = {company.ticker: company.cik10}
    with (
        mock.patch.object(_Downloader, "get_ticker_to_cik_mapping", lambda _ua: mapping),
        mock.patch.object(_sec_gateway, "requests", shim),
    ):
        yield Downloader(organisation, email, download_folder), shim


def first_filing_date(settings: Settings, company: Company) -> str:
    """The live filings window: filed from the start of fiscal year
    ``AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR`` (default 2019) of ``company`` on; that year's
    first 10-Q and the previous year's 10-K (its comparatives) are filed after it."""
    return company.fiscal_year_start(settings.sec_filings_from_fiscal_year).isoformat()


def incomplete_download(folder: Path) -> str | None:
    """What a downloaded accession folder lacks (sec-edgar-downloader, ``download_details``:
    ``full-submission.txt`` and ``primary-document.<ext>``), or None when it is whole."""
    if not (folder / "full-submission.txt").is_file():
        return "no full-submission.txt"
    if not any(folder.glob("primary-document.*")):
        return "the primary document was not downloaded"
    return None


def download_live(
    settings: Settings, company: Company, result: FilingsResult,
    client: PoliteClient | None = None, after: str | None = None,
    family: FormFamily = PERIODIC,
) -> None:
    after = after or first_filing_date(settings, company)
    if after > date.today().isoformat():
        return  # a window that starts after today holds no filing yet (nothing to ask for)
    skip = landed_accessions(settings.landing_dir, company.ticker)
    client = client or sec_client(settings)
    if family.keep_listed is not None:
        # the filing list says which 8-Ks carry Item 2.02: the others are never requested
        url = f"https://data.sec.gov/submissions/CIK{company.cik10}.json"
        try:
            skip |= listed_accessions_to_skip(json.loads(client.get(url)), family)
        except (FetchError, ValueError) as exc:
            result.failed.append(f"submissions list: {exc}")
            _log(settings, company, url, "failed", str(exc), family)
            return
    staging_parent = settings.landing_dir / ".staging"
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent) as staging:
        staging_dir = Path(staging)
        with routed_downloader(settings, company, staging_dir, client, after) as (downloader,
                                                                                 shim):
            counts = {}
            printed = io.StringIO()  # the downloader prints what it skips; the shim records it
            for form in family.forms:
                try:
                    with contextlib.redirect_stdout(printed):
                        counts[form] = downloader.get(
                            form, company.ticker, download_details=True, after=after,
                            accession_numbers_to_skip=skip,
                        )
                except (FetchError, ValueError) as exc:  # the filing index failed, or is not JSON
                    result.failed.append(f"{form} index: {exc}")
                    _log(settings, company, f"sec-edgar-downloader {form}", "failed", str(exc),
                         family)
        tree = staging_dir / "sec-edgar-filings" / company.ticker
        present = {form: 0 for form in family.forms}
        if tree.is_dir():
            for form in family.forms:
                for folder in (tree / form).glob("*") if (tree / form).is_dir() else []:
                    missing = incomplete_download(folder)
                    if missing:
                        # not landed, so not marked complete: the next run asks for it again
                        shutil.rmtree(folder)
                        failure = f"{form}/{folder.name}: {missing}; retried next run"
                        result.failed.append(failure)
                        _log(settings, company, f"live:{company.ticker}/{form}/{folder.name}",
                             "failed", failure, family)
                        continue
                    present[form] += 1
            _land_tree(settings, company, tree, f"live:{company.ticker}", result, skip, family)
        for form, count in counts.items():
            if count != present[form]:
                result.failed.append(
                    f"{form}: the downloader reported {count} filing(s), {present[form]} on disk"
                    f" ({printed.getvalue().strip()[:500] or 'it printed nothing'})")
        for failure in shim.failures:
            if not any(failure in f for f in result.failed):
                result.failed.append(failure)
                _log(settings, company, "sec-edgar-downloader", "failed", failure, family)


def extract_filings(settings: Settings, company: Company, client: PoliteClient | None = None,
                    family: FormFamily = PERIODIC) -> FilingsResult:
    """Land one company's filings of ``family`` (default 10-K/10-Q); a company absent from a
    snapshot is missing."""
    validate_ticker(company.ticker)
    result = FilingsResult(company.ticker)
    if settings.mode == "live":
        download_live(settings, company, result, client, family=family)
    else:
        tree = settings.snapshot_dir / FILINGS_ROOT / company.ticker
        if not tree.is_dir():
            result.missing = True
            _log(settings, company, str(tree), "missing", "not in snapshot", family)
            return result
        skip = landed_accessions(settings.landing_dir, company.ticker)
        _land_tree(settings, company, tree, str(tree), result, skip, family)
    return result


def raise_for_failures(result: FilingsResult) -> None:
    if result.failed:
        raise ExtractError(f"{result.ticker} filings: " + "; ".join(result.failed))


# --- reading landed filings back: one filing row and its fact rows -----------------------

@dataclass
class LandedFiling:
    ticker: str
    form: str
    accession: str
    cik: int | None
    document: str | None  # file the facts came from
    filed_date: str | None  # from full-submission.txt when present
    filing: Filing | None
    error: str | None = None


def read_landed_filing(ticker: str, form: str, folder: Path) -> LandedFiling:
    """Extract one landed accession folder; never raises for bad XBRL (``error`` says why).

    Preference: an XBRL instance file, else an inline-XBRL primary document, else the XBRL
    inside ``full-submission.txt``. The filing date comes from ``full-submission.txt``.
    """
    accession = validate_accession(folder.name)
    full = folder / "full-submission.txt"
    filed_date = None
    document: Path | None = None
    try:
        if full.is_file():
            with full.open("rb") as fh:  # the header is at the top; the bundle can be large
                filed_date, _ = split_full_submission(fh.read(20000))
        document = xbrl_document_in(folder)
        filing = None
        if document is not None:
            try:
                filing = extract_document(document)
            except XbrlError:
                # a primary document without inline XBRL (filings before 2019): the
                # full submission still carries the XBRL instance
                if not full.is_file():
                    raise
        if filing is None and full.is_file():
            document = full
            filed_date, filing, name = xbrl_from_full_submission(full.read_bytes())
            document = folder / f"full-submission.txt#{name}" if name else None
        if filing is None:
            return LandedFiling(ticker, form, accession, None, None, filed_date, None,
                                "no XBRL document (instance, inline XBRL or full submission)")
        if not filing.facts:
            raise XbrlError("no numeric fact (ix:nonFraction or item with a unitRef)")
    except (XbrlError, OSError) as exc:
        # the file and what in it: "<folder>/x_htm.xml: fact us-gaap:Revenues has no unitRef"
        where = document if document is not None else folder
        return LandedFiling(ticker, form, accession, None, None, filed_date, None,
                            f"{where}: {exc}")
    return LandedFiling(ticker, form, accession, filing.cik, str(document), filed_date, filing)
