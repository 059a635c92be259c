"""Bad input never reaches the published marts: rejected and named, or handled as designed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.report import build_run_report

from ..pipeline import FIXTURES, copy_run, pipeline_env, run_main_job_on
from ..snapshots import mirror_snapshot

NVDA_FACTS = "sec/companyfacts/CIK0001045810.json"


def snapshot_with(root: Path, relative: str, body: bytes) -> Path:
    return mirror_snapshot(FIXTURES, root / "snapshot", {relative: body})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def nvda_document() -> dict:
    return json.loads((FIXTURES / NVDA_FACTS).read_text())


@pytest.mark.fault(
    kind="bad input",
    injected="NVDA company facts replaced in the snapshot by a {param} document; full run",
    expected=("run fails naming source, reason and file; body quarantined; landing log 'failed'; "
              "published marts unchanged (hash)"),
)
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"cik": 1045810, "facts": {"us-gaap": ', "not JSON"),
        (json.dumps([1, 2, 3]).encode(), "expected a JSON object"),
        (json.dumps({**nvda_document(), "cik": 1652044}).encode(), "does not match"),
        (json.dumps({"cik": 1045810, "facts": {"us-gaap": {"X": {"units": {"USD": [{}]}}}}})
         .encode(), "without end/val/accn/filed"),
    ],
    ids=["invalid-json", "wrong-shape", "cik-mismatch", "fact-without-fields"],
)
def test_rejected_document_is_quarantined_named_and_blocks_nothing_old(
        tmp_path, published_once, body, reason):
    settings = copy_run(published_once, tmp_path)
    before = digest(settings.marts_db)
    instance = dg.DagsterInstance.ephemeral()

    bad, _ = run_main_job_on(tmp_path, snapshot_with(tmp_path, NVDA_FACTS, body), instance)

    assert not bad.success
    assert digest(settings.marts_db) == before
    quarantined = list((settings.landing_dir / "_quarantine").rglob("CIK0001045810.json.*"))
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == body
    with pipeline_env(tmp_path, FIXTURES):
        report = build_run_report(instance, bad.run_id, settings)
    text = " ".join(report.errors)
    assert "NVDA companyfacts" in text and reason in text and NVDA_FACTS in text
    log = [json.loads(x) for x in settings.landing_log.read_text().splitlines()]
    assert any(e["status"] == "failed" and e["partition"] == "NVDA" for e in log)


@pytest.mark.fault(
    kind="bad input",
    injected="NVDA capex facts duplicated in a EUR unit (x7); full run",
    expected="run succeeds, fct_ai_capex identical (non-USD units ignored by design)",
)
def test_fact_in_an_unexpected_unit_is_ignored_by_design(tmp_path, published_once):
    document = nvda_document()
    capex = document["facts"]["us-gaap"]["PaymentsToAcquireProductiveAssets"]["units"]
    capex["EUR"] = [{**fact, "val": fact["val"] * 7} for fact in capex["USD"]]
    settings = copy_run(published_once, tmp_path)
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        before = con.execute("select * from fct_ai_capex order by all").fetchall()

    run, _ = run_main_job_on(tmp_path, snapshot_with(tmp_path, NVDA_FACTS,
                                                     json.dumps(document).encode()),
                             dg.DagsterInstance.ephemeral())

    assert run.success
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        assert con.execute("select * from fct_ai_capex order by all").fetchall() == before
