"""One source down (a price document, or one company's SEC data): it fails alone, the run
publishes everything else and says partial."""

from __future__ import annotations

import json

import dagster as dg
import duckdb
import pytest

from orchestration.automation import PRICES_JOB
from orchestration.cli import EXIT_PARTIAL, exit_status
from orchestration.report import build_run_report
from orchestration.resources import load_config
from orchestration.runtime.launch import execute_job
from orchestration.sources import gpu
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS, SUBMISSIONS
from orchestration.universe import company_by_ticker
from tests.live_web import LiveWeb, live_mode, price_routes, sec_routes

from ..pipeline import FIXTURES, copy_run, extract_and_load, pipeline_env, rows

RATECARDS = gpu.GPU_URLS["ratecards"]


def _count(marts_db, sql: str) -> int:
    [(count,)] = rows(marts_db, sql)
    return count


@pytest.mark.pipeline
@pytest.mark.fault(
    kind="source down",
    injected=("one price source (GPU rate cards) answers HTTP 500 forever on a loopback server; "
              "others answer"),
    expected=("others land and publish; the down one keeps its last good file flagged stale; run "
              "PARTIAL, exit 4"),
)
def test_a_price_source_answering_500_forever_fails_alone(tmp_path, snapshot_instance,
                                                         published_once):
    instance = snapshot_instance
    settings = copy_run(published_once, tmp_path)  # a published snapshot run, to refresh
    before = _count(settings.marts_db, "select count(*) from publish_log")

    with LiveWeb(price_routes(FIXTURES), down=[RATECARDS]) as web, \
            pipeline_env(tmp_path, FIXTURES), live_mode(web):
        config = load_config()
        result = execute_job(PRICES_JOB, config, instance)
        assert web.requested(RATECARDS) == 2  # asked, retried, then given up on
        assert web.requested(gpu.GPU_URLS["aws_series"]) == 1  # the others answered

    assert result.success, [e.message for e in result.all_events if e.is_failure]
    report = build_run_report(instance, result.run_id, config.get())
    assert report.outcome == "PARTIAL" and report.published
    [stale] = report.stale_sources
    assert stale.startswith("gpu/gpu_prices: gpu_price_index_backfill: ") and "HTTP 500" in stale
    assert "last good data (1 landed file(s)) is kept and flagged stale" in stale
    assert exit_status(report.success, report.stale_sources) == EXIT_PARTIAL
    marts = settings.marts_db
    assert _count(marts, "select count(*) from publish_log") == before + 1  # published again
    assert _count(marts, "select count(*) from fct_ai_capex where ticker = 'NVDA'") > 0
    assert _count(marts, "select count(*) from fct_gpu_economics "  # the stale rate cards
                         "where price_source like 'gpu_price_index_backfill%'") > 0


def _landing_log(settings) -> list[dict]:
    return [json.loads(line) for line in settings.landing_log.read_text().splitlines()]


@pytest.mark.fault(
    kind="source down",
    injected=("SEC down for one company (NVDA's company facts and submissions answer HTTP 500 "
              "forever on a loopback server); another (META) has no company facts (HTTP 404); "
              "the SEC extracts for both and every raw load"),
    expected=("META lands, its missing company facts named; NVDA fails alone in each SEC source, "
              "its last good data kept and loaded, flagged stale; the raw loads run; run "
              "PARTIAL, exit 4"),
)
def test_an_sec_company_down_fails_alone(tmp_path, snapshot_instance, published_once):
    instance = snapshot_instance
    settings = copy_run(published_once, tmp_path)
    meta, nvda = company_by_ticker("META"), company_by_ticker("NVDA")
    nvda_facts = COMPANY_FACTS.url(nvda.cik)

    with LiveWeb(sec_routes(FIXTURES, [meta, nvda]),
                 down=[nvda_facts, SUBMISSIONS.url(nvda.cik)]) as web, \
            pipeline_env(tmp_path, FIXTURES), \
            live_mode(web, AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR="2027"):
        # fiscal 2027: NVIDIA's started 2026-02-01 (its filings are asked for: the submissions
        # list first, which is down); Meta's starts 2027-01-01, after today: nothing to ask
        config = load_config()
        # what runs after the SEC extract depends on the raw loads only: they are enough to
        # show it is not blocked (a dbt build here would cost a minute and add nothing)
        result = extract_and_load(config, instance, ["META", "NVDA"],
                                  dg.AssetSelection.groups("sec_extract", "raw"))
        assert web.requested(nvda_facts) == 2  # asked, retried, then given up on
        assert web.requested(COMPANY_FACTS.url(meta.cik)) == 1  # 404: not retried

    assert result.success, [e.message for e in result.all_events if e.is_failure]
    materialized = {e.asset_key.path[0] for e in result.get_asset_materialization_events()}
    assert materialized == {"sec", "raw"}
    report = build_run_report(instance, result.run_id, config.get())
    assert report.outcome == "PARTIAL"
    assert exit_status(report.success, report.stale_sources) == EXIT_PARTIAL
    stale = {note.split(": NVDA: ")[0]: note for note in report.stale_sources}
    assert sorted(stale) == ["sec/companyfacts", "sec/filings", "sec/releases",
                             "sec/submissions"], report.stale_sources
    assert all("HTTP 500" in note for note in stale.values())
    for source, kept in (("companyfacts", "1 landed file(s)"), ("submissions", "1 landed file(s)"),
                         ("filings", "5 landed filing(s)"), ("releases", "7 landed filing(s)")):
        assert stale[f"sec/{source}"].endswith(
            f"its last good data ({kept}) is kept and flagged stale"), stale[f"sec/{source}"]
    # META: no company facts on the SEC is named, not an error; its submissions landed
    assert report.missing_companies["sec/companyfacts"] == ["META"]
    meta_log = [e for e in _landing_log(settings) if e["partition"] == "META"
                and e["origin"].startswith("https://")]
    assert {(e["source"], e["status"]) for e in meta_log} == {("companyfacts", "missing"),
                                                             ("submissions", "unchanged")}
    [facts] = [e for e in meta_log if e["source"] == "companyfacts"]
    assert facts["detail"] == ("not published by the source (HTTP 404 for "
                               f"{COMPANY_FACTS.url(meta.cik)})")
    # NVIDIA's last good data is loaded again: what the next build reads
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        for table, where in (("sec_company_facts", "cik = 1045810"),
                             ("sec_submissions", "cik = 1045810"),
                             ("sec_filings", "ticker = 'NVDA'"),
                             ("sec_releases", "ticker = 'NVDA'")):
            assert con.execute(f"select count(*) from raw.{table} where {where}"
                               ).fetchall()[0][0] > 0, table
