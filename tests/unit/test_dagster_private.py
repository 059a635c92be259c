"""Every private Dagster / dagster-dbt API the project relies on, exercised by name.

An upgrade that moves or changes one of them fails here, naming it, instead of in a run."""

from __future__ import annotations

import inspect

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.runtime import dagster_dbt_private
from orchestration.runtime import dagster_private as private
from orchestration.runtime.instance_storage import AicapexSqliteEventLogStorage


def test_partition_range_tags_select_a_range():
    tags = private.partition_range_tags("MSFT", "GOOGL")
    assert tags == {"dagster/asset_partition_range_start": "MSFT",
                    "dagster/asset_partition_range_end": "GOOGL"}


def test_dbt_cli_version_is_the_overridden_private_property(tmp_path):
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"),
                      type(inspect.getattr_static(dagster_dbt_private.AicapexDbtCliResource,
                                                  "_cli_version")))
    from orchestration.dbt_project import dbt_executable, dbt_project

    resource = dagster_dbt_private.AicapexDbtCliResource(project_dir=dbt_project,
                                             dbt_executable=dbt_executable())
    assert resource._cli_version.major == 1


def test_dbt_cli_opens_no_adapter_in_process(tmp_path, monkeypatch):
    """The overridden private hook is the one ``DbtCliResource.cli`` calls, and the invocation
    it returns carries no adapter (and dbt still runs: ``dbt --version`` here)."""
    assert "self._initialize_dbt_core_adapter(args)" in inspect.getsource(DbtCliResource.cli)
    from orchestration.dbt_project import dbt_executable, dbt_project

    resource = dagster_dbt_private.AicapexDbtCliResource(project_dir=dbt_project,
                                                         dbt_executable=dbt_executable())
    opened = []  # dagster-dbt logs and swallows errors of the hook: record the calls instead
    monkeypatch.setattr(DbtCliResource, "_initialize_dbt_core_adapter",
                        lambda self, args: opened.append(args))
    invocation = resource.cli(["--version"], target_path=tmp_path / "target").wait()
    assert invocation.is_successful()
    assert invocation.adapter is None and opened == []


def test_plan_logger_is_the_one_that_warns_about_checks_without_results():
    import dagster._core.execution.plan.active as active

    assert active.__name__ == private.PLAN_LOGGER
    # the message runtime/launch.py filters out (once per dbt test of a skipped build)
    assert "emitted no result" in inspect.getsource(active)


def test_event_log_storage_hooks_exist(tmp_path):
    base = private.SqliteEventLogStorage
    for name in ("_connect", "_initdb", "conn_string_for_shard", "wipe", "dispose"):
        assert callable(getattr(base, name)), name
    storage = AicapexSqliteEventLogStorage(str(tmp_path))
    try:
        assert hasattr(storage, "_initialized_dbs") and hasattr(storage, "_db_lock")
        with storage._connect(private.INDEX_SHARD_NAME) as conn:
            assert conn is not None
    finally:
        storage.dispose()


def test_instance_loads_the_project_storage(tmp_path, monkeypatch):
    from orchestration.runtime.instance import ensure_dagster_home

    ensure_dagster_home(tmp_path)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        assert isinstance(instance.event_log_storage, AicapexSqliteEventLogStorage)
    finally:
        instance.dispose()
