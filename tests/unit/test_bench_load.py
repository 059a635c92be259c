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


def test_readme_states_the_figure_of_bench_results():
    """The README's readers-under-load figure is the one in bench/results.md (bench/load.py
    writes both; a hand edit of either, or a bench run without the README, fails here)."""
    readme = load.README.read_text(encoding="utf-8")
    results = load.RESULTS.read_text(encoding="utf-8")
    assert load.with_readme_figure(readme, results) == readme


def test_readme_figure_follows_the_results_row():
    results = ("## Readers under load\n\n8 reader processes ran `aicapex query` in a loop "
               "while 20 publishes swapped `marts.duckdb`.\n\n| queries | reader errors | "
               "answers from one whole version | versions seen | p50 ms | p99 ms |\n"
               "|---:|---:|---:|---:|---:|---:|\n| 1200 | 2 | 1197 of 1198 | 21 | 99.4 | 512.6 |\n")
    readme = "x <!-- readers-under-load -->old<!-- /readers-under-load --> y"
    assert load.with_readme_figure(readme, results) == (
        "x <!-- readers-under-load -->8 processes running `aicapex query` in a loop while 20 "
        "publishes swap the file: 1,200 queries, **2 reader errors, 1,197 of 1,198 answers "
        "from one whole version** (the `publish_log` row count is the version stamp), "
        "p50 99 ms / p99 513 ms<!-- /readers-under-load --> y")
