"""Run the real Dagster job from a snapshot into a temporary warehouse (helpers for tests)."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.resources import load_config
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, Settings

FIXTURES = Path(os.environ.get("AICAPEX_SNAPSHOT_DIR", DEFAULT_SNAPSHOT_DIR))


@contextmanager
def pipeline_env(root: Path, snapshot: Path) -> Iterator[Settings]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AICAPEX_MODE", "snapshot")
        mp.setenv("AICAPEX_SNAPSHOT_DIR", str(snapshot))
        mp.setenv("AICAPEX_LANDING_DIR", str(root / "landing"))
        mp.setenv("AICAPEX_WAREHOUSE_DIR", str(root / "warehouse"))
        mp.setenv("AICAPEX_REPORTS_DIR", str(root / "reports"))
        yield load_config().get()


@contextmanager
def cli_env(root: Path, snapshot: Path) -> Iterator[Settings]:
    """``pipeline_env`` plus the run's own ``$DAGSTER_HOME`` (``root/dagster_home``), as the
    CLI's runs keep their Dagster instance."""
    with pipeline_env(root, snapshot) as settings, pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        yield settings


def cli_run(root: Path, snapshot: Path, *args: str) -> tuple[int, str]:
    """``aicapex run`` in this process (``orchestration.cli.main``, what the console script
    calls) in ``cli_env``: its exit code and printout."""
    from orchestration import cli

    out = io.StringIO()
    with cli_env(root, snapshot), redirect_stdout(out):
        code = cli.main(["run", *args])
    return code, out.getvalue()


def run_main_job(root: Path, snapshot: Path, force: bool = False):
    return run_main_job_on(root, snapshot, dg.DagsterInstance.ephemeral(), force=force)


def run_main_job_on(root: Path, snapshot: Path, instance, force: bool = False,
                    companies: list[str] | None = None):
    """The main job (or, with ``companies``, the SEC job the new-filing sensor runs)."""
    from orchestration.cli import execute_main_job

    with pipeline_env(root, snapshot) as settings:
        result = execute_main_job(load_config(), companies=companies, instance=instance,
                                  force=force)
    return result, settings


def extract_and_load(config, instance: dg.DagsterInstance, tickers: list[str],
                     selection: dg.AssetSelection | None = None) -> dg.ExecuteInProcessResult:
    """The steps of a run before dbt: every extract asset (``tickers``: the partition range of
    the SEC ones) and every raw load, or those of ``selection``; no build, gate or publish."""
    from orchestration.assets.ingest import ingest_assets
    from orchestration.runtime.launch import run_tags

    return dg.materialize(ingest_assets(), selection=selection, instance=instance,
                          resources={"settings": config}, tags=run_tags(tickers),
                          raise_on_error=False)



def rows(db: Path, sql: str) -> list[tuple]:
    """The rows of ``sql`` in the DuckDB file ``db``, opened read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


RUN_FOLDERS = ("warehouse", "landing", "reports")


def copy_run(source_root: Path, target_root: Path) -> Settings:
    """A private copy of a finished run (warehouse, landing, reports) under ``target_root``,
    to change without touching the shared one; its settings."""
    for folder in RUN_FOLDERS:
        shutil.copytree(source_root / folder, target_root / folder, symlinks=True)
    with pipeline_env(target_root, FIXTURES) as settings:
        return settings
