"""The typed config resource: read from the environment once, validated, never written back."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from orchestration.config import ENV_VARS, FIELDS, read_settings
from orchestration.resources import AicapexConfig, load_config
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, ConfigError


def test_defaults_without_environment():
    settings = load_config({}).get()
    assert settings.mode == "snapshot" and settings.snapshot_dir == DEFAULT_SNAPSHOT_DIR
    assert settings.sec_max_requests_per_second == 10.0 and settings.keep_published == 5
    assert settings.max_table_age_days == {"eia_retail_sales": 120, "gpu_prices": 60}


def test_environment_values_are_typed(tmp_path):
    env = {"AICAPEX_MODE": "LIVE", "AICAPEX_WAREHOUSE_DIR": str(tmp_path / "wh"),
           "AICAPEX_SEC_MAX_RPS": "2.5", "AICAPEX_KEEP_PUBLISHED": "3",
           "AICAPEX_MAX_GPU_PRICES_AGE_DAYS": "7", "AICAPEX_SEC_USER_AGENT": "org a@b.org"}
    settings = load_config(env).get()
    assert settings.mode == "live" and settings.build_db == tmp_path / "wh" / "aicapex.duckdb"
    assert settings.sec_max_requests_per_second == 2.5 and settings.keep_published == 3
    assert settings.max_table_age_days["gpu_prices"] == 7
    assert settings.require_live_user_agent() == "org a@b.org"


def test_overrides_win_and_the_environment_is_left_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("AICAPEX_MODE", "live")
    before = dict(os.environ)
    config = load_config(mode="snapshot", snapshot_dir=str(tmp_path))
    assert config.get().mode == "snapshot" and config.get().snapshot_dir == tmp_path
    assert dict(os.environ) == before


def test_secrets_are_bound_as_env_vars_not_stored(monkeypatch):
    monkeypatch.setenv("AICAPEX_EIA_API_KEY", "sk-123")
    monkeypatch.setenv("AICAPEX_SEC_USER_AGENT", "org a@b.org")
    config = load_config()
    assert isinstance(config.eia_api_key, dg.EnvVar)  # Dagster resolves it at run time
    assert config.get().eia_api_key == "sk-123"  # and so does the CLI
    assert config.get().sec_user_agent == "org a@b.org"


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("AICAPEX_MODE", "staging", "AICAPEX_MODE"),
    ("AICAPEX_SEC_MAX_RPS", "11", "AICAPEX_SEC_MAX_RPS"),
    ("AICAPEX_SEC_MAX_RPS", "fast", "AICAPEX_SEC_MAX_RPS"),
    ("AICAPEX_KEEP_PUBLISHED", "0", "AICAPEX_KEEP_PUBLISHED"),
    ("AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR", "2005", "AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR"),
    ("AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR", "FY19", "AICAPEX_SEC_FILINGS_FROM_FISCAL_YEAR"),
])
def test_bad_values_name_the_variable(variable, value, message):
    with pytest.raises(ConfigError, match=message):
        load_config({variable: value}).get()


def test_every_field_has_a_variable():
    assert set(ENV_VARS) == set(AicapexConfig.model_fields) == set(FIELDS)


def test_read_only_commands_get_the_same_settings_without_dagster(tmp_path):
    env = {"AICAPEX_WAREHOUSE_DIR": str(tmp_path), "AICAPEX_KEEP_PUBLISHED": "2"}
    assert read_settings(env) == load_config(env).get()
    assert read_settings(env, mode="live").mode == "live"


def test_paths_are_absolute_but_links_are_kept(tmp_path):
    real = tmp_path / "real"
    (real / "fixtures").mkdir(parents=True)
    (tmp_path / "shared").symlink_to(real)
    given = tmp_path / "main" / ".." / "shared" / "fixtures"
    settings = load_config({"AICAPEX_SNAPSHOT_DIR": str(given)}).get()
    assert settings.snapshot_dir == tmp_path / "shared" / "fixtures"
