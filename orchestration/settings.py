"""The resolved configuration value and the project's fixed paths.

``Settings`` is a plain frozen value: the pure code (sources, loading, publish, report) takes it
as an argument and never reads the environment. It is built by ``AicapexConfig.get()``
(``orchestration.config``), the one place the environment is read; tests build it directly.
Every path the pipeline touches is derived here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_SNAPSHOT_DIR = PROJECT_ROOT.parent / "shared" / "fixtures"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Resolved configuration (see ``orchestration.config`` for the variables)."""

    mode: str = "snapshot"
    snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR
    landing_dir: Path = PROJECT_ROOT / "landing"
    warehouse_dir: Path = PROJECT_ROOT / "warehouse"
    reports_dir: Path = PROJECT_ROOT / "reports"
    sec_user_agent: str = ""
    sec_data_host: str = "https://data.sec.gov"
    sec_max_requests_per_second: float = 10.0
    http_max_attempts: int = 5
    http_backoff_seconds: float = 1.0
    http_timeout_seconds: float = 30.0
    keep_published: int = 5
    user_prices_dir: Path = PROJECT_ROOT / "user_prices"
    sec_filings_after: str = "2015-01-01"
    eia_api_key: str = ""
    max_row_drop_pct: float = 20.0
    max_source_age_days: int = 200
    max_table_age_days: dict[str, int] = field(
        default_factory=lambda: {"eia_retail_sales": 120, "gpu_prices": 60})

    @property
    def build_db(self) -> Path:
        return self.warehouse_dir / "aicapex.duckdb"

    @property
    def marts_db(self) -> Path:
        return self.warehouse_dir / "marts.duckdb"

    @property
    def history_dir(self) -> Path:
        return self.warehouse_dir / "history"

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse_dir / "parquet"

    @property
    def gx_project_dir(self) -> Path:
        """File-backed GX project whose Data Docs site the gates refresh on every run."""
        return self.reports_dir / "gx"

    @property
    def landing_log(self) -> Path:
        return self.landing_dir / "landing_log.jsonl"

    def require_live_user_agent(self) -> str:
        """SEC fair access: refuse to go live without a contact e-mail in the User-Agent."""
        if not _EMAIL.search(self.sec_user_agent):
            raise ConfigError(
                "live mode needs AICAPEX_SEC_USER_AGENT with a contact e-mail, e.g. "
                "'aicapex research you@example.com' (SEC fair-access policy); "
                f"got {self.sec_user_agent!r}"
            )
        return self.sec_user_agent
