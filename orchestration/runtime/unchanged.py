"""The warm-run fast path: ``aicapex run`` with nothing new, decided before the main job starts.

Starting the main job costs ~4 s of CPU before its first step (importing dagster-dbt and dbt,
building ~80 assets and ~570 checks from the manifest, ~650 "planned" events), and then every
step still runs to find that nothing changed. When a whole-universe snapshot run finds the same
snapshot inputs (``load_state.snapshot_inputs``: every snapshot file's sha256 and the code)
behind the served file, the main job is known to skip: the extract would land the same
documents, the raw loads would find the same files and the build fingerprint would equal the
served one. ``aicapex run`` then runs this job instead, on the same Dagster instance (the run
shows in the UI, with its log): it records the skipped stages in the run ledger, since the run
whose build is served, and evaluates the raw freshness warnings, which depend on today's date.
Live runs (the network decides what is new), ``--company`` and ``--force`` runs, and any run
after a failed or partial one take the main job.
"""

import json

import dagster as dg

from orchestration.load_state import unchanged_inputs
from orchestration.quality.checks import check_results
from orchestration.quality.freshness import FRESHNESS_CHECKS
from orchestration.quality.ledger import record_checks, record_skipped
from orchestration.resources import AicapexConfig
from orchestration.settings import Settings

UNCHANGED_JOB = "aicapex_unchanged"
SKIPPED_STAGES = ("extract", "load raw", "dbt build", "mart gates", "publish")


class ServedBuild(dg.Config):
    run_id: str  # the run whose build is served


@dg.op(description="Record a run with nothing new: the skipped stages and the raw freshness "
                   "warnings, in the run ledger.")
def nothing_new(context: dg.OpExecutionContext, config: ServedBuild,
                settings: AicapexConfig) -> None:
    values = settings.get()
    reason = f"nothing new since run {config.run_id}"
    record_skipped(values.reports_dir, context.run_id, list(SKIPPED_STAGES), reason,
                   since_run_id=config.run_id)
    for check in FRESHNESS_CHECKS:
        result = check.evaluate(values)._replace(asset_key=dg.AssetKey(list(check.asset)),
                                                  check_name=check.name)
        record_checks(values.reports_dir, check_results(context.run_id, result))
        if not result.passed:
            context.log.warning(f"{check.name}: {result.description}")
    context.log.info(f"{reason}: the snapshot and the code are the ones its build was made "
                     f"from; {', '.join(SKIPPED_STAGES)} skipped (aicapex run --force rebuilds)")


@dg.job(name=UNCHANGED_JOB, executor_def=dg.in_process_executor,
        description="aicapex run with nothing new since the served build (snapshot mode): "
                    "records the run without starting the main job.")
def unchanged_job() -> None:
    nothing_new()


def run_config(served_run_id: str) -> dict:
    return {"ops": {"nothing_new": {"config": {"run_id": served_run_id}}}}


def served_unchanged(settings: Settings, inputs: str) -> dict | None:
    """The served build's state when ``inputs`` are the ones it was built from and the latest
    run succeeded without a stale source (else the main job runs: it retries what failed)."""
    latest = settings.reports_dir / "latest" / "dq_results.json"
    try:
        report = json.loads(latest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if report.get("status") != "SUCCESS" or report.get("stale_sources"):
        return None
    return unchanged_inputs(settings, inputs)
