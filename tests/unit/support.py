"""Constants and builders shared by the unit tests (recorded SEC files, tmp-path settings)."""

from __future__ import annotations

from pathlib import Path

from orchestration.config import settings_for
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, Settings
from orchestration.universe import Company

# The read-only recorded SEC responses (/work/shared/fixtures); never written to.
FIXTURES = DEFAULT_SNAPSHOT_DIR
COMPANY_FACTS_DIR = FIXTURES / "sec" / "companyfacts"
SUBMISSIONS_DIR = FIXTURES / "sec" / "submissions"
NVDA_FACTS = COMPANY_FACTS_DIR / "CIK0001045810.json"
GOOGL_FACTS = COMPANY_FACTS_DIR / "CIK0001652044.json"
MSFT_SUBMISSIONS = SUBMISSIONS_DIR / "CIK0000789019.json"
NVDA_FACTS_SHA256 = "93edcffe24f55d08284ff1736e41aa1a8e743ab6e4a6eea52cb8e9392b0ae6be"

NVDA = Company("NVDA", 1045810, "NVIDIA Corporation", 1)
MSFT = Company("MSFT", 789019, "Microsoft Corporation", 6)
ORCL = Company("ORCL", 1341439, "Oracle Corporation", 5)

TEST_USER_AGENT = "aicapex tests test@example.com"


def snapshot_settings(tmp_path: Path, snapshot_dir: Path = FIXTURES, **overrides) -> Settings:
    values = {
        "mode": "snapshot",
        "snapshot_dir": snapshot_dir,
        "landing_dir": tmp_path / "landing",
        "warehouse_dir": tmp_path / "warehouse",
        "reports_dir": tmp_path / "reports",
        "user_prices_dir": tmp_path / "user_prices",
    }
    values.update(overrides)
    return settings_for(**values)


def live_settings(tmp_path: Path, user_agent: str = TEST_USER_AGENT, **overrides) -> Settings:
    values = {
        "mode": "live",
        "snapshot_dir": tmp_path / "no-snapshot",
        "landing_dir": tmp_path / "landing",
        "warehouse_dir": tmp_path / "warehouse",
        "reports_dir": tmp_path / "reports",
        "user_prices_dir": tmp_path / "user_prices",
        "sec_user_agent": user_agent,
        "sec_max_requests_per_second": 10.0,
        "http_max_attempts": 3,
        "http_backoff_seconds": 0.0,
        "sec_filings_from_fiscal_year": 2016,  # the fakes serve Microsoft's Q1 FY2016 10-Q
    }
    values.update(overrides)
    return settings_for(**values)
