"""Re-runs: nothing new changes nothing; new data swaps the file under readers, keeps the
previous version, and can be rolled back."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.cli import main
from orchestration.load_state import code_fingerprint
from orchestration.quality.gx import data_docs_index
from orchestration.quality.ledger import read_ledger
from orchestration.quality.unit_tests import STAGE, passed_record

from ..pipeline import copy_run
from .conftest import FIXTURES, pipeline_env, run_main_job


def _built(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


@pytest.mark.pipeline
def test_rerun_with_nothing_new_leaves_the_published_file_alone(tmp_path, snapshot_run):
    # the session's snapshot run, copied elsewhere: its files are known by their names in the
    # landing zone, so the copy has nothing new either
    first, shared = snapshot_run
    assert first.success
    assert {"audit/fct_ai_capex", "published_marts"} <= _built(first)
    settings = copy_run(shared.warehouse_dir.parent, tmp_path)
    before = settings.marts_db.read_bytes()

    # nothing new: extract and raw checks run, the dbt build, gates and publish do not
    second, _ = run_main_job(tmp_path, FIXTURES)
    assert second.success
    assert not {key for key in _built(second) if key.startswith("audit/")}
    assert "published_marts" not in _built(second)
    ledger = read_ledger(settings.reports_dir, second.run_id)
    assert [s.stage for s in ledger.skipped] == ["dbt build", "mart gates", "publish"]
    assert {s.since_run_id for s in ledger.skipped} == {first.run_id}
    assert ledger.build_skipped and ledger.unchanged and not ledger.published
    assert ledger.skipped[0].describe() == (
        f"dbt build skipped: nothing new since run {first.run_id}")
    assert settings.marts_db.read_bytes() == before

    # --force builds and gates again; identical marts still leave the file alone
    third, _ = run_main_job(tmp_path, FIXTURES, force=True)
    assert third.success
    assert {"audit/fct_ai_capex", "published_marts"} <= _built(third)
    assert settings.marts_db.read_bytes() == before
    assert not settings.history_dir.exists() or not list(settings.history_dir.iterdir())
    third_ledger = read_ledger(settings.reports_dir, third.run_id)
    assert third_ledger.publish is not None
    assert third_ledger.publish.unchanged and not third_ledger.publish.published
    # the dbt unit tests passed for this code in an earlier build (the first run's or one
    # before it): this build leaves them out and says since which run
    passed = passed_record(code_fingerprint())
    assert passed is not None and passed["unit_tests"] >= 17
    assert [(s.stage, s.since_run_id) for s in third_ledger.skipped] == [
        (STAGE, passed["run_id"])]


@pytest.mark.pipeline
def test_publish_swap_history_reader_and_rollback(tmp_path, capsys, older_world):
    # published from the older snapshot (no NVIDIA company facts): GOOGL's only
    settings = copy_run(older_world.root, tmp_path)
    first_bytes = settings.marts_db.read_bytes()

    # a reader holding a read-only connection across the next publish keeps its answers
    reader = duckdb.connect(str(settings.marts_db), read_only=True)
    query = "select count(distinct ticker) from fct_ai_capex where source = 'company_facts'"
    assert reader.execute(query).fetchone() == (1,)

    second, _ = run_main_job(tmp_path, FIXTURES)
    assert second.success, [e.message for e in second.all_events if e.is_failure]

    assert reader.execute(query).fetchone() == (1,)
    reader.close()
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        assert con.execute(query).fetchone() == (2,)
        runs = {r[0] for r in con.execute("select run_id from publish_log").fetchall()}
        kinds = dict(con.execute(
            "select check_type, count(*) from dq_results where run_id = ? group by 1",
            [second.run_id]).fetchall())
        blocking_failures = con.execute(
            "select count(*) from dq_results where run_id = ? and blocking and not passed",
            [second.run_id]).fetchone()
    assert runs == {older_world.run_id, second.run_id}
    assert kinds["dbt_test"] >= 60 and kinds["gx_expectation"] >= 25
    assert kinds["volume"] >= 3
    assert blocking_failures == (0,)
    assert data_docs_index(settings.gx_project_dir).exists()

    history = sorted(settings.history_dir.glob("marts-*.duckdb"))
    assert len(history) == 1
    assert history[0].read_bytes() == first_bytes

    # rollback restores the first published file exactly
    with pipeline_env(tmp_path, FIXTURES):
        assert main(["rollback"]) == 0
    assert settings.marts_db.read_bytes() == first_bytes
    assert "restored" in capsys.readouterr().out
    with pipeline_env(tmp_path, FIXTURES):
        assert main(["rollback"]) == 2  # nothing older is kept
