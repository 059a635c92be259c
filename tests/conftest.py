"""Session fixtures shared by the integration and reliability tests, and the fault-ledger
plugin (``tests/fault_ledger.py``: ``@pytest.mark.fault`` cases -> ``docs/reliability.md``)."""

from __future__ import annotations

import fcntl
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import execute_main_job
from orchestration.settings import Settings
from tests.pipeline import FIXTURES, cli_env, cli_run, run_main_job_on
from tests.snapshots import OLDER_WORLD_LEAVES_OUT, mirror_snapshot

pytest_plugins = ("tests.fault_ledger",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests for ``make test``'s xdist workers (``--dist worksteal``): each worker
    first gets an equal share of the list, in order, and an idle worker later takes queued tests
    from the end of another's queue, never its last two. Tests marked ``pipeline`` (each runs
    the whole pipeline itself, 15-70 s) are dealt out in turn to the front of each share, the
    other tests fill the shares behind them: every queue ends on short tests, which an idle
    worker can take (a queue ending on long tests left one worker running them alone for
    ~40 s). Without xdist the long tests simply come first."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    long = [item for item in items if item.get_closest_marker("pipeline")]
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
class CliRun:
    """``aicapex run`` as a user runs it: its exit code and printout, and what it ran."""

    exit_code: int
    out: str
    result: dg.ExecuteInProcessResult  # caught on its way out of ``execute_main_job``
    settings: Settings
    instance: dg.DagsterInstance  # of the run's own $DAGSTER_HOME


@pytest.fixture(scope="session")
def snapshot_cli_run(tmp_path_factory) -> CliRun:
    """One ``aicapex run`` from the recorded snapshot, in its own folders and $DAGSTER_HOME:
    the CLI test reads its printout, the read-only tests its warehouse, marts and events."""
    from orchestration import cli
    from orchestration.runtime.instance import project_instance

    root = tmp_path_factory.mktemp("snapshot_run")
    results = []

    def execute_and_keep(*args, **kwargs):
        results.append(execute_main_job(*args, **kwargs))
        return results[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "execute_main_job", execute_and_keep)
        code, out = cli_run(root, FIXTURES)
    with cli_env(root, FIXTURES) as settings:
        instance = project_instance()
    [result] = results
    assert code == 0 and result.success, out[-3000:]
    return CliRun(code, out, result, settings, instance)


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


def _shared_temp(request, tmp_path_factory) -> Path:
    """A temporary folder of this test session that every xdist worker of it shares."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        return tmp_path_factory.getbasetemp()
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{workerinput['testrunuid']}"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(scope="session")
def older_world(request, tmp_path_factory) -> PublishedWorld:
    """A published run of ``OLDER_WORLD_LEAVES_OUT``'s older snapshot, made once per test
    session (the first xdist worker to ask makes it under a lock, the others wait and reuse
    it). Tests copy it (``tests.pipeline.copy_run``) and bring it up to date."""
    shared = _shared_temp(request, tmp_path_factory)
    root, done = shared / "older_world", shared / "older_world.json"
    with (shared / "older_world.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            snapshot = mirror_snapshot(FIXTURES, shared / "older_snapshot", OLDER_WORLD_LEAVES_OUT)
            result, _ = run_main_job_on(root, snapshot, dg.DagsterInstance.ephemeral())
            assert result.success, [e.message for e in result.all_events if e.is_failure]
            done.write_text(json.dumps({"run_id": result.run_id}))
    return PublishedWorld(root, json.loads(done.read_text())["run_id"])
