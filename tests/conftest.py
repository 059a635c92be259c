"""Session fixtures shared by the integration and reliability tests, and the fault-ledger
plugin (``tests/fault_ledger.py``: ``@pytest.mark.fault`` cases -> ``docs/reliability.md``)."""

from __future__ import annotations

import fcntl
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import execute_main_job
from orchestration.settings import Settings
from tests.pipeline import FIXTURES, cli_env, cli_run, run_main_job_on
from tests.snapshots import OLDER_WORLD_LEAVES_OUT, mirror_snapshot

pytest_plugins = ("tests.fault_ledger",)
# session fixtures made once for all xdist workers (``_made_once``)
SHARED_WORLDS = ("snapshot_cli_run", "older_world")


@pytest.hookimpl(trylast=True)  # after `-m` deselects: the shares are of the tests that run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests for ``make test``'s xdist workers (``--dist worksteal``): each worker
    first gets an equal share of the list, in order, and an idle worker later takes queued tests
    from the end of another's queue, never its last two. Tests marked ``pipeline`` (each runs
    the whole pipeline itself, 15-70 s) are dealt out in turn to the front of each share, the
    other tests fill the shares behind them: every queue ends on short tests, which an idle
    worker can take (a queue ending on long tests left one worker running them alone for
    ~40 s). Without xdist the long tests simply come first.

    The session's shared worlds (``SHARED_WORLDS``, each made once by the first worker to ask)
    are asked for first by different workers: the first worker's first test is one on the
    snapshot run, the second's one on the older world, so the two are made side by side and
    neither worker waits for the other's."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    long = [item for item in items if item.get_closest_marker("pipeline")]
    for position, world in enumerate(SHARED_WORLDS if workers > 1 else ()):
        first = next((item for item in long[position:]
                      if world in getattr(item, "fixturenames", ())), None)
        if first is not None:
            long.remove(first)
            long.insert(position, first)
    short = [item for item in items if not item.get_closest_marker("pipeline")]
    shares, left = [], len(items)
    for worker in range(workers):  # the shares xdist's first schedule sends, in order
        shares.append(left // (workers - worker))
        left -= shares[-1]
    ordered = []
    for worker, share in enumerate(shares):
        front = long[worker::workers]
        ordered += front + short[:max(0, share - len(front))]
        short = short[max(0, share - len(front)):]
    items[:] = ordered + short


@dataclass(frozen=True)
class RecordedRun:
    """A finished run read back from its Dagster instance: what the read-only tests ask of a
    run's result, for a run that another xdist worker of the session may have made."""

    instance: dg.DagsterInstance
    run_id: str

    @property
    def success(self) -> bool:
        run = self.instance.get_run_by_id(self.run_id)
        return run is not None and run.status == dg.DagsterRunStatus.SUCCESS

    def _events(self, kind: dg.DagsterEventType) -> list[dg.DagsterEvent]:
        records = self.instance.get_records_for_run(self.run_id, of_type=kind).records
        return [r.event_log_entry.dagster_event for r in records
                if r.event_log_entry.dagster_event is not None]

    def get_asset_check_evaluations(self) -> list[dg.AssetCheckEvaluation]:
        return [event.event_specific_data
                for event in self._events(dg.DagsterEventType.ASSET_CHECK_EVALUATION)]

    def get_asset_materialization_events(self) -> list[dg.DagsterEvent]:
        return self._events(dg.DagsterEventType.ASSET_MATERIALIZATION)


@dataclass(frozen=True)
class CliRun:
    """``aicapex run`` as a user runs it: its exit code and printout, and what it ran."""

    exit_code: int
    out: str
    result: RecordedRun
    settings: Settings
    instance: dg.DagsterInstance  # of the run's own $DAGSTER_HOME


def _shared_temp(request, tmp_path_factory) -> Path:
    """A temporary folder of this test session that every xdist worker of it shares."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        return tmp_path_factory.getbasetemp()
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{workerinput['testrunuid']}"
    shared.mkdir(exist_ok=True)
    return shared


def _made_once(shared: Path, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """``shared/name``, made by ``make`` (which returns what to remember of it) once per test
    session: the first xdist worker to ask makes it under a lock, the others wait and reuse it.
    A ``make`` that raises leaves nothing remembered, so the next to ask tries again."""
    root, done = shared / name, shared / f"{name}.json"
    with (shared / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a failed attempt's leftovers
            done.write_text(json.dumps(make(root)))
    return root, json.loads(done.read_text())


@pytest.fixture(scope="session")
def snapshot_cli_run(request, tmp_path_factory) -> CliRun:
    """One ``aicapex run`` from the recorded snapshot per test session, in its own folders and
    $DAGSTER_HOME (made by the first xdist worker to ask, shared by all): the CLI test reads
    its printout, the read-only tests its warehouse, marts and events."""
    from orchestration import cli
    from orchestration.runtime.instance import project_instance

    def run(root: Path) -> dict:
        run_ids = []

        def execute_and_keep(*args, **kwargs):
            result = execute_main_job(*args, **kwargs)
            run_ids.append(result.run_id)
            return result

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cli, "execute_main_job", execute_and_keep)
            code, out = cli_run(root, FIXTURES)
        return {"exit_code": code, "out": out, "run_ids": run_ids}

    root, made = _made_once(_shared_temp(request, tmp_path_factory), "snapshot_run", run)
    with cli_env(root, FIXTURES) as settings:
        instance = project_instance()
    assert made["exit_code"] == 0 and len(made["run_ids"]) == 1, made["out"][-3000:]
    result = RecordedRun(instance, made["run_ids"][0])
    assert result.success, made["out"][-3000:]
    return CliRun(made["exit_code"], made["out"], result, settings, instance)


@pytest.fixture(scope="session")
def snapshot_instance(snapshot_cli_run) -> dg.DagsterInstance:
    """The Dagster instance holding the event log of ``snapshot_run``."""
    return snapshot_cli_run.instance


@pytest.fixture(scope="session")
def snapshot_run(snapshot_cli_run):
    """The result and settings of ``snapshot_cli_run`` (shared by read-only tests)."""
    return snapshot_cli_run.result, snapshot_cli_run.settings


@pytest.fixture(scope="session")
def published_once(snapshot_run) -> Path:
    """The root of ``snapshot_run`` (warehouse, landing, reports): tests that change a
    published warehouse copy it (``tests.pipeline.copy_run``) instead of running again."""
    _, settings = snapshot_run
    return settings.warehouse_dir.parent


@dataclass(frozen=True)
class PublishedWorld:
    root: Path  # warehouse/, landing/, reports/ of a finished, published run
    run_id: str


@pytest.fixture(scope="session")
def older_world(request, tmp_path_factory) -> PublishedWorld:
    """A published run of ``OLDER_WORLD_LEAVES_OUT``'s older snapshot, made once per test
    session (``_made_once``). Tests copy it (``tests.pipeline.copy_run``) and bring it up to
    date."""
    shared = _shared_temp(request, tmp_path_factory)

    def run(root: Path) -> dict:
        snapshot = mirror_snapshot(FIXTURES, shared / "older_snapshot", OLDER_WORLD_LEAVES_OUT)
        result, _ = run_main_job_on(root, snapshot, dg.DagsterInstance.ephemeral())
        assert result.success, [e.message for e in result.all_events if e.is_failure]
        return {"run_id": result.run_id}

    root, made = _made_once(shared, "older_world", run)
    return PublishedWorld(root, made["run_id"])
