"""Every setting of the pipeline: its variable, type, default and validation, in one place.

``ConfigValues`` holds the typed fields (with their defaults) and ``get()``, which validates them
and returns the plain, frozen ``Settings`` value that the pure code (sources, publish, report)
takes as an argument: that code never reads the environment. ``environment_values()`` is the one
reader of the ``AICAPEX_*`` variables.

This module does not import Dagster, so commands that only read (``aicapex query``, ``report``,
``rollback``) start fast. The Dagster resource, ``AicapexConfig`` in ``orchestration.resources``,
is ``ConfigValues`` as a ``dg.ConfigurableResource``: same fields, same ``get()``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from orchestration.settings import DEFAULT_SNAPSHOT_DIR, PROJECT_ROOT, ConfigError, Settings

# field -> environment variable (README "Configuration")
ENV_VARS: dict[str, str] = {
    "mode": "AICAPEX_MODE",
    "snapshot_dir": "AICAPEX_SNAPSHOT_DIR",
    "landing_dir": "AICAPEX_LANDING_DIR",
    "warehouse_dir": "AICAPEX_WAREHOUSE_DIR",
    "reports_dir": "AICAPEX_REPORTS_DIR",
    "user_prices_dir": "AICAPEX_USER_PRICES_DIR",
    "sec_user_agent": "AICAPEX_SEC_USER_AGENT",
    "sec_data_host": "AICAPEX_SEC_DATA_HOST",
    "live_base_url": "AICAPEX_LIVE_BASE_URL",
    "sec_max_requests_per_second": "AICAPEX_SEC_MAX_RPS",
    "sec_filings_from_fiscal_year": "AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR",
    "eia_api_key": "AICAPEX_EIA_API_KEY",
    "http_max_attempts": "AICAPEX_HTTP_MAX_ATTEMPTS",
    "http_backoff_seconds": "AICAPEX_HTTP_BACKOFF_SECONDS",
    "http_timeout_seconds": "AICAPEX_HTTP_TIMEOUT_SECONDS",
    "keep_published": "AICAPEX_KEEP_PUBLISHED",
    "max_row_drop_pct": "AICAPEX_MAX_ROW_DROP_PCT",
    "max_source_age_days": "AICAPEX_MAX_SOURCE_AGE_DAYS",
    "max_eia_retail_sales_age_days": "AICAPEX_MAX_EIA_RETAIL_SALES_AGE_DAYS",
    "max_gpu_prices_age_days": "AICAPEX_MAX_GPU_PRICES_AGE_DAYS",
    "sec_cron": "AICAPEX_SEC_CRON",
    "prices_cron": "AICAPEX_PRICES_CRON",
}
# bound as dg.EnvVar by the resource: resolved when a run starts, never stored with the run
SECRETS = frozenset({"sec_user_agent", "eia_api_key"})
_PATHS = frozenset({"snapshot_dir", "landing_dir", "warehouse_dir", "reports_dir",
                    "user_prices_dir"})


@dataclass(frozen=True)
class ConfigValues:
    """Every setting of the pipeline, typed, with its default; ``get()`` gives the validated
    value. A stdlib dataclass (cheap to import); the resource is made from its fields."""

    mode: str = "snapshot"
    snapshot_dir: str = str(DEFAULT_SNAPSHOT_DIR)
    landing_dir: str = str(PROJECT_ROOT / "landing")
    warehouse_dir: str = str(PROJECT_ROOT / "warehouse")
    reports_dir: str = str(PROJECT_ROOT / "reports")
    user_prices_dir: str = str(PROJECT_ROOT / "user_prices")
    sec_user_agent: str = ""
    sec_data_host: str = "https://data.sec.gov"
    live_base_url: str = ""
    sec_max_requests_per_second: float = 10.0
    sec_filings_from_fiscal_year: int = 2019
    eia_api_key: str = ""
    http_max_attempts: int = 5
    http_backoff_seconds: float = 1.0
    http_timeout_seconds: float = 30.0
    keep_published: int = 5
    max_row_drop_pct: float = 20.0
    max_source_age_days: int = 200
    max_eia_retail_sales_age_days: int = 120
    max_gpu_prices_age_days: int = 60
    sec_cron: str = "0 6 * * 1"
    prices_cron: str = "0 7 * * *"

    def secret(self, name: str) -> str:
        """A secret field's value (the resource resolves an unresolved ``dg.EnvVar`` here)."""
        return getattr(self, name)

    def get(self) -> Settings:
        """The validated, resolved configuration (raises ``ConfigError`` naming the variable)."""
        mode = self.mode.strip().lower()
        if mode not in {"snapshot", "live"}:
            raise ConfigError(f"AICAPEX_MODE must be 'snapshot' or 'live', got {self.mode!r}")
        if not 0 < self.sec_max_requests_per_second <= 10:
            raise ConfigError("AICAPEX_SEC_MAX_RPS must be in (0, 10] (SEC fair access), got "
                              f"{self.sec_max_requests_per_second}")
        if self.keep_published < 1:
            raise ConfigError(f"AICAPEX_KEEP_PUBLISHED must be >= 1, got {self.keep_published}")
        if not 2009 <= self.sec_filings_from_fiscal_year <= date.today().year + 1:
            raise ConfigError("AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR must be a fiscal year from "
                              f"2009 (XBRL) on, got {self.sec_filings_from_fiscal_year}")
        return Settings(
            mode=mode,
            snapshot_dir=_path(self.snapshot_dir),
            landing_dir=_path(self.landing_dir),
            warehouse_dir=_path(self.warehouse_dir),
            reports_dir=_path(self.reports_dir),
            user_prices_dir=_path(self.user_prices_dir),
            sec_user_agent=self.secret("sec_user_agent").strip(),
            sec_data_host=self.sec_data_host,
            live_base_url=self.live_base_url.rstrip("/"),
            sec_max_requests_per_second=self.sec_max_requests_per_second,
            sec_filings_from_fiscal_year=self.sec_filings_from_fiscal_year,
            eia_api_key=self.secret("eia_api_key").strip(),
            http_max_attempts=self.http_max_attempts,
            http_backoff_seconds=self.http_backoff_seconds,
            http_timeout_seconds=self.http_timeout_seconds,
            keep_published=self.keep_published,
            max_row_drop_pct=self.max_row_drop_pct,
            max_source_age_days=self.max_source_age_days,
            max_table_age_days={"eia_retail_sales": self.max_eia_retail_sales_age_days,
                                "gpu_prices": self.max_gpu_prices_age_days},
        )


def settings_for(**values: object) -> Settings:
    """``Settings`` from these field values and the defaults, without the environment (tests,
    tools): ``settings_for(warehouse_dir=tmp_path)``."""
    return ConfigValues(**{name: str(value) if isinstance(value, Path) else value
                           for name, value in values.items()}).get()


def _path(value: str) -> Path:
    """Absolute and normalised, but links kept: a snapshot reached through a symlinked
    ``../shared`` keeps the path the user gave (and the one the landing log records)."""
    return Path(os.path.abspath(os.path.expanduser(value)))


# field -> (type, default): what the Dagster resource is built from (orchestration.resources)
FIELDS: dict[str, tuple[type, object]] = {
    f.name: ({"str": str, "int": int, "float": float}[f.type], f.default)
    for f in fields(ConfigValues)
}
FIELD_TYPES = {name: kind for name, (kind, _default) in FIELDS.items()}


def _typed(name: str, raw: str) -> object:
    kind = FIELD_TYPES[name]
    try:
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
    except ValueError:
        raise ConfigError(f"{ENV_VARS[name]} must be a number, got {raw!r}") from None
    return str(_path(raw)) if name in _PATHS else raw


def environment_values(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The typed value of every ``AICAPEX_*`` variable that is set (``os.environ`` by default);
    a variable that is not set is absent, so its field keeps the default."""
    env = os.environ if environ is None else environ
    return {name: _typed(name, env[variable]) for name, variable in ENV_VARS.items()
            if env.get(variable)}


def read_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """``Settings`` from the environment and ``overrides``, without Dagster (read-only CLI
    commands, tools)."""
    return ConfigValues(**{**environment_values(environ), **overrides}).get()
