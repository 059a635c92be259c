"""The event log keeps a run's SQLite connection open while the run writes, and still wakes the
UI's file watcher on each write."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import dagster as dg
from dagster._core.events import DagsterEvent

from orchestration.runtime.instance_storage import AicapexSqliteEventLogStorage

RUN = "0b7c1f8e-run"


def _message(text: str) -> dg.EventLogEntry:
    return dg.EventLogEntry(error_info=None, level=20, user_message=text, run_id=RUN,
                            timestamp=time.time())


def _run_success() -> dg.EventLogEntry:
    event = DagsterEvent(event_type_value=dg.DagsterEventType.RUN_SUCCESS.value,
                         job_name="aicapex_main")
    return dg.EventLogEntry(error_info=None, level=20, user_message="", run_id=RUN,
                            timestamp=time.time(), dagster_event=event)


def _stored(path: Path) -> int:
    with closing(sqlite3.connect(path)) as con:  # another connection, as the UI process has
        return con.execute("select count(*) from event_logs").fetchone()[0]


def test_a_run_keeps_one_connection_and_touches_its_file_on_writes_only(tmp_path):
    storage = AicapexSqliteEventLogStorage(str(tmp_path))
    try:
        storage.store_event(_message("first"))
        path = Path(storage.path_for_shard(RUN))
        os.utime(path, ns=(0, 0))
        storage.store_event(_message("second"))
        assert path.stat().st_mtime_ns > 0, "a write must wake the UI's file watcher"
        assert _stored(path) == 2, "committed events are visible to other processes"
        assert Path(f"{path}-wal").exists(), "the run's connection is still open (no checkpoint)"

        os.utime(path, ns=(0, 0))
        assert len(storage.get_records_for_run(RUN).records) == 2
        assert path.stat().st_mtime_ns == 0, "a read must not wake the watcher (it reads)"

        storage.store_event(_run_success())
        assert RUN not in storage._engines
        assert not Path(f"{path}-wal").exists(), "the run's end closes and checkpoints it"
        assert _stored(path) == 3
    finally:
        storage.dispose()


def test_a_table_found_is_not_looked_up_again(tmp_path, monkeypatch):
    """Dagster asks ``has_table`` before every asset-check event: a yes is remembered (until a
    wipe), a no is asked again."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    storage = AicapexSqliteEventLogStorage(str(tmp_path))
    asked = []
    real = SqliteEventLogStorage.has_table
    monkeypatch.setattr(SqliteEventLogStorage, "has_table",
                        lambda self, name: asked.append(name) or real(self, name))
    try:
        assert storage.supports_asset_checks and storage.supports_asset_checks
        assert asked == ["asset_check_executions"]
        assert not storage.has_table("no_such_table") and not storage.has_table("no_such_table")
        assert asked == ["asset_check_executions", "no_such_table", "no_such_table"]
        storage.wipe()  # drops and recreates the tables: asked again
        assert storage.supports_asset_checks
        assert "asset_check_executions" in asked[3:]
    finally:
        storage.dispose()
