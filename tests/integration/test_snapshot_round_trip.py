"""``aicapex snapshot record DIR`` -> ``aicapex run --snapshot DIR``, end to end over a loopback
server that answers as SEC, EIA and the price sources would, from the recorded fixtures.

One company (NVIDIA) and a narrow filings window (fiscal 2026: filed from 2025-02-01) keep the
recording small. The replay is the extract and raw-load steps of ``run --snapshot DIR`` (the
configuration its flags make, the pipeline's own assets): the raw rows it gives are compared with
those of the recorded fixtures replayed directly (``published_once``), whose published figures
they therefore reproduce; a full second build would cost a minute of CI for nothing more.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.cli import EXIT_PARTIAL, build_parser, config_from_args, main
from orchestration.sources.sec_filings.accessions import MANIFEST
from orchestration.universe import company_by_ticker, load_universe
from tests.live_web import LiveWeb, eia_api_routes, live_mode, price_routes, sec_routes

from ..pipeline import FIXTURES, extract_and_load, pipeline_env, rows

NVDA = company_by_ticker("NVDA")
EIA_KEY = "eia-test-key-5f3c9a"
FILINGS = "sec/filings/sec-edgar-filings/NVDA"
# in NVIDIA's submissions list from 2025-02-01, recorded in the fixtures (the others: 404)
HELD = {"10-K": ["0001045810-25-000023"], "10-Q": ["0001045810-25-000209"],
        "8-K": ["0001045810-25-000021", "0001045810-25-000115"]}
NOT_HELD = {"filings": ["0001045810-26-000021", "0001045810-25-000230", "0001045810-25-000116"],
            "releases": ["0001045810-26-000019", "0001045810-25-000228",
                         "0001045810-25-000207"]}
# not data: the landing log, the manifests that mark a filing complete, the downloader's staging
BOOKKEEPING = ("landing_log.jsonl", MANIFEST, ".staging")


def data_files(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every data file below ``root``."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*")
            if p.is_file() and not set(p.relative_to(root).parts) & set(BOOKKEEPING)}


def record(root: Path, target: Path, capsys) -> tuple[int, str]:
    routes = price_routes(FIXTURES) | eia_api_routes(FIXTURES, EIA_KEY) | sec_routes(FIXTURES,
                                                                                     [NVDA])
    with LiveWeb(routes) as web, pipeline_env(root, FIXTURES), \
            live_mode(web, AICAPEX_EIA_API_KEY=EIA_KEY,
                      AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR="2026"):
        code = main(["snapshot", "record", str(target), "--company", "NVDA"])
        assert not [r for r in web.requests if "-submissions-" in r]  # pages before 2025
    return code, capsys.readouterr().out


def replay(root: Path, snapshot: Path, instance: dg.DagsterInstance):
    """The steps of ``aicapex run --snapshot <snapshot>`` before dbt: its configuration, every
    company's extract and every raw load."""
    with pipeline_env(root, FIXTURES):
        config = config_from_args(build_parser().parse_args(["run", "--snapshot",
                                                             str(snapshot)]))
        tickers = [c.ticker for c in load_universe()]
        return extract_and_load(config, instance, tickers), config.get()


NVDA_FILING_FACTS = """
    select accession_number, taxonomy, concept, dimensions, period_start, period_end, unit,
           value
    from raw.sec_filing_facts
    where accession_number in ('0001045810-25-000023', '0001045810-25-000209')
    order by all
"""
NVDA_RELEASE_FACTS = """
    select accession_number, table_index, row_index, column_index, row_label, period_start,
           period_end, value
    from raw.sec_release_facts
    where accession_number in ('0001045810-25-000021', '0001045810-25-000115')
    order by all
"""
NVDA_COMPANY_FACTS = """
    select taxonomy, concept, unit, period_start, period_end, val, accn, filed
    from raw.sec_company_facts where cik = 1045810 order by all
"""


def test_a_recorded_snapshot_replays_as_the_fixtures_it_was_recorded_from(
        tmp_path, monkeypatch, capsys, published_once):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    recorded = tmp_path / "recorded"

    code, out = record(tmp_path / "recording", recorded, capsys)

    # the filings the fixtures do not hold answered 404: named, the rest recorded (partial)
    assert code == EXIT_PARTIAL, out
    assert out.startswith(f"snapshot PARTIAL in {recorded}")
    failed = sorted(line for line in out.splitlines() if line.startswith("failed alone:"))
    assert [line.split(" HTTP 404")[0].split("https:")[0] for line in failed] == [
        "failed alone: sec/filings: NVDA: ", "failed alone: sec/releases: NVDA: "], out
    assert "no data:" not in out  # NVIDIA's company facts were served
    recording = [json.loads(line) for line in
                 (recorded / "landing_log.jsonl").read_text().splitlines()]
    for source, accessions in NOT_HELD.items():
        named = " ".join(e["detail"] for e in recording
                         if (e["source"], e["status"]) == (source, "failed"))
        assert all(f"/{a}.txt: HTTP 404" in named for a in accessions), named

    # the recorded layout is the snapshot layout (DESIGN "Snapshot layout")
    files = data_files(recorded)
    for form, accessions in HELD.items():
        for accession in accessions:
            assert {f"{FILINGS}/{form}/{accession}/full-submission.txt",
                    f"{FILINGS}/{form}/{accession}/primary-document.html"} <= set(files)
    assert not [f for f in files if any(a in f for held in NOT_HELD.values() for a in held)]
    for same in ("sec/companyfacts/CIK0001045810.json", "sec/submissions/CIK0001045810.json",
                 f"{FILINGS}/8-K/0001045810-25-000021/full-submission.txt",
                 f"{FILINGS}/10-K/0001045810-25-000023/primary-document.html",
                 "energy/eia861m/sales_revenue.xlsx", "gpu/aws_price_list/gpu_prices.csv",
                 "other/epoch_ai_chip_counts/data_inputs/Nvidia quarterly revenue.csv"):
        # the bytes the source answered
        assert files[same] == hashlib.sha256((FIXTURES / same).read_bytes()).hexdigest(), same
    assert "energy/eia_api_v2/retail_sales_monthly_p000.json" in files
    assert not [f for f in files if EIA_KEY.encode() in (recorded / f).read_bytes()]

    # replayed as a snapshot: every recorded data file lands where it was, nothing refused
    instance = dg.DagsterInstance.ephemeral()
    result, settings = replay(tmp_path / "replay", recorded, instance)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    assert data_files(settings.landing_dir) == files
    log = [json.loads(line) for line in settings.landing_log.read_text().splitlines()]
    assert not [e for e in log if e["status"] in {"failed", "rejected"}]
    assert not [e for e in log if e["status"] == "missing" and e["partition"] == "NVDA"]

    # ... and gives the raw rows the fixtures give, hence their published figures
    with pipeline_env(published_once, FIXTURES) as fixtures_run:
        fixtures_build, fixtures_marts = fixtures_run.build_db, fixtures_run.marts_db
    for sql in (NVDA_COMPANY_FACTS, NVDA_FILING_FACTS, NVDA_RELEASE_FACTS):
        replayed = rows(settings.build_db, sql)
        assert replayed and replayed == rows(fixtures_build, sql), sql
    capex_fy2025 = """
        select value from raw.sec_filing_facts
        where accession_number = '0001045810-25-000023' and dimension_count = 0
          and concept = 'PaymentsToAcquireProductiveAssets'
          and period_start = '2024-01-29' and period_end = '2025-01-26'
    """
    assert rows(settings.build_db, capex_fy2025) == [(3_236_000_000,)]
    published = rows(fixtures_marts, """
        select fiscal_year, capex_usd, source_accession from fct_ai_capex_annual
        where ticker = 'NVDA' and fiscal_year in (2025, 2026) order by fiscal_year
    """)  # company facts: the FY2026 10-K's figures (PROVENANCE-api "Capex check")
    assert published == [(2025, 3_236_000_000, "0001045810-26-000021"),
                         (2026, 6_042_000_000, "0001045810-26-000021")]
