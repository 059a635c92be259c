"""The one Dagster ``Definitions``: the UI, schedules and ``aicapex run`` all execute this."""

from __future__ import annotations

import dagster as dg

import orchestration.runtime.instance_storage  # noqa: F401  (SQLite commits without an fsync each)
from orchestration.assets.dbt import aicapex_dbt_models
from orchestration.assets.filings import raw_sec_filings, sec_filings
from orchestration.assets.gates import all_checks
from orchestration.assets.prices import (
    energy_eia_retail_sales,
    epoch_nvidia_revenue,
    gpu_price_documents,
    raw_prices,
)
from orchestration.assets.publish import published_marts
from orchestration.assets.raw import raw_sec
from orchestration.assets.sec import sec_company_facts, sec_submissions
from orchestration.automation import build_schedules, jobs, sensors
from orchestration.config import load_config
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.runtime.dagster_private import AicapexDbtCliResource

MAIN_JOB = "aicapex_main"

config = load_config()

main_job = dg.define_asset_job(
    MAIN_JOB,
    selection=dg.AssetSelection.all(),
    description="Extract SEC data -> raw -> dbt build -> gates -> publish.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[sec_company_facts, sec_submissions, raw_sec, aicapex_dbt_models, published_marts,
            sec_filings, raw_sec_filings,
            energy_eia_retail_sales, gpu_price_documents, epoch_nvidia_revenue, raw_prices],
    asset_checks=all_checks,
    jobs=[main_job, *jobs],
    schedules=build_schedules(config),
    sensors=sensors,
    resources={
        "settings": config,
        "dbt": AicapexDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    },
)
