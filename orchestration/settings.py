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

LANDING_LOG_NAME = "landing_log.jsonl"  # one JSON line per landing attempt, in the landing dir
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_SNAPSHOT_DIR = PROJECT_ROOT.parent / "shared" / "fixtures"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Resolved configuration: built by ``AicapexConfig.get()`` (or ``settings_for()``), where
    the variables and the defaults are."""

    mode: str
    snapshot_dir: Path
    landing_dir: Path
    warehouse_dir: Path
    reports_dir: Path
    user_prices_dir: Path
    sec_user_agent: str
    sec_data_host: str
    live_base_url: str  # set: every live request goes to <live_base_url>/<host><path>
    sec_max_requests_per_second: float
    sec_filings_from_fiscal_year: int  # live filings window: this fiscal year on
    eia_api_key: str
    http_max_attempts: int
    http_backoff_seconds: float
    http_timeout_seconds: float
    keep_published: int
    max_row_drop_pct: float
    max_source_age_days: int
    max_table_age_days: dict[str, int]

    # derived paths (set in __post_init__; not arguments)
    build_db: Path = field(init=False)  # the build database: raw, staging, intermediate, audit
    marts_db: Path = field(init=False)  # the published file users query
    history_dir: Path = field(init=False)  # previous published files, for rollback
    parquet_dir: Path = field(init=False)  # each published mart as Parquet
    gx_project_dir: Path = field(init=False)  # GX project whose Data Docs the gates refresh
    landing_log: Path = field(init=False)  # one JSON line per landing attempt

    def __post_init__(self) -> None:
        derived = {
            "build_db": self.warehouse_dir / "aicapex.duckdb",
            "marts_db": self.warehouse_dir / "marts.duckdb",
            "history_dir": self.warehouse_dir / "history",
            "parquet_dir": self.warehouse_dir / "parquet",
            "gx_project_dir": self.reports_dir / "gx",
            "landing_log": self.landing_dir / LANDING_LOG_NAME,
        }
        for name, path in derived.items():
            object.__setattr__(self, name, path)

    def require_live_user_agent(self) -> str:
        """SEC fair access: refuse to go live without a contact e-mail in the User-Agent."""
        if not _EMAIL.search(self.sec_user_agent):
            raise ConfigError(
                "live mode needs AICAPEX_SEC_USER_AGENT with a contact e-mail, e.g. "
                "'aicapex research you@example.com' (SEC fair-access policy); "
                f"got {self.sec_user_agent!r}"
            )
        return self.sec_user_agent
