"""Configuration from the environment, with defaults that work from a fresh clone.

Every path the pipeline touches is derived here, so tests can point a whole run at a
temporary directory by setting environment variables (or by building a ``Settings``).
"""

from __future__ import annotations

import os
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


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. ``from_env()`` is the one way the pipeline builds it."""

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
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        mode = os.environ.get("AICAPEX_MODE", "snapshot").strip().lower()
        if mode not in {"snapshot", "live"}:
            raise ConfigError(f"AICAPEX_MODE must be 'snapshot' or 'live', got {mode!r}")
        rps = float(os.environ.get("AICAPEX_SEC_MAX_RPS", "10"))
        if not 0 < rps <= 10:
            raise ConfigError(
                f"AICAPEX_SEC_MAX_RPS must be in (0, 10] (SEC fair access), got {rps}"
            )
        keep = int(os.environ.get("AICAPEX_KEEP_PUBLISHED", "5"))
        if keep < 1:
            raise ConfigError(f"AICAPEX_KEEP_PUBLISHED must be >= 1, got {keep}")
        return cls(
            mode=mode,
            snapshot_dir=_env_path("AICAPEX_SNAPSHOT_DIR", DEFAULT_SNAPSHOT_DIR),
            landing_dir=_env_path("AICAPEX_LANDING_DIR", PROJECT_ROOT / "landing"),
            warehouse_dir=_env_path("AICAPEX_WAREHOUSE_DIR", PROJECT_ROOT / "warehouse"),
            reports_dir=_env_path("AICAPEX_REPORTS_DIR", PROJECT_ROOT / "reports"),
            sec_user_agent=os.environ.get("AICAPEX_SEC_USER_AGENT", "").strip(),
            sec_data_host=os.environ.get("AICAPEX_SEC_DATA_HOST", "https://data.sec.gov"),
            sec_max_requests_per_second=rps,
            http_max_attempts=int(os.environ.get("AICAPEX_HTTP_MAX_ATTEMPTS", "5")),
            http_backoff_seconds=float(os.environ.get("AICAPEX_HTTP_BACKOFF_SECONDS", "1.0")),
            http_timeout_seconds=float(os.environ.get("AICAPEX_HTTP_TIMEOUT_SECONDS", "30")),
            keep_published=keep,
        )

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
