"""Every private Dagster API the project uses, in one place (dagster-dbt's is in
``dagster_dbt_private``: importing dagster-dbt imports dbt-core, ~2 s of CPU, which opening the
instance does not need).

Upgrades may move or rename any of these; ``tests/unit/test_dagster_private.py`` imports and
exercises each one, so an upgrade that breaks one fails that test by name instead of a run.
"""

from __future__ import annotations

from dagster._config import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from dagster._serdes import ConfigurableClassData

__all__ = [
    "INDEX_SHARD_NAME",
    "PLAN_LOGGER",
    "SQLITE_BUSY_TIMEOUT_SECONDS",
    "ConfigurableClassData",
    "Field",
    "SqliteEventLogStorage",
    "StringSource",
    "create_engine",
    "partition_range_tags",
]

# the logger that warns "blocking asset check ... emitted no result" once per skipped dbt test
PLAN_LOGGER = "dagster._core.execution.plan.active"


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags selecting the partition range ``first..last`` of a partitioned asset job."""
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}
