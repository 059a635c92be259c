"""Schedules, the new-filing sensor, the Definitions and the Dagster webserver."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import httpx
import pytest

from orchestration.automation import build_schedules, new_sec_filing_sensor
from orchestration.cli import main
from orchestration.definitions import MAIN_JOB, defs
from orchestration.resources import load_config
from orchestration.settings import PROJECT_ROOT

from .conftest import FIXTURES

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def test_definitions_load_and_validate():
    dg.Definitions.validate_loadable(defs)
    names = {job.name for job in defs.resolve_all_job_defs()}
    assert {MAIN_JOB, "sec_refresh", "prices_refresh", "snapshot_record"} <= names


def test_sec_schedule_requests_every_company():
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    sec_weekly, prices_daily = build_schedules(load_config({}))
    request = sec_weekly(context)
    assert request.tags[RANGE_START] == "MSFT" and request.tags[RANGE_END] == "ORCL"
    assert request.run_key == "sec-202611230600"
    assert sec_weekly.cron_schedule == "0 6 * * 1"
    assert prices_daily.cron_schedule == "0 7 * * *"
    custom = build_schedules(load_config({"AICAPEX_SEC_CRON": "30 5 * * 2"}))[0]
    assert custom.cron_schedule == "30 5 * * 2"


@pytest.fixture
def submissions_snapshot(tmp_path, monkeypatch):
    """A writable copy of the recorded submissions, served as the snapshot."""
    folder = tmp_path / "snapshot" / "sec" / "submissions"
    folder.mkdir(parents=True)
    for source in (FIXTURES / "sec" / "submissions").glob("*.json"):
        (folder / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("AICAPEX_MODE", "snapshot")
    monkeypatch.setenv("AICAPEX_SNAPSHOT_DIR", str(tmp_path / "snapshot"))
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    return folder


def add_filing(path: Path, accession: str, form: str, filed: str, items: str = "") -> None:
    document = json.loads(path.read_text())
    recent = document["filings"]["recent"]
    for column, values in recent.items():
        if isinstance(values, list):
            values.insert(0, {"accessionNumber": accession, "form": form, "filingDate": filed,
                              "reportDate": filed, "items": items}.get(column, ""))
    path.write_text(json.dumps(document))


def evaluate(cursor):
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": load_config()})
    result = new_sec_filing_sensor(context)
    return result, context.cursor


def test_sensor_requests_exactly_the_company_with_a_new_periodic_filing(submissions_snapshot):
    first, cursor = evaluate(None)  # baseline: recorded filings are not "new"
    assert isinstance(first, dg.SkipReason)
    seen = json.loads(cursor)
    assert seen["NVDA"] == "0001045810-26-000021"  # newest NVDA 10-K/10-Q recorded
    assert set(seen) == {"MSFT", "GOOGL", "AMZN", "META", "NVDA"}  # ORCL: none recorded
    assert "ORCL" in first.skip_message

    again, same_cursor = evaluate(cursor)  # nothing new: no run
    assert isinstance(again, dg.SkipReason)
    assert json.loads(same_cursor) == seen

    nvda = submissions_snapshot / "CIK0001045810.json"
    add_filing(nvda, "0001045810-26-000099", "4", "2026-05-21")  # not periodic: ignored
    ignored, cursor = evaluate(cursor)
    assert isinstance(ignored, dg.SkipReason)

    add_filing(nvda, "0001045810-26-000100", "10-Q", "2026-05-27")
    requests, cursor = evaluate(cursor)
    assert len(requests) == 1
    request = requests[0]
    assert request.run_key == "NVDA:0001045810-26-000100"
    assert request.tags[RANGE_START] == request.tags[RANGE_END] == "NVDA"
    assert json.loads(cursor)["NVDA"] == "0001045810-26-000100"

    repeat, _ = evaluate(cursor)  # the same filing never triggers twice
    assert isinstance(repeat, dg.SkipReason)

    # an 8-K triggers a run only when it is an earnings release (items include 2.02)
    add_filing(nvda, "0001045810-26-000101", "8-K", "2026-06-01", items="5.07")
    vote, cursor = evaluate(cursor)
    assert isinstance(vote, dg.SkipReason)
    add_filing(nvda, "0001045810-26-000102", "8-K", "2026-08-27", items="2.02,9.01")
    release, cursor = evaluate(cursor)
    assert [r.run_key for r in release] == ["NVDA:0001045810-26-000102"]
    assert release[0].tags["aicapex/trigger"].startswith("8-K 0001045810-26-000102")


@pytest.mark.parametrize("command", [[], ["run"], ["query"], ["report"], ["ui"], ["rollback"],
                                     ["snapshot", "record"]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: aicapex" in capsys.readouterr().out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webserver_serves_the_asset_graph(tmp_path):
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "GX_ANALYTICS_ENABLED": "False"}
    webserver = Path(sys.executable).parent / "dagster-webserver"
    process = subprocess.Popen(
        [str(webserver), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            try:
                if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "webserver did not start in 120 s"
            time.sleep(1)
        query = "{ assetNodes { assetKey { path } groupName } }"
        for _ in range(60):  # the code location loads after the server answers
            body = httpx.post(f"{url}/graphql", json={"query": query}, timeout=30).json()
            nodes = (body.get("data") or {}).get("assetNodes") or []
            if nodes:
                break
            time.sleep(1)
        groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
        assert groups["sec/companyfacts"] == "sec_extract"
        assert groups["raw/sec_company_facts"] == "raw"
        assert groups["staging/stg_sec__company_facts"] == "staging"
        assert groups["audit/fct_ai_capex"] == "marts"
        assert groups["published_marts"] == "publish"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
