"""Publishing again keeps the previous version in history and appends to publish_log."""

from __future__ import annotations

import duckdb

from .conftest import FIXTURES, run_main_job


def test_second_publish_swaps_and_keeps_history(tmp_path):
    first, settings = run_main_job(tmp_path, FIXTURES)
    assert first.success
    first_bytes = settings.marts_db.read_bytes()

    second, _ = run_main_job(tmp_path, FIXTURES)
    assert second.success, [e.message for e in second.all_events if e.is_failure]

    history = sorted(settings.history_dir.glob("marts-*.duckdb"))
    assert len(history) == 1
    assert history[0].read_bytes() == first_bytes
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        runs = [r[0] for r in con.execute("select run_id from publish_log order by published_at")
                .fetchall()]
        (rows,) = con.execute("select count(*) from fct_ai_capex").fetchone()
    assert runs == [first.run_id, second.run_id]
    assert rows > 100
