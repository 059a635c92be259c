"""A filing whose XBRL disagrees with SEC company facts blocks publish (reconciliation gate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, run_main_job

GOOGL_10K = "sec/filings/sec-edgar-filings/GOOGL/10-K/0001652044-25-000014/primary-document.html"
CAPEX_2024 = (
    b'name="us-gaap:PaymentsToAcquirePropertyPlantAndEquipment" format="ixt:num-dot-decimal" '
    b'scale="6" id="f-350">52,535'
)


def snapshot_with_bad_scale(root: Path) -> Path:
    """The recorded snapshot, with Alphabet's FY2024 capex tagged in thousands, not millions."""
    snapshot = root / "snapshot"
    for source in FIXTURES.rglob("*"):
        relative = source.relative_to(FIXTURES)
        target = snapshot / relative
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif str(relative) == GOOGL_10K:
            data = source.read_bytes()
            assert data.count(CAPEX_2024) == 1
            target.write_bytes(data.replace(CAPEX_2024, CAPEX_2024.replace(b'"6"', b'"3"')))
        else:
            target.symlink_to(source)
    return snapshot


@pytest.mark.pipeline
def test_filing_that_disagrees_with_company_facts_blocks_publish(tmp_path):
    result, settings = run_main_job(tmp_path, snapshot_with_bad_scale(tmp_path))
    assert not result.success
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert "assert_filing_facts_agree_with_company_facts" in failed
    assert not settings.marts_db.exists()
