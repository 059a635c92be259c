"""Dagster resources, configured from the environment."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings


class SettingsResource(dg.ConfigurableResource):
    """Hands each asset the ``Settings`` resolved from the environment at run time."""

    def get(self) -> Settings:
        return Settings.from_env()
