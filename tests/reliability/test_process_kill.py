"""Kill the whole run (SIGKILL to its process group) during extract, dbt build and publish: the
published file is the old one or the new one, never partial, and the next run completes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DEFAULT_SNAPSHOT_DIR, PROJECT_ROOT

from ..pipeline import cli_env, cli_run, copy_run

FIXTURES = DEFAULT_SNAPSHOT_DIR
COMPANY_FACTS_TICKERS = (
    "select count(distinct ticker) from fct_ai_capex where source = 'company_facts'"
)


def run_env(root: Path, snapshot: Path) -> dict[str, str]:
    """The environment of ``cli_run`` (the next run), for the run that is killed."""
    with cli_env(root, snapshot):
        return {**os.environ, "GX_ANALYTICS_ENABLED": "False"}


def kill_when(root: Path, snapshot: Path, marker: str) -> str:
    """Start a run and SIGKILL its whole process group as soon as ``marker`` is logged
    (``--verbose`` streams the run's log)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--verbose"], cwd=PROJECT_ROOT,
        env=run_env(root, snapshot), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    seen = []
    deadline = time.monotonic() + 300
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "".join(seen[-20:])
    return "".join(seen)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.pipeline
@pytest.mark.fault(
    kind="process kill",
    injected="SIGKILL to the whole `aicapex run` process group {param}",
    expected=("marts.duckdb is the old or the whole new file; the next run completes; no .marts-* "
              "left"),
)
@pytest.mark.parametrize(
    "marker",
    ["companyfacts landed", "Running dbt command", "publishing: building a new"],
    ids=["during-extract", "during-dbt-build", "during-publish"],
)
def test_killed_run_leaves_old_or_new_and_next_run_completes(tmp_path, older_world, marker):
    copy_run(older_world.root, tmp_path)  # published from a snapshot without NVIDIA's facts
    marts = tmp_path / "warehouse" / "marts.duckdb"
    old = digest(marts)

    kill_when(tmp_path, FIXTURES, marker)

    if digest(marts) != old:  # the swap happened before the kill: it must be the whole new file
        with duckdb.connect(str(marts), read_only=True) as con:
            assert con.execute(COMPANY_FACTS_TICKERS).fetchone() == (2,)
    with duckdb.connect(str(marts), read_only=True) as con:
        assert con.execute("select count(*) from fct_ai_capex").fetchone()[0] > 40

    # the next `aicapex run`, in this process (the killed one was a process of its own)
    code, out = cli_run(tmp_path, FIXTURES)
    assert code == 0, out[-3000:]
    with duckdb.connect(str(marts), read_only=True) as con:
        assert con.execute(COMPANY_FACTS_TICKERS).fetchone() == (2,)
    assert not list((tmp_path / "warehouse").glob(".marts-*"))
