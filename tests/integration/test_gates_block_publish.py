"""Break an input on purpose: the intended gate stops it, the report says why, nothing is lost."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.report import build_run_report, write_report
from orchestration.report.charts import CHARTS

from ..pipeline import FIXTURES, copy_run, pipeline_env, run_main_job_on
from ..snapshots import mirror_snapshot

GOOGL_FACTS = "sec/companyfacts/CIK0001652044.json"


def corrupted_snapshot(mutate):
    """A function making the recorded snapshot with Alphabet's company facts mutated."""
    def snapshot(root: Path) -> Path:
        document = json.loads((FIXTURES / GOOGL_FACTS).read_text())
        mutate(document["facts"]["us-gaap"])
        return mirror_snapshot(FIXTURES, root / "snapshot",
                               {GOOGL_FACTS: json.dumps(document).encode()})
    return snapshot




def _facts(us_gaap: dict, concept: str) -> list[dict]:
    return us_gaap[concept]["units"]["USD"]


def capex_off_by_1000(us_gaap: dict) -> None:
    for fact in _facts(us_gaap, "PaymentsToAcquirePropertyPlantAndEquipment"):
        if fact.get("start") == "2026-01-01" and fact["end"] == "2026-03-31":
            fact["val"] *= 1000


def negative_revenue(us_gaap: dict) -> None:
    for fact in _facts(us_gaap, "Revenues"):
        if fact.get("start") == "2025-04-01" and fact["end"] == "2025-06-30":
            fact["val"] = -fact["val"]


def duplicated_fact(us_gaap: dict) -> None:
    facts = _facts(us_gaap, "PaymentsToAcquirePropertyPlantAndEquipment")
    original = next(f for f in facts if f.get("start") == "2024-01-01"
                    and f["end"] == "2024-12-31" and f["accn"] == "0001652044-26-000018")
    twin = copy.deepcopy(original)
    twin["val"] += 1_000_000
    facts.append(twin)


def missing_quarter(us_gaap: dict) -> None:
    """Drop every fact of Alphabet's Q2 2024 (three-month and half-year) from every concept."""
    for concept in us_gaap.values():
        for unit, facts in concept["units"].items():
            concept["units"][unit] = [
                f for f in facts if f["end"] != "2024-06-30"
            ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.pipeline
@pytest.mark.fault(
    kind="gate blocks publish",
    injected="Alphabet company facts mutated in the snapshot: {param}; full run",
    expected=("the intended blocking gate fails with row evidence; marts and Parquet unchanged "
              "(hash); report says NOT published"),
)
@pytest.mark.parametrize(
    ("snapshot_of", "blocking_check", "row_evidence"),
    [
        (corrupted_snapshot(capex_off_by_1000),
         "gx_fct_ai_capex: expect_column_values_to_be_between capex_usd",
         "35674000000000"),
        # a negative quarter breaks the quarters-sum-to-year gate inside `dbt build` first
        # (2025 revenue: quarters now sum 2 x 96,428 M short of the 10-K)
        (corrupted_snapshot(negative_revenue), "assert_annual_equals_sum_of_quarters",
         '"difference_usd": -192855000000'),
        (corrupted_snapshot(duplicated_fact),
         "unique_combination_of_columns_stg_sec__company_facts",
         "PaymentsToAcquirePropertyPlantAndEquipment"),
        (corrupted_snapshot(missing_quarter),
         "contiguous_sequence_fct_ai_capex_ticker__fiscal_year_4_fiscal_quarter",
         "GOOGL"),
    ],
    ids=["capex_x1000", "negative_revenue", "duplicated_fact", "missing_quarter"],
)
def test_broken_input_is_stopped_by_the_intended_gate(tmp_path, published_once, snapshot_of,
                                                      blocking_check, row_evidence):
    instance = dg.DagsterInstance.ephemeral()
    settings = copy_run(published_once, tmp_path)
    before = sha256(settings.marts_db)
    parquet_before = sha256(settings.parquet_dir / "fct_ai_capex.parquet")

    bad, _ = run_main_job_on(tmp_path, snapshot_of(tmp_path), instance)

    assert not bad.success
    assert sha256(settings.marts_db) == before
    assert sha256(settings.parquet_dir / "fct_ai_capex.parquet") == parquet_before

    with pipeline_env(tmp_path, FIXTURES) as env:
        report = build_run_report(instance, bad.run_id, env)
        page = write_report(env.reports_dir, report, env.marts_db)
    html, quality = page.read_text(), page.with_name("quality.html").read_text()
    assert report.published is False
    failed = {c.check_name: c for c in report.failed_checks}
    assert any(name.startswith(blocking_check) for name in failed), sorted(failed)
    check = next(c for name, c in failed.items() if name.startswith(blocking_check))
    assert check.blocking
    assert row_evidence in check.failing_rows.replace(".0", "").replace(",", "")
    for text in (html, quality):  # the analyst page summarises, quality.html details
        assert "NOT published" in text
        assert check.check_name in text
    assert html.count("Plotly.newPlot(") == len(CHARTS)  # the last published numbers
    history = (env.reports_dir / "history.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["run_id"] == bad.run_id


@pytest.mark.pipeline
@pytest.mark.fault(
    kind="gate blocks publish",
    injected=("Oracle's Q1 FY2025 10-Q with its segment member renamed to the FY2026 name "
              "(valid only from FY2026); full run on a fresh warehouse"),
    expected=("assert_recent_segment_members_are_mapped fails naming the member; nothing "
              "published"),
)
def test_an_unmapped_segment_member_in_a_recent_period_blocks_the_publish(tmp_path):
    """Oracle's Q1 FY2025 10-Q (0000950170-24-104905) with its Cloud and license segment under
    the FY2026 member name, which segment_map knows only from FY2026 on: a recent period with
    an unmapped member. A fresh warehouse, since a landed accession is never landed again."""
    relative = ("sec/filings/sec-edgar-filings/ORCL/10-Q/0000950170-24-104905/"
                "primary-document.html")
    body = (FIXTURES / relative).read_bytes()
    assert body.count(b"orcl:CloudAndLicenseBusinessMember") == 9
    snapshot = mirror_snapshot(FIXTURES, tmp_path / "snapshot", {relative: body.replace(
        b"orcl:CloudAndLicenseBusinessMember", b"orcl:CloudAndSoftwareBusinessMember")})
    instance = dg.DagsterInstance.ephemeral()
    bad, settings = run_main_job_on(tmp_path, snapshot, instance)
    assert not bad.success
    assert not settings.marts_db.exists()
    with pipeline_env(tmp_path, snapshot) as env:
        report = build_run_report(instance, bad.run_id, env)
    [check] = [c for c in report.failed_checks
               if c.check_name.startswith("assert_recent_segment_members_are_mapped")]
    assert check.blocking and "orcl:CloudAndSoftwareBusinessMember" in check.failing_rows
