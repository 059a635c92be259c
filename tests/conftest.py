"""Fixtures for every test folder, and the fault-ledger plugin (``tests/fault_ledger.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from tests.integration.conftest import FIXTURES, run_main_job_on

pytest_plugins = ("tests.fault_ledger",)

PUBLISHED_FOLDERS = ("warehouse", "landing", "reports")


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
def published_root(snapshot_run) -> Path:
    """The root of ``snapshot_run`` (warehouse, landing, reports): copy it, never change it."""
    _, settings = snapshot_run
    return settings.warehouse_dir.parent


def copy_published(published_root: Path, target: Path) -> None:
    """A private copy of the published run's folders under ``target``."""
    for folder in PUBLISHED_FOLDERS:
        shutil.copytree(published_root / folder, target / folder, symlinks=True)
