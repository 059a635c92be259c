"""Publishing again swaps the file under readers, keeps history, and can be rolled back."""

from __future__ import annotations

import duckdb

from orchestration.cli import main
from orchestration.gates import data_docs_index

from .conftest import FIXTURES, pipeline_env, run_main_job


def test_publish_swap_history_reader_and_rollback(tmp_path, capsys):
    first, settings = run_main_job(tmp_path, FIXTURES)
    assert first.success
    first_bytes = settings.marts_db.read_bytes()

    # a reader holding a read-only connection across the next publish keeps working
    reader = duckdb.connect(str(settings.marts_db), read_only=True)
    (before,) = reader.execute("select count(*) from publish_log").fetchone()

    second, _ = run_main_job(tmp_path, FIXTURES)
    assert second.success, [e.message for e in second.all_events if e.is_failure]

    assert reader.execute("select count(*) from publish_log").fetchone() == (before,)
    assert reader.execute("select count(*) from fct_ai_capex").fetchone()[0] > 100
    reader.close()

    history = sorted(settings.history_dir.glob("marts-*.duckdb"))
    assert len(history) == 1
    assert history[0].read_bytes() == first_bytes
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        runs = [r[0] for r in con.execute(
            "select run_id from publish_log order by published_at, run_id").fetchall()]
        kinds = dict(con.execute(
            "select check_type, count(*) from dq_results where run_id = ? group by 1",
            [second.run_id]).fetchall())
        blocking_failures = con.execute(
            "select count(*) from dq_results where run_id = ? and blocking and not passed",
            [second.run_id]).fetchone()
    assert sorted(runs) == sorted([first.run_id, second.run_id])
    assert kinds["dbt_test"] >= 60 and kinds["gx_expectation"] >= 25
    assert kinds["volume"] >= 3
    assert blocking_failures == (0,)
    assert data_docs_index(settings.gx_project_dir).exists()

    # rollback restores the first published file exactly
    with pipeline_env(tmp_path, FIXTURES):
        assert main(["rollback"]) == 0
    assert settings.marts_db.read_bytes() == first_bytes
    assert "restored" in capsys.readouterr().out
    with pipeline_env(tmp_path, FIXTURES):
        assert main(["rollback"]) == 2  # nothing older is kept
