"""The project's Dagster instance ($DAGSTER_HOME) and the reaper of runs whose process died."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.settings import PROJECT_ROOT

TEMPLATE = Path(__file__).parent / "instance" / "dagster.yaml"
# the storage module's path before it moved under runtime/: homes created then are updated
_OLD_STORAGE_MODULE = "module: orchestration.instance_storage"
PID_TAG = "aicapex/pid"


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home")


def ensure_dagster_home(home: Path) -> None:
    """Create ``home`` with the project's instance config (pools of one) if missing."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return
    text = config.read_text(encoding="utf-8")
    if _OLD_STORAGE_MODULE in text:
        config.write_text(text.replace(_OLD_STORAGE_MODULE,
                                       "module: orchestration.runtime.instance_storage"),
                          encoding="utf-8")


def project_instance() -> dg.DagsterInstance:
    """The instance the UI, schedules and ``aicapex run`` share ($DAGSTER_HOME, or
    ``.dagster_home/`` of the project, created on first use). Dagster reads ``DAGSTER_HOME``
    from the environment, so a missing one is set for this process (and ``dagster dev``)."""
    home = dagster_home()
    ensure_dagster_home(home)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail CLI runs whose process died (SIGKILL, power loss) and free their pool slots.

    A killed in-process run stays STARTED forever and keeps its "warehouse" pool slot, so the
    next run would wait for it indefinitely. Only runs tagged with a dead pid are touched.
    """
    reaped = []
    active = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        pid = run.tags.get(PID_TAG)
        if pid is None or not pid.isdigit() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"aicapex: the process running it (pid {pid}) died")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped
