"""Read-only views of the shared snapshot run; the helpers live in ``tests.pipeline``."""

from __future__ import annotations

import duckdb
import pytest

from tests.pipeline import FIXTURES, pipeline_env, run_main_job, run_main_job_on

__all__ = ["FIXTURES", "pipeline_env", "run_main_job", "run_main_job_on"]


@pytest.fixture(scope="module")
def marts(snapshot_run):
    """The published marts of ``snapshot_run``, opened as ``aicapex query`` opens them."""
    from orchestration.query import connect_published

    _, settings = snapshot_run
    con = connect_published(settings.marts_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def build(snapshot_run):
    """The build warehouse of ``snapshot_run`` (raw, staging, intermediate), read-only."""
    _, settings = snapshot_run
    con = duckdb.connect(str(settings.build_db), read_only=True)
    yield con
    con.close()
