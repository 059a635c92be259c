"""The private dagster-dbt API the project uses (exercised by tests/unit/test_dagster_private.py).

Apart from ``dagster_private`` because importing dagster-dbt imports dbt-core."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib import metadata

from dagster_dbt import DbtCliResource
from packaging import version

__all__ = ["AicapexDbtCliResource"]


class AicapexDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that takes the dbt version from the installed dbt-core package and
    opens no dbt adapter in the Dagster process.

    - dagster-dbt runs ``dbt --version`` once per resource (its private ``_cli_version``), and
      Dagster builds resources per run: ~1.7 s of every build here. The project's dbt is the one
      of this interpreter's environment, whose version is dbt-core's.
    - Before every ``dbt`` command, dagster-dbt loads the profile, the project's macros and a
      read-only adapter in the Dagster process (its private ``_initialize_dbt_core_adapter``):
      ~1.5 s of CPU per build here. The adapter serves only ``fetch_column_metadata`` and
      ``fetch_row_counts``, which the project does not use; ``None`` is what dagster-dbt passes
      on when opening it fails."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
