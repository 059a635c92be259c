"""`make test-scale`: the dbt models on Apache Spark (dbt-spark session method, local PySpark)
build the same marts, row for row, as on DuckDB from the same raw data.

Marked ``scale`` and deselected by ``make test`` (pyproject ``addopts``): it needs the ``spark``
extra and Java 17, and takes a few minutes.
"""

from __future__ import annotations

import pytest

from orchestration.spark_target import format_report, run_parity

pytestmark = pytest.mark.scale


def test_spark_marts_equal_duckdb_marts() -> None:
    result = run_parity()
    report = format_report(result)
    print("\n" + report)
    assert result.ok, report
