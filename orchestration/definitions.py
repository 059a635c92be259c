"""The one Dagster ``Definitions``: the UI, schedules and ``aicapex run`` all execute this."""

from __future__ import annotations

import dagster as dg

import orchestration.runtime.instance_storage  # noqa: F401  (SQLite commits without an fsync each)
from orchestration.assets.dbt import aicapex_dbt_models
from orchestration.assets.gates import all_checks
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import published_marts
from orchestration.automation import build_schedules, jobs, sensors
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.resources import load_config
from orchestration.runtime.dagster_dbt_private import AicapexDbtCliResource
from orchestration.runtime.unchanged import unchanged_job

MAIN_JOB = "aicapex_main"

config = load_config()

main_job = dg.define_asset_job(
    MAIN_JOB,
    selection=dg.AssetSelection.all(),
    description="Extract SEC data -> raw -> dbt build -> gates -> publish.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[*ingest_assets(), aicapex_dbt_models, published_marts],
    asset_checks=all_checks,
    jobs=[main_job, *jobs, unchanged_job],
    schedules=build_schedules(config),
    sensors=sensors,
    resources={
        "settings": config,
        "dbt": AicapexDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    },
)
