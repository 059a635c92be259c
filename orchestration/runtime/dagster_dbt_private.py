"""The private dagster-dbt API the project uses (exercised by tests/unit/test_dagster_private.py).

Apart from ``dagster_private`` because importing dagster-dbt imports dbt-core."""

from __future__ import annotations

from functools import cached_property
from importlib import metadata

from dagster_dbt import DbtCliResource
from packaging import version

__all__ = ["AicapexDbtCliResource"]


class AicapexDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that takes the dbt version from the installed dbt-core package.

    dagster-dbt runs ``dbt --version`` once per resource (its private ``_cli_version``), and
    Dagster builds resources per run: ~1.7 s of every build here. The project's dbt is the one
    of this interpreter's environment, whose version is dbt-core's."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))
