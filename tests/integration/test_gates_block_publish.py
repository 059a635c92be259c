"""A failing gate blocks publish: the published file stays byte-identical."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from orchestration.cli import summarize
from orchestration.report import write_report

from .conftest import FIXTURES, pipeline_env, run_main_job

GOOGL_FACTS = "sec/companyfacts/CIK0001652044.json"


def corrupted_snapshot(root: Path, mutate) -> Path:
    """A snapshot that links every recorded file except Alphabet's company facts, mutated."""
    snapshot = root / "snapshot"
    for source in (FIXTURES / "sec").rglob("*.json"):
        relative = source.relative_to(FIXTURES)
        if str(relative).startswith("sec/filings"):
            continue
        target = snapshot / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if str(relative) == GOOGL_FACTS:
            document = json.loads(source.read_text())
            mutate(document["facts"]["us-gaap"])
            target.write_text(json.dumps(document))
        else:
            target.symlink_to(source)
    return snapshot


def capex_off_by_1000(us_gaap: dict) -> None:
    for fact in us_gaap["PaymentsToAcquirePropertyPlantAndEquipment"]["units"]["USD"]:
        if fact.get("start") == "2026-01-01" and fact["end"] == "2026-03-31":
            fact["val"] *= 1000


def negative_revenue(us_gaap: dict) -> None:
    for fact in us_gaap["Revenues"]["units"]["USD"]:
        if fact.get("start") == "2025-04-01" and fact["end"] == "2025-06-30":
            fact["val"] = -fact["val"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("mutate", "blocking_check", "bad_value"),
    [
        (capex_off_by_1000, "gx_fct_ai_capex", 35_674_000_000_000),
        # a negative quarter breaks the quarters-sum-to-year gate inside `dbt build` first
        (negative_revenue, "assert_annual_equals_sum_of_quarters", None),
    ],
)
def test_failed_gate_leaves_published_file_identical(tmp_path, mutate, blocking_check, bad_value):
    good, settings = run_main_job(tmp_path, FIXTURES)
    assert good.success
    before = sha256(settings.marts_db)
    parquet_before = sha256(settings.parquet_dir / "fct_ai_capex.parquet")

    bad, _ = run_main_job(tmp_path, corrupted_snapshot(tmp_path, mutate))

    assert not bad.success
    failed = [e for e in bad.get_asset_check_evaluations() if not e.passed]
    assert blocking_check in {e.check_name for e in failed}
    assert sha256(settings.marts_db) == before
    assert sha256(settings.parquet_dir / "fct_ai_capex.parquet") == parquet_before
    published = [
        e for e in bad.get_asset_materialization_events()
        if e.event_specific_data.materialization.asset_key.to_user_string() == "published_marts"
    ]
    assert published == []

    # the report names the blocking check and the offending row
    with pipeline_env(tmp_path, FIXTURES) as env:
        report = summarize(bad, env, "test")
        html = write_report(env.reports_dir, report).read_text()
    assert report.published is False
    row = next(c for c in report.checks if c.check == blocking_check)
    assert not row.passed
    if bad_value is not None:  # GX checks name the failing rows
        assert "GOOGL" in json.dumps(row.details)
        assert str(bad_value) in json.dumps(row.details).replace(".0", "")
    assert blocking_check in html
