"""A loopback server that answers like the live web sources, from the recorded fixtures.

The pipeline reaches it through ``AICAPEX_LIVE_BASE_URL``: every live request for
``https://<host><path>?<query>`` arrives here as ``/<host><path>?<query>``. ``routes`` maps each
live URL to the bytes to answer; a URL in ``down`` answers HTTP 500 forever; anything else 404
(as EDGAR does for a filing the fixtures do not hold).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from orchestration.sources import eia, epoch, gpu
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS, SUBMISSIONS
from orchestration.sources.sec_filings.accessions import FILINGS_ROOT
from orchestration.sources.sec_filings.xbrl import split_full_submission
from orchestration.universe import Company
from tests.reliability.loopback import LoopbackServer, send

EDGAR_ARCHIVES = "https://www.sec.gov/Archives/edgar/data"
# XBRL files of an accession folder -> their document type in an EDGAR submission
_XBRL_TYPES = (("_cal.xml", "EX-101.CAL"), ("_def.xml", "EX-101.DEF"), ("_lab.xml", "EX-101.LAB"),
               ("_pre.xml", "EX-101.PRE"), (".xsd", "EX-101.SCH"), (".xml", "EX-101.INS"))


def _key(url: str) -> str:
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return unquote(f"/{parts.netloc}{parts.path}{query}")


def price_routes(fixtures: Path) -> dict[str, bytes]:
    """Every price source's live URL -> the recorded bytes (EIA workbook, GPU files, Azure and
    AWS pricing pages, Epoch's NVIDIA revenue)."""
    routes = {eia.EIA861M_URL: (fixtures / eia.EIA861M_RELATIVE).read_bytes(),
              epoch.NVIDIA_REVENUE_URL: (fixtures / epoch.NVIDIA_REVENUE_RELATIVE).read_bytes()}
    routes |= {doc.url: (fixtures / doc.relative_path).read_bytes()
               for doc in gpu.gpu_documents() if doc.url}
    [azure] = sorted((fixtures / "gpu" / "azure_retail_prices").glob("*.json"))
    routes[gpu.AZURE_URL] = azure.read_bytes()
    aws = json.loads((fixtures / "gpu" / "aws_price_list" / "aws_pricing_page_documents" /
                      "aws.json").read_bytes())
    routes |= {gpu.AWS_PAGE_URL.format(location=quote(location)):
               json.dumps(aws[location]).encode() for location in gpu.AWS_LOCATIONS}
    return routes


def eia_api_routes(fixtures: Path, api_key: str) -> dict[str, bytes]:
    """The first EIA API v2 ``electricity/retail-sales`` page the client asks for -> the
    recorded retail-sales answer, echoing ``api_key`` in ``request.params`` as the live API does
    (the recording has it replaced by ``REDACTED``)."""
    body = (fixtures / eia.EIA_API_DIR / "eia_industrial.json").read_bytes()
    assert body.count(b'"api_key": "REDACTED"') == 1
    return {eia.eia_api_url(api_key, 0): body.replace(b'"REDACTED"', json.dumps(api_key).encode())}


def _document_type(name: str, form: str) -> str:
    if name.startswith("primary-document."):
        return form
    return next(kind for suffix, kind in _XBRL_TYPES if name.endswith(suffix))


def submission_envelope(folder: Path, listing: dict, submissions: dict, primary: str) -> bytes:
    """An EDGAR complete submission text file (``<accession>.txt``) for a recorded 10-K/10-Q
    folder: the fixtures hold the filing's documents but not its envelope (PROVENANCE-filings:
    over 4 MiB), so the documents recorded are wrapped in the SGML that EDGAR puts around them,
    with a header from the submissions list's row (accession, form, dates, filer)."""
    filed = listing["filingDate"].replace("-", "")
    header = (f"<SEC-DOCUMENT>{listing['accessionNumber']}.txt : {filed}\n"
              f"<SEC-HEADER>{listing['accessionNumber']}.hdr.sgml : {filed}\n"
              f"ACCESSION NUMBER:\t\t{listing['accessionNumber']}\n"
              f"CONFORMED SUBMISSION TYPE:\t{listing['form']}\n"
              f"CONFORMED PERIOD OF REPORT:\t{listing['reportDate'].replace('-', '')}\n"
              f"FILED AS OF DATE:\t\t{filed}\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
              f"\t\tCOMPANY CONFORMED NAME:\t\t\t{submissions['name']}\n"
              f"\t\tCENTRAL INDEX KEY:\t\t\t{int(submissions['cik']):010d}\n"
              "</SEC-HEADER>\n").encode()
    documents = []
    files = sorted(p for p in folder.iterdir() if p.is_file())
    for sequence, path in enumerate(files, start=1):
        name = primary if path.name.startswith("primary-document.") else path.name
        documents.append(
            f"<DOCUMENT>\n<TYPE>{_document_type(path.name, listing['form'])}\n"
            f"<SEQUENCE>{sequence}\n<FILENAME>{name}\n<TEXT>\n<XBRL>\n".encode()
            + path.read_bytes() + b"\n</XBRL>\n</TEXT>\n</DOCUMENT>\n")
    return header + b"".join(documents) + b"</SEC-DOCUMENT>\n"


def _listed(submissions: dict) -> dict[str, dict]:
    """The submissions list's filings by accession number (one dict per filing)."""
    recent = submissions["filings"]["recent"]
    return {accession: {key: values[index] for key, values in recent.items()}
            for index, accession in enumerate(recent["accessionNumber"])}


def filing_routes(fixtures: Path, company: Company, submissions: dict) -> dict[str, bytes]:
    """What sec-edgar-downloader asks EDGAR for each recorded filing the submissions list
    names: ``<accession>.txt`` and the primary document. An 8-K's recorded
    ``full-submission.txt`` is the envelope itself and its primary document is read out of
    it; a 10-K/10-Q folder holds the documents, wrapped by ``submission_envelope``."""
    listed = _listed(submissions)
    routes: dict[str, bytes] = {}
    tree = fixtures / FILINGS_ROOT / company.ticker
    for folder in sorted(tree.glob("*/*")):
        listing = listed.get(folder.name)
        if listing is None:  # older than the list (MSFT's 2015 filings): never asked for
            continue
        base = f"{EDGAR_ARCHIVES}/{company.cik}/{folder.name.replace('-', '')}"
        primary = listing["primaryDocument"]
        full = folder / "full-submission.txt"
        if full.is_file():
            envelope = full.read_bytes()
            _, documents = split_full_submission(envelope)
            routes[f"{base}/{primary}"] = next(d.body for d in documents if d.filename == primary)
        else:
            envelope = submission_envelope(folder, listing, submissions, primary)
            routes[f"{base}/{primary}"] = next(folder.glob("primary-document.*")).read_bytes()
        routes[f"{base}/{folder.name}.txt"] = envelope
    return routes


def sec_routes(fixtures: Path, companies: Iterable[Company]) -> dict[str, bytes]:
    """Every SEC URL the pipeline asks for ``companies`` -> the recorded bytes: company facts
    and submissions (data.sec.gov) and the recorded filings (EDGAR archives). What the fixtures
    do not hold (a company's facts, a filing) is not routed: the server answers 404."""
    routes: dict[str, bytes] = {}
    for company in companies:
        for endpoint in (COMPANY_FACTS, SUBMISSIONS):
            path = fixtures / endpoint.relative_path(company.cik)
            if path.is_file():
                routes[endpoint.url(company.cik)] = path.read_bytes()
        path = fixtures / SUBMISSIONS.relative_path(company.cik)
        if path.is_file():
            routes |= filing_routes(fixtures, company, json.loads(path.read_bytes()))
    return routes


class LiveWeb(LoopbackServer):
    """Serves ``routes`` (live URL -> bytes) on 127.0.0.1; ``down`` URLs answer 500."""

    def __init__(self, routes: dict[str, bytes], down: Iterable[str] = ()) -> None:
        super().__init__()
        self.routes = {_key(url): body for url, body in routes.items()}
        self.down = {_key(url) for url in down}
        self.requests: list[str] = []

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = unquote(handler.path)
        self.requests.append(path)
        if path in self.down:
            send(handler, 500, {}, b"internal error")
        elif path in self.routes:
            send(handler, 200, {}, self.routes[path])
        else:
            send(handler, 404, {}, b"not found")

    def requested(self, url: str) -> int:
        return self.requests.count(_key(url))


@contextmanager
def live_mode(web: LiveWeb, **variables: str) -> Iterator[None]:
    """The pipeline in live mode against ``web`` (two attempts per request, no backoff), with
    ``variables`` (``AICAPEX_*`` names) on top; enter it after ``pipeline_env``."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {"AICAPEX_MODE": "live", "AICAPEX_LIVE_BASE_URL": web.url,
                            "AICAPEX_SEC_USER_AGENT": "aicapex tests test@example.com",
                            "AICAPEX_HTTP_MAX_ATTEMPTS": "2",
                            "AICAPEX_HTTP_BACKOFF_SECONDS": "0", **variables}.items():
            mp.setenv(name, value)
        yield
