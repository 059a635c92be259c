"""Readers under load (``bench/load.py`` with fewer readers and publishes): reader processes
run ``aicapex query`` in a loop while publishes swap ``marts.duckdb``."""

from __future__ import annotations

import pytest

from bench import load


@pytest.mark.fault(
    kind="readers under load",
    injected="3 processes running `aicapex query` in a loop while 4 publishes swap "
             "marts.duckdb (os.replace)",
    expected="zero reader errors; every answer from one whole version (publish_log version "
             "stamp matches the capex row count); readers saw the swaps",
)
def test_readers_see_whole_versions_while_publishes_swap_the_file(tmp_path, published_once):
    result = load.run(published_once / "warehouse", tmp_path, readers=3, publishes=4,
                      max_seconds=300)
    assert result.errors == []
    assert result.mixed == []
    assert result.queries >= 3 * 5
    assert result.versions_seen >= 2  # the readers were reading while the file was swapped
    assert result.p99_ms > 0

