"""One price source down: it fails alone, the run publishes everything else and says partial."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.automation import PRICES_JOB
from orchestration.cli import EXIT_PARTIAL, exit_status
from orchestration.report import build_run_report
from orchestration.resources import load_config
from orchestration.runtime.launch import execute_job
from orchestration.sources import gpu
from tests.live_web import LiveWeb, price_routes

from .conftest import FIXTURES, pipeline_env, run_main_job_on

RATECARDS = gpu.GPU_URLS["ratecards"]


def _count(marts_db, sql: str) -> int:
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


def test_a_price_source_answering_500_forever_fails_alone(tmp_path, snapshot_instance):
    instance = snapshot_instance
    first, settings = run_main_job_on(tmp_path, FIXTURES, instance)
    assert first.success
    before = _count(settings.marts_db, "select count(*) from publish_log")

    with LiveWeb(price_routes(FIXTURES), down=[RATECARDS]) as web, \
            pipeline_env(tmp_path, FIXTURES), pytest.MonkeyPatch.context() as mp:
        mp.setenv("AICAPEX_MODE", "live")
        mp.setenv("AICAPEX_LIVE_BASE_URL", web.url)
        mp.setenv("AICAPEX_SEC_USER_AGENT", "aicapex tests test@example.com")
        mp.setenv("AICAPEX_HTTP_MAX_ATTEMPTS", "2")
        mp.setenv("AICAPEX_HTTP_BACKOFF_SECONDS", "0")
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
