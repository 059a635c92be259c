"""SEC filings extract: snapshot and live (sec-edgar-downloader over a fake transport)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from orchestration.sources.sec_filings import accessions as sec_filings
from orchestration.sources.sec_filings.accessions import (
    MANIFEST,
    accession_relative_dir,
    extract_filings,
    filing_index_url,
    first_filing_date,
    landed_accessions,
    raise_for_failures,
    read_landed_filing,
    validate_accession,
    validate_file_name,
)
from orchestration.universe import Company
from tests.unit.support import (
    FIXTURES,
    MSFT,
    NVDA,
    ORCL,
    TEST_USER_AGENT,
    live_settings,
    snapshot_settings,
)

FILINGS = FIXTURES / "sec" / "filings" / "sec-edgar-filings"
MSFT_Q = "0001193125-15-350718"
MSFT_K = "0001193125-15-272806"
INSTANCE = FILINGS / "MSFT" / "10-Q" / MSFT_Q / "msft-20150930.xml"


def read_log(settings) -> list[dict]:
    return [json.loads(line) for line in settings.landing_log.read_text().splitlines()]


# --- validation --------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["unknown-orcl-20240831.htm", "../0001193125-15-350718",
                                 "0001193125-15-35071", "0001193125/15/350718", ""])
def test_invalid_accessions_never_reach_a_path(bad):
    with pytest.raises(ValueError, match="accession"):
        validate_accession(bad)
    with pytest.raises(ValueError):
        accession_relative_dir("MSFT", "10-Q", bad)


@pytest.mark.parametrize("bad", ["../x", ".hidden", "a/b", "", MANIFEST, "x" * 200])
def test_invalid_file_names(bad):
    with pytest.raises(ValueError):
        validate_file_name(bad)


def test_paths_and_urls():
    assert accession_relative_dir("MSFT", "10-Q", MSFT_Q) == \
        f"sec/filings/sec-edgar-filings/MSFT/10-Q/{MSFT_Q}"
    with pytest.raises(ValueError):
        accession_relative_dir("../MSFT", "10-Q", MSFT_Q)
    with pytest.raises(ValueError):
        accession_relative_dir("MSFT", "8-K", MSFT_Q)
    assert filing_index_url(789019, MSFT_Q) == (
        "https://www.sec.gov/Archives/edgar/data/789019/000119312515350718/"
        "0001193125-15-350718-index.htm")


# --- snapshot mode -----------------------------------------------------------------------

def test_snapshot_lands_each_accession_once(tmp_path):
    settings = snapshot_settings(tmp_path)
    first = extract_filings(settings, MSFT)
    assert sorted(first.landed) == [MSFT_K, MSFT_Q] and not first.failed
    landed_dir = settings.landing_dir / accession_relative_dir("MSFT", "10-Q", MSFT_Q)
    assert (landed_dir / "msft-20150930.xml").read_bytes() == INSTANCE.read_bytes()
    manifest = json.loads((landed_dir / MANIFEST).read_text())
    assert manifest["accession"] == MSFT_Q and "msft-20150930.xsd" in manifest["files"]
    assert landed_accessions(settings.landing_dir, "MSFT") == {MSFT_K, MSFT_Q}

    second = extract_filings(settings, MSFT)
    assert second.landed == [] and sorted(second.skipped) == [MSFT_K, MSFT_Q]
    statuses = {r["status"] for r in read_log(settings)}
    assert statuses == {"landed"}


def test_snapshot_rejects_a_folder_that_is_not_an_accession(tmp_path):
    # A copy of ORCL's recorded 10-Qs with one folder renamed to a name that is not an accession.
    snapshot = tmp_path / "snapshot"
    source = FILINGS / "ORCL" / "10-Q"
    target = snapshot / "sec" / "filings" / "sec-edgar-filings" / "ORCL" / "10-Q"
    shutil.copytree(source / "0000950170-23-047713", target / "0000950170-23-047713")
    shutil.copytree(source / "0000950170-24-104905", target / "unknown-orcl-20240831.htm")
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot)
    result = extract_filings(settings, ORCL)
    assert result.landed == ["0000950170-23-047713"]
    assert len(result.rejected) == 1 and "unknown-orcl-20240831.htm" in result.rejected[0]
    rejected = [r for r in read_log(settings) if r["status"] == "rejected"]
    assert len(rejected) == 1 and "invalid accession" in rejected[0]["detail"]
    assert not list(settings.landing_dir.rglob("unknown-orcl*"))


def test_snapshot_without_the_company_is_missing_not_an_error(tmp_path):
    settings = snapshot_settings(tmp_path, snapshot_dir=tmp_path / "empty")
    result = extract_filings(settings, MSFT)
    assert result.missing and not result.failed
    assert read_log(settings)[0]["status"] == "missing"


def test_an_incomplete_landing_is_redone(tmp_path):
    settings = snapshot_settings(tmp_path)
    extract_filings(settings, MSFT)
    manifest = settings.landing_dir / accession_relative_dir("MSFT", "10-Q", MSFT_Q) / MANIFEST
    manifest.unlink()  # as if the process died before the manifest was written
    result = extract_filings(settings, MSFT)
    assert result.landed == [MSFT_Q] and result.skipped == [MSFT_K]


def test_bad_xbrl_is_reported_not_raised(tmp_path):
    folder = tmp_path / "0000000000-24-000001"
    folder.mkdir()
    (folder / "primary-document.html").write_text("<html><body>no xbrl here")
    landed = read_landed_filing("MSFT", "10-K", folder)
    assert landed.filing is None and "not well-formed" in landed.error


# --- live mode: sec-edgar-downloader through the polite client, over a fake transport -----

def full_submission(accession: str, filed: str, instance: bytes) -> bytes:
    return (
        f"<SEC-DOCUMENT>{accession}.txt : {filed}\n<SEC-HEADER>\nFILED AS OF DATE:\t\t{filed}\n"
        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>EX-101.INS\n<SEQUENCE>5\n"
        "<FILENAME>msft-20150930.xml\n<TEXT>\n<XML>\n"
    ).encode() + instance + b"\n</XML>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"


class FakeSec:
    """Answers the URLs sec-edgar-downloader requests; records every request."""

    def __init__(self, archive_status: int = 200, flaky: int = 0,
                 primary_status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.archive_status = archive_status
        self.primary_status = primary_status  # the primary document alone
        self.flaky = flaky  # first N archive requests answer 503
        self.instance = INSTANCE.read_bytes()
        self.submissions = {
            "cik": "789019", "name": "MICROSOFT CORP",
            "filings": {"recent": {
                "accessionNumber": [MSFT_Q, "0001193125-15-999999"],
                "form": ["10-Q", "8-K"],
                "primaryDocument": ["d13125d10q.htm", "d8k.htm"],
                "filingDate": ["2015-10-22", "2015-10-22"],
            }, "files": []},
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = str(request.url)
        if url == "https://data.sec.gov/submissions/CIK0000789019.json":
            return httpx.Response(200, json=self.submissions)
        if url.startswith("https://www.sec.gov/Archives/edgar/data/789019/000119312515350718/"):
            if self.flaky > 0:
                self.flaky -= 1
                return httpx.Response(503)
            if self.archive_status != 200:
                return httpx.Response(self.archive_status)
            if url.endswith(f"{MSFT_Q}.txt"):
                return httpx.Response(200, content=full_submission(MSFT_Q, "20151022",
                                                                   self.instance))
            if url.endswith("d13125d10q.htm"):
                if self.primary_status != 200:
                    return httpx.Response(self.primary_status)
                return httpx.Response(200, content=b"<html><body>10-Q</body></html>")
        return httpx.Response(404)


def sec_client_with(settings, handler):
    from orchestration.sources.http import sec_client

    return sec_client(settings, transport=httpx.MockTransport(handler))


def live_client(settings, fake: FakeSec):
    return sec_client_with(settings, fake)


@pytest.fixture
def no_ticker_download(monkeypatch):
    """The Downloader constructor's network call must never happen (it is replaced)."""
    from sec_edgar_downloader import _orchestrator

    def boom(*_args, **_kwargs):
        raise AssertionError("get_ticker_to_cik_mapping hit the network")

    monkeypatch.setattr(_orchestrator, "get_ticker_to_cik_mapping", boom)


def test_live_download_lands_through_the_shared_rate_limit(tmp_path, no_ticker_download):
    settings = live_settings(tmp_path)
    fake = FakeSec()
    result = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert result.landed == [MSFT_Q] and not result.failed, result
    landed = settings.landing_dir / accession_relative_dir("MSFT", "10-Q", MSFT_Q)
    assert sorted(p.name for p in landed.iterdir()) == [
        MANIFEST, "full-submission.txt", "primary-document.html"]
    urls = [str(r.url) for r in fake.requests]
    assert not any("company_tickers" in u for u in urls)
    assert {r.headers["User-Agent"] for r in fake.requests} == {TEST_USER_AGENT}
    assert (settings.warehouse_dir / ".sec-rate-limit.lock").exists()
    # the landed full submission is read back: XBRL instance inside it, and the filing date
    read = read_landed_filing("MSFT", "10-Q", landed)
    assert read.filed_date == "2015-10-22" and read.error is None
    assert read.filing is not None and read.filing.fiscal_period_focus == "Q1"
    assert read.document.endswith("full-submission.txt#msft-20150930.xml")

    # idempotent: a second run requests only the filing index, no archive file
    fake.requests.clear()
    again = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert again.landed == [] and not again.failed
    assert all("Archives" not in str(r.url) for r in fake.requests)


def test_live_retries_a_flaky_archive(tmp_path, no_ticker_download):
    settings = live_settings(tmp_path)
    fake = FakeSec(flaky=1)
    result = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert result.landed == [MSFT_Q] and not result.failed
    statuses = [str(r.url) for r in fake.requests if "Archives" in str(r.url)]
    assert len(statuses) == 3  # 503, then the .txt and the primary document


def test_live_failure_is_not_swallowed(tmp_path, no_ticker_download):
    settings = live_settings(tmp_path)
    result = extract_filings(settings, MSFT,
                             client=live_client(settings, FakeSec(archive_status=404)))
    assert result.landed == []
    assert any("HTTP 404" in f for f in result.failed)
    with pytest.raises(Exception, match="MSFT filings"):
        raise_for_failures(result)
    assert any(r["status"] == "failed" for r in read_log(settings))
    assert not landed_accessions(settings.landing_dir, "MSFT")


def test_a_filing_whose_primary_document_failed_is_not_marked_and_is_retried(
        tmp_path, no_ticker_download):
    settings = live_settings(tmp_path)
    fake = FakeSec(primary_status=404)  # full-submission.txt arrives, the primary document not
    result = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert result.landed == []
    assert any(MSFT_Q in f and "primary document" in f for f in result.failed), result.failed
    assert not landed_accessions(settings.landing_dir, "MSFT")  # not marked complete
    assert not (settings.landing_dir / accession_relative_dir("MSFT", "10-Q", MSFT_Q)).exists()

    fake.primary_status = 200  # the next run asks for the whole filing again
    fake.requests.clear()
    again = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert again.landed == [MSFT_Q] and not again.failed
    assert any(str(r.url).endswith(f"{MSFT_Q}.txt") for r in fake.requests)
    landed = settings.landing_dir / accession_relative_dir("MSFT", "10-Q", MSFT_Q)
    assert sorted(p.name for p in landed.iterdir()) == [
        MANIFEST, "full-submission.txt", "primary-document.html"]


@pytest.mark.parametrize(("company", "first_date"), [
    (MSFT, "2018-07-01"),  # FY2019 = July 2018 - June 2019
    (NVDA, "2018-02-01"),  # FY2019 = (29 January) 2018 - January 2019
    (ORCL, "2018-06-01"),  # FY2019 = June 2018 - May 2019
    (Company("GOOGL", 1652044, "Alphabet Inc.", 12), "2019-01-01"),
])
def test_the_default_filings_window_starts_with_fiscal_2019(tmp_path, company, first_date):
    settings = live_settings(tmp_path, sec_filings_from_fiscal_year=2019)
    assert first_filing_date(settings, company) == first_date


def test_filings_before_the_window_are_never_requested(tmp_path, no_ticker_download):
    settings = live_settings(tmp_path, sec_filings_from_fiscal_year=2019)
    fake = FakeSec()  # lists Microsoft's 10-Q filed 2015-10-22 (fiscal 2016)
    result = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert result.landed == [] and not result.failed
    assert not any("Archives" in str(r.url) for r in fake.requests)


def test_live_mode_needs_a_contact_user_agent(tmp_path):
    from orchestration.settings import ConfigError

    settings = live_settings(tmp_path, user_agent="anonymous")
    with pytest.raises(ConfigError, match="AICAPEX_SEC_USER_AGENT"):
        extract_filings(settings, MSFT)


def test_the_gateway_is_restored_after_a_download(tmp_path, no_ticker_download):
    from sec_edgar_downloader import _sec_gateway

    original = _sec_gateway.requests
    settings = live_settings(tmp_path)
    extract_filings(settings, MSFT, client=live_client(settings, FakeSec()))
    assert _sec_gateway.requests is original


def test_company_folder_names_are_validated(tmp_path):
    settings = snapshot_settings(tmp_path)
    with pytest.raises(ValueError, match="invalid ticker"):
        extract_filings(settings, Company("../MSFT", 789019, "x", 6))


def test_a_landed_tree_copied_back_as_snapshot_gives_the_same_files(tmp_path):
    """The landing zone has the snapshot layout: it can be replayed as a snapshot."""
    first = snapshot_settings(tmp_path / "a")
    extract_filings(first, MSFT)
    snapshot = tmp_path / "replay"
    shutil.copytree(first.landing_dir / "sec", snapshot / "sec")
    second = snapshot_settings(tmp_path / "b", snapshot_dir=snapshot)
    result = extract_filings(second, MSFT)
    assert sorted(result.landed) == [MSFT_K, MSFT_Q]
    a = sorted(p.relative_to(first.landing_dir) for p in first.landing_dir.rglob("*.xml"))
    b = sorted(p.relative_to(second.landing_dir) for p in second.landing_dir.rglob("*.xml"))
    assert a == b and a


def test_module_exports_the_manifest_name():
    assert sec_filings.MANIFEST == "_landed.json"
    assert isinstance(Path(MANIFEST), Path)


def test_submissions_pages_that_end_before_the_window_are_not_listed():
    recorded = (FIXTURES / "sec" / "submissions" / "CIK0000789019.json").read_bytes()
    pages = [p["name"] for p in json.loads(recorded)["filings"]["files"]]
    assert pages == ["CIK0000789019-submissions-001.json",  # filings to 2019-12-02
                     "CIK0000789019-submissions-002.json"]  # filings to 2008-02-09

    assert sec_filings.pages_from(recorded, "2001-01-01") == recorded  # both reach the window
    fiscal_2019 = json.loads(sec_filings.pages_from(recorded, "2018-07-01"))
    assert [p["name"] for p in fiscal_2019["filings"]["files"]] == pages[:1]
    assert fiscal_2019["filings"]["recent"] == json.loads(recorded)["filings"]["recent"]
    assert json.loads(sec_filings.pages_from(recorded, "2020-01-01"))["filings"]["files"] == []


def test_the_downloader_never_asks_for_a_submissions_page_before_the_window(
        tmp_path, no_ticker_download):
    settings = live_settings(tmp_path, sec_filings_from_fiscal_year=2027)  # from 2026-07-01
    fake = FakeSec()
    fake.submissions = json.loads((FIXTURES / "sec" / "submissions" / "CIK0000789019.json")
                                  .read_bytes())  # the recorded list: two older pages
    result = extract_filings(settings, MSFT, client=live_client(settings, fake))
    assert result.landed == [] and not result.failed, result.failed
    assert [str(r.url) for r in fake.requests] == [
        "https://data.sec.gov/submissions/CIK0000789019.json"] * 2  # 10-K, then 10-Q


def test_a_window_that_starts_after_today_asks_for_nothing(tmp_path, no_ticker_download):
    from datetime import date

    google = Company("GOOGL", 1652044, "Alphabet Inc.", 12)  # next fiscal year: from 1 January
    settings = live_settings(tmp_path, sec_filings_from_fiscal_year=date.today().year + 1)
    fake = FakeSec()
    result = extract_filings(settings, google, client=live_client(settings, fake))
    assert result.landed == [] and not result.failed  # the downloader refused the dates
    assert fake.requests == []


def test_a_filing_index_that_is_not_json_fails_its_company_not_the_extract(
        tmp_path, no_ticker_download):
    settings = live_settings(tmp_path)
    fake = FakeSec()

    def html_index(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith("https://data.sec.gov/submissions/"):
            fake.requests.append(request)
            return httpx.Response(200, content=b"<html>Service temporarily unavailable</html>")
        return fake(request)

    client = sec_client_with(settings, html_index)
    result = extract_filings(settings, MSFT, client=client)
    assert result.landed == []
    assert [f.split(":")[0] for f in result.failed] == ["10-K index", "10-Q index"]
    assert all("Expecting value" in f for f in result.failed), result.failed
