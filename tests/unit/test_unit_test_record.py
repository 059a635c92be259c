"""dbt unit tests run once per version of the code (``orchestration.quality.unit_tests``) and
the arguments of the pipeline's dbt build (``orchestration.dbt_project.build_args``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.dbt_project import FILE_LOG_LEVEL, build_args
from orchestration.quality.unit_tests import passed_record, record_if_all_passed

MANIFEST = {"unit_tests": {"unit_test.aicapex.m.a": {}, "unit_test.aicapex.m.b": {}}}


def results(**statuses: str) -> dict:
    return {"results": [{"unique_id": f"unit_test.aicapex.m.{name}", "status": status}
                        for name, status in statuses.items()]
            + [{"unique_id": "model.aicapex.m", "status": "success"}]}


def test_a_build_whose_unit_tests_all_passed_is_recorded_for_its_code(tmp_path: Path) -> None:
    assert passed_record("code-1", tmp_path) is None
    record = record_if_all_passed(results(a="pass", b="pass"), MANIFEST, "code-1", "run-1",
                                  tmp_path)
    assert record is not None and passed_record("code-1", tmp_path) == record
    assert (record["run_id"], record["unit_tests"]) == ("run-1", 2)
    assert passed_record("code-2", tmp_path) is None  # other code runs them again


def test_the_first_record_of_a_code_stands(tmp_path: Path) -> None:
    """Two builds of the same code that ran at once: the later one keeps the first record."""
    first = record_if_all_passed(results(a="pass", b="pass"), MANIFEST, "code-1", "run-1",
                                 tmp_path)
    second = record_if_all_passed(results(a="pass", b="pass"), MANIFEST, "code-1", "run-2",
                                  tmp_path)
    assert first is not None and second == first
    assert passed_record("code-1", tmp_path)["run_id"] == "run-1"
    assert [p.name for p in tmp_path.iterdir()] == ["code-1.json"]  # no temporary file left


@pytest.mark.parametrize("run_results", [
    results(a="pass", b="fail"),  # one failed
    results(a="pass"),  # one did not run (a build cut short, or a narrower selection)
    results(a="pass", b="pass", c="pass"),  # not the manifest's unit tests
    {},  # dbt died before writing run_results.json
], ids=["one-failed", "one-missing", "other-tests", "no-results"])
def test_no_record_unless_every_unit_test_of_the_manifest_passed(tmp_path: Path,
                                                                 run_results: dict) -> None:
    assert record_if_all_passed(run_results, MANIFEST, "code-1", "run-1", tmp_path) is None
    assert passed_record("code-1", tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_a_project_without_unit_tests_records_nothing(tmp_path: Path) -> None:
    assert record_if_all_passed(results(), {"unit_tests": {}}, "code-1", "run-1",
                                tmp_path) is None


@pytest.mark.parametrize("text", ["{not json", '["a list"]', '{"code": "code-2"}'],
                         ids=["truncated", "not-an-object", "another-code"])
def test_an_unreadable_record_counts_as_none(tmp_path: Path, text: str) -> None:
    (tmp_path / "code-1.json").write_text(text)
    assert passed_record("code-1", tmp_path) is None


def test_the_build_leaves_unit_tests_out_only_once_they_passed(monkeypatch) -> None:
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    db = Path("/w/aicapex.duckdb")
    assert build_args(db, unit_tests_passed=False) == [
        "build", "--build-db", "/w/aicapex.duckdb", "--log-level-file", FILE_LOG_LEVEL]
    assert build_args(db, unit_tests_passed=True)[-2:] == [
        "--exclude-resource-type", "unit_test"]


def test_dbt_log_level_file_from_the_environment_wins(monkeypatch) -> None:
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")  # dbt reads it itself
    assert build_args(Path("/w/a.duckdb"), unit_tests_passed=False) == [
        "build", "--build-db", "/w/a.duckdb"]
