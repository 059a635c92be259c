"""Two runs at once: the second refuses clearly (or waits with --wait); nothing is corrupted."""

from __future__ import annotations

import fcntl

import pytest

from orchestration.cli import EXIT_BUSY, main


@pytest.mark.fault(
    kind="concurrent runs",
    injected="the warehouse run lock held by another process (flock) during `aicapex run`",
    expected="exit 3 naming the holder's pid and --wait; nothing landed, nothing published",
)
def test_second_run_refuses_while_the_first_holds_the_warehouse(tmp_path, monkeypatch, capsys):
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(warehouse))
    monkeypatch.setenv("AICAPEX_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    with (warehouse / ".aicapex-run.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("pid 12345 since 2026-11-25T10:00:00+00:00")
        held.flush()
        assert main(["run"]) == EXIT_BUSY
    message = capsys.readouterr().err
    assert "another aicapex run" in message and "pid 12345" in message and "--wait" in message
    assert not (tmp_path / "landing").exists()
    assert not (warehouse / "marts.duckdb").exists()


@pytest.mark.fault(
    kind="path escape",
    injected="`aicapex run --company ../../etc`",
    expected="exit 2 'unknown ticker'; no path touched",
)
def test_company_argument_cannot_reach_paths(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert main(["run", "--company", "../../etc"]) == 2
    assert "unknown ticker" in capsys.readouterr().err
