"""Schedules and sensors: SEC weekly, prices daily, a run per company on a new 10-K/10-Q, and a
data-quality report for every run however it was started."""

from __future__ import annotations

import json

import dagster as dg

from orchestration.resources import AicapexConfig
from orchestration.runtime.dagster_private import partition_range_tags
from orchestration.settings import Settings
from orchestration.sources.http import sec_client
from orchestration.sources.sec_company_facts.api import SUBMISSIONS
from orchestration.sources.sec_company_facts.submissions import new_filings
from orchestration.universe import load_universe

SEC_JOB = "sec_refresh"
PRICES_JOB = "prices_refresh"
PRICE_GROUPS = ("energy_extract", "gpu_extract", "other_extract")


sec_job = dg.define_asset_job(
    SEC_JOB,
    selection=dg.AssetSelection.groups("sec_extract").downstream(),
    description="SEC extract for the selected companies, then raw, dbt, gates and publish.",
    executor_def=dg.in_process_executor,
)

prices_job = dg.define_asset_job(
    PRICES_JOB,
    selection=dg.AssetSelection.groups(*PRICE_GROUPS).downstream(),
    description="Electricity and GPU prices, then the marts that use them, gates and publish.",
    executor_def=dg.in_process_executor,
)


def build_schedules(config: AicapexConfig) -> list[dg.ScheduleDefinition]:
    """SEC weekly and prices daily, on the crons of the config (``AICAPEX_SEC_CRON``,
    ``AICAPEX_PRICES_CRON``; Monday 06:00 and daily 07:00 UTC by default)."""

    @dg.schedule(job=sec_job, cron_schedule=config.sec_cron, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.STOPPED)
    def sec_weekly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Every company's SEC data, weekly."""
        tickers = [c.ticker for c in load_universe()]
        return dg.RunRequest(
            run_key=f"sec-{context.scheduled_execution_time:%Y%m%d%H%M}",
            tags=partition_range_tags(tickers[0], tickers[-1]),
        )

    @dg.schedule(job=prices_job, cron_schedule=config.prices_cron, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.STOPPED)
    def prices_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Electricity and GPU prices, daily."""
        return dg.RunRequest(run_key=f"prices-{context.scheduled_execution_time:%Y%m%d%H%M}")

    return [sec_weekly, prices_daily]


def read_submissions(settings: Settings, cik: int) -> bytes | None:
    """The submissions document from the snapshot, or from the SEC in live mode."""
    if settings.mode == "live":
        client = sec_client(settings)
        return client.get(SUBMISSIONS.url(cik))
    path = settings.snapshot_dir / SUBMISSIONS.relative_path(cik)
    return path.read_bytes() if path.is_file() else None


@dg.sensor(job=sec_job, minimum_interval_seconds=3600,
           default_status=dg.DefaultSensorStatus.STOPPED)
def new_sec_filing_sensor(context: dg.SensorEvaluationContext, settings: AicapexConfig):
    """Request a run for exactly the companies whose submissions list a new 10-K/10-Q or a new
    earnings release (8-K whose items include 2.02).

    The cursor maps ticker -> newest periodic accession seen; a company seen for the first
    time sets its baseline without a run (the scheduled refresh covers history).
    """
    config = settings.get()
    cursor = json.loads(context.cursor) if context.cursor else {}
    requests, skipped = [], []
    for company in load_universe():
        body = read_submissions(config, company.cik)
        if body is None:
            skipped.append(company.ticker)
            continue
        seen = cursor.get(company.ticker)
        fresh = new_filings(body, seen)
        if not fresh:
            continue
        newest = fresh[-1]
        cursor[company.ticker] = newest.accession
        if seen is None:
            continue
        requests.append(dg.RunRequest(
            run_key=f"{company.ticker}:{newest.accession}",
            tags={**partition_range_tags(company.ticker, company.ticker),
                  "aicapex/trigger": f"{newest.form} {newest.accession} filed "
                                     f"{newest.filing_date}"},
        ))
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    if requests:
        return requests
    return dg.SkipReason(
        "no new 10-K/10-Q or earnings release"
        + (f"; no submissions for {', '.join(skipped)}" if skipped else "")
    )


def _write_report(context: dg.RunStatusSensorContext, config: AicapexConfig) -> None:
    from orchestration.report import build_run_report, write_report

    settings = config.get()
    report = build_run_report(context.instance, context.dagster_run.run_id, settings)
    path = write_report(settings.reports_dir, report, settings.marts_db)
    context.log.info(f"analyst and data-quality report: {path}")


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitor_all_code_locations=False,
                      default_status=dg.DefaultSensorStatus.RUNNING)
def report_on_success(context: dg.RunStatusSensorContext, settings: AicapexConfig) -> None:
    """Write the data-quality report of every successful run (UI and schedules too)."""
    _write_report(context, settings)


@dg.run_failure_sensor(monitor_all_code_locations=False,
                       default_status=dg.DefaultSensorStatus.RUNNING)
def report_on_failure(context: dg.RunFailureSensorContext, settings: AicapexConfig) -> None:
    """Write the data-quality report of every failed run: it says which gate blocked."""
    _write_report(context, settings)


RECORD_JOB = "snapshot_record"

record_job = dg.define_asset_job(
    RECORD_JOB,
    selection=dg.AssetSelection.groups("sec_extract", *PRICE_GROUPS),
    description="Live extraction only: lands every source's files, laid out as a snapshot.",
    executor_def=dg.in_process_executor,
)

jobs = [sec_job, prices_job, record_job]
sensors = [new_sec_filing_sensor, report_on_success, report_on_failure]
