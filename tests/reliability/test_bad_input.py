"""Bad input never reaches the published marts: rejected and named, or handled as designed."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import dagster as dg
import pytest

from orchestration.report import build_run_report
from orchestration.resources import load_config
from orchestration.sources.base import STALE_KEY
from orchestration.sources.sec_company_facts import COMPANY_FACTS_SOURCE
from orchestration.universe import load_universe
from tests.unit.support import snapshot_settings

from ..pipeline import (
    FIXTURES,
    copy_run,
    extract_and_load,
    pipeline_env,
    rows,
    run_main_job_on,
)
from ..snapshots import mirror_snapshot

NVDA_FACTS = "sec/companyfacts/CIK0001045810.json"
LOG = logging.getLogger(__name__)


def snapshot_with(root: Path, relative: str, body: bytes) -> Path:
    return mirror_snapshot(FIXTURES, root / "snapshot", {relative: body})


def nvda_document() -> dict:
    return json.loads((FIXTURES / NVDA_FACTS).read_text())


BAD_DOCUMENTS = [
    (b'{"cik": 1045810, "facts": {"us-gaap": ', "not JSON"),
    (json.dumps([1, 2, 3]).encode(), "expected a JSON object"),
    (json.dumps({**nvda_document(), "cik": 1652044}).encode(), "does not match"),
    (json.dumps({"cik": 1045810, "facts": {"us-gaap": {"X": {"units": {"USD": [{}]}}}}})
     .encode(), "without end/val/accn/filed"),
]


@pytest.mark.fault(
    kind="bad input",
    injected=("NVDA company facts replaced in the snapshot by a {param} document; company-facts "
              "extract of NVDA and GOOGL over an earlier good landing"),
    expected=("NVDA fails alone, named with reason and file; body quarantined; landing log "
              "'failed'; its good landed file kept (stale); GOOGL lands"),
)
@pytest.mark.parametrize(("body", "reason"), BAD_DOCUMENTS,
                         ids=["invalid-json", "wrong-shape", "cik-mismatch",
                              "fact-without-fields"])
def test_rejected_document_is_quarantined_named_and_fails_alone(tmp_path, body, reason):
    landing = tmp_path / "landing"
    good = snapshot_settings(tmp_path, landing_dir=landing)
    assert not COMPANY_FACTS_SOURCE.extract(good, ["NVDA"], LOG).metadata[STALE_KEY]
    kept = (landing / NVDA_FACTS).read_bytes()
    settings = snapshot_settings(tmp_path, snapshot_dir=snapshot_with(tmp_path, NVDA_FACTS, body),
                                 landing_dir=landing)

    outcome = COMPANY_FACTS_SOURCE.extract(settings, ["NVDA", "GOOGL"], LOG)

    assert outcome.failure is None and outcome.metadata["landed"] == "GOOGL"
    [stale] = outcome.metadata[STALE_KEY]
    assert stale.startswith("NVDA: ") and reason in stale and NVDA_FACTS in stale
    assert stale.endswith("its last good data (1 landed file(s)) is kept and flagged stale")
    assert (landing / NVDA_FACTS).read_bytes() == kept
    quarantined = list((landing / "_quarantine").rglob("CIK0001045810.json.*"))
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == body
    log = [json.loads(x) for x in settings.landing_log.read_text().splitlines()]
    assert [(e["partition"], e["status"]) for e in log[1:]] == [("NVDA", "failed"),
                                                                ("GOOGL", "landed")]


@pytest.mark.fault(
    kind="bad input",
    injected=("NVDA company facts replaced in the snapshot by invalid JSON; every extract and raw "
              "load over a published run"),
    expected=("run PARTIAL naming source, company, reason and file; the raw loads run; NVDA's "
              "raw facts unchanged (its last good data, what the next build publishes)"),
)
def test_rejected_document_blocks_nothing_old(tmp_path, published_once):
    settings = copy_run(published_once, tmp_path)
    nvda = ("select * from raw.sec_company_facts where cik = 1045810 "
            "order by all")
    before = rows(settings.build_db, nvda)
    body, reason = BAD_DOCUMENTS[0]
    instance = dg.DagsterInstance.ephemeral()

    with pipeline_env(tmp_path, snapshot_with(tmp_path, NVDA_FACTS, body)):
        config = load_config()
        run = extract_and_load(config, instance, [c.ticker for c in load_universe()])
        report = build_run_report(instance, run.run_id, config.get())

    assert run.success  # the other companies and sources go on, to the raw loads
    assert report.outcome == "PARTIAL"
    [stale] = report.stale_sources
    assert stale.startswith("sec/companyfacts: NVDA: ") and reason in stale
    assert NVDA_FACTS in stale
    assert rows(settings.build_db, nvda) == before


@pytest.mark.pipeline
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
    capex = "select * from fct_ai_capex order by all"
    before = rows(settings.marts_db, capex)

    run, _ = run_main_job_on(tmp_path, snapshot_with(tmp_path, NVDA_FACTS,
                                                     json.dumps(document).encode()),
                             dg.DagsterInstance.ephemeral())

    assert run.success
    assert rows(settings.marts_db, capex) == before
