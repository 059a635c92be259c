"""Session fixtures shared by the integration and reliability tests, and the fault-ledger
plugin (``tests/fault_ledger.py``: ``@pytest.mark.fault`` cases -> ``docs/reliability.md``)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from tests.pipeline import FIXTURES, run_main_job_on

pytest_plugins = ("tests.fault_ledger",)


@pytest.fixture(scope="session")
def snapshot_instance() -> dg.DagsterInstance:
    """The Dagster instance holding the event log of ``snapshot_run``."""
    return dg.DagsterInstance.ephemeral()


@pytest.fixture(scope="session")
def snapshot_run(tmp_path_factory, snapshot_instance):
    """One full run of the main job from the recorded snapshot (shared by read-only tests)."""
    root = tmp_path_factory.mktemp("snapshot_run")
    result, settings = run_main_job_on(root, FIXTURES, snapshot_instance)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return result, settings


@pytest.fixture(scope="session")
def published_once(snapshot_run) -> Path:
    """The root of ``snapshot_run`` (warehouse, landing, reports): tests that change a
    published warehouse copy it (``tests.pipeline.copy_run``) instead of running again."""
    _, settings = snapshot_run
    return settings.warehouse_dir.parent
