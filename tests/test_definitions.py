"""The one ``Definitions``: what the UI, schedules, sensors and ``aicapex run`` all execute."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import MAIN_JOB, defs
from orchestration.resources import AicapexConfig

MARTS = ["dim_company", "dim_concept_resolution", "fct_ai_capex", "fct_ai_capex_annual",
         "fct_ai_monetization", "fct_ai_monetization_annual", "fct_cloud_segment_revenue",
         "fct_cloud_segment_revenue_annual", "fct_funding_runway", "fct_gpu_economics",
         "fct_capex_funding", "fct_capex_funding_annual", "fct_commitments",
         "fct_depreciation_wave", "fct_depreciation_wave_annual"]


@pytest.fixture(scope="module")
def repository():
    dg.Definitions.validate_loadable(defs)
    return defs.get_repository_def()


def test_assets_by_source_and_layer(repository):
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    extract = {"sec/companyfacts", "sec/submissions", "sec/filings", "sec/releases",
               "energy/eia_retail_sales", "gpu/gpu_prices", "other/epoch_nvidia_revenue"}
    raw = {"raw/sec_company_facts", "raw/sec_submissions", "raw/landing_log",
           "raw/sec_filing_facts", "raw/sec_releases", "raw/sec_release_facts",
           "raw/eia_retail_sales", "raw/gpu_prices"}
    assert extract <= keys and raw <= keys
    assert {f"audit/{mart}" for mart in MARTS} <= keys
    assert "published_marts" in keys
    groups = {repository.asset_graph.get(dg.AssetKey.from_user_string(k)).group_name
              for k in extract}
    assert groups == {"sec_extract", "energy_extract", "gpu_extract"}
    company = repository.asset_graph.get(dg.AssetKey(["sec", "companyfacts"]))
    assert company.partitions_def.get_partition_keys() == [
        "MSFT", "GOOGL", "AMZN", "META", "NVDA", "ORCL"]


def test_every_mart_is_gated_by_blocking_checks(repository):
    graph = repository.asset_graph
    checks = {(key.asset_key.to_user_string(), key.name): graph.get_check_spec(key)
              for key in graph.asset_check_keys}
    for mart in MARTS:
        assert checks[(f"audit/{mart}", f"gx_{mart}")].blocking
        assert checks[(f"audit/{mart}", f"volume_{mart}")].blocking
    freshness = checks[("raw/sec_company_facts", "freshness_sec_company_facts")]
    assert not freshness.blocking  # a warning, never a gate
    dbt_tests = [name for (asset, name) in checks
                 if asset == "audit/fct_ai_capex" and name.startswith("not_null")]
    assert dbt_tests and all(checks[("audit/fct_ai_capex", n)].blocking for n in dbt_tests)
    publish = repository.asset_graph.get(dg.AssetKey("published_marts"))
    assert {f"audit/{mart}" for mart in MARTS} <= {
        k.to_user_string() for k in publish.parent_keys}


def test_jobs_schedules_sensors_and_resources():
    jobs = {job.name for job in defs.resolve_all_job_defs()}
    assert {MAIN_JOB, "sec_refresh", "prices_refresh", "snapshot_record"} <= jobs
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["sec_weekly"].cron_schedule == "0 6 * * 1"
    assert schedules["sec_weekly"].job_name == "sec_refresh"
    assert schedules["prices_daily"].job_name == "prices_refresh"
    sensors = {s.name for s in defs.sensors}
    assert sensors == {"new_sec_filing_sensor", "report_on_success", "report_on_failure"}
    assert isinstance(defs.resources["settings"], AicapexConfig)
    assert set(defs.resources) == {"settings", "dbt"}


def test_main_job_runs_in_one_process():
    job = defs.resolve_job_def(MAIN_JOB)
    assert job.executor_def is dg.in_process_executor  # one DuckDB writer at a time
