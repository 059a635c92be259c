"""bench/load.py writes its own section of bench/results.md."""

from __future__ import annotations

from bench import load


def test_results_section_is_replaced_not_duplicated():
    text = "# Benchmark results\n\n## Queries\n\nq\n\n## Readers under load\n\nold\n"
    result = load.LoadResult(readers=8, publishes=20, queries=10, errors=[], mixed=[],
                             versions_seen=3, p50_ms=1.0, p99_ms=2.0, publish_s=4.0)
    once = load.replace_section(text, load.section(result))
    assert once.count(load.SECTION) == 1 and "old" not in once and "## Queries\n\nq" in once
    assert load.replace_section(once, load.section(result)) == once
