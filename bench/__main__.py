"""``make bench``: every benchmark in one run, side by side, written to ``bench/results.md``.

Ratios matter, not seconds: each baseline runs on the same machine in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from bench import end_to_end, growth, ingest, load, query, releases, suite, summary
from bench.common import PROJECT_ROOT, snapshot_dir
from bench.common import verdict as _verdict
from bench.summary import PANDAS_MIN, RSS_GROWTH_MAX, SCAN_AIM, SCAN_MIN, WARM_MAX_S

T = TypeVar("T")

RESULTS = PROJECT_ROOT / "bench" / "results.md"


def _machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    versions = ", ".join(f"{p} {metadata.version(p)}"
                         for p in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "pandas"))
    return (f"{platform.machine()}, {os.cpu_count()} cores{memory}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
            f"{versions}")


def _ingest_section(results: list[dict]) -> list[str]:
    by = {(r["scale"], r["method"]): r for r in results}
    lines = ["## Ingest: company facts JSON -> raw.sec_company_facts", "",
             "| scale | files | MB | method | rows | s | CPU s | MB/s | rows/s | peak RSS MB |",
             "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['scale']}x | {r['files']} | {r['megabytes']:,.0f} | {r['method']} | "
              f"{r['rows']:,} | {r['seconds']:.2f} | {r['cpu_s']:.2f} | {r['mb_per_s']:.1f} | "
              f"{r['rows_per_s']:,.0f} | {r['peak_rss_mb']:,.0f} |" for r in results]
    lines += ["", f"| scale | aicapex / pandas (target >= {PANDAS_MIN:g}x) | aicapex / read_json "
              f"scan (target >= {SCAN_MIN:g}x, aim {SCAN_AIM:g}x) | hashing the files (done "
              "when they land) |",
              "|---:|---|---|---|"]
    scales = sorted({r["scale"] for r in results})
    for scale in scales:
        ours, pandas, scan = (by.get((scale, m)) for m in ingest.METHODS)
        hashing = by.get((scale, "hash"))
        vs_pandas = (f"{ours['mb_per_s'] / pandas['mb_per_s']:.2f}x "
                     f"({_verdict(ours['mb_per_s'] >= PANDAS_MIN * pandas['mb_per_s'])}; "
                     f"CPU {pandas['cpu_s'] / ours['cpu_s']:.2f}x)"
                     if ours and pandas else "n/a")
        vs_scan = (f"{ours['mb_per_s'] / scan['mb_per_s']:.2f}x "
                   f"({_verdict(ours['mb_per_s'] >= SCAN_MIN * scan['mb_per_s'])}"
                   f"{'; aim met' if ours['mb_per_s'] >= SCAN_AIM * scan['mb_per_s'] else ''}; "
                   f"CPU {scan['cpu_s'] / ours['cpu_s']:.2f}x)"
                   if ours and scan else "n/a")
        hashed = (f"{hashing['seconds']:.2f} s (would add "
                  f"{hashing['seconds'] / ours['seconds']:.0%} to the load)"
                  if hashing and ours else "n/a")
        lines.append(f"| {scale}x | {vs_pandas} | {vs_scan} | {hashed} |")
    lines += ["", "Verdicts are on wall time. CPU seconds (all threads) are steadier on a busy "
                  "machine: a loaded machine slows the two-threaded DuckDB methods more than "
                  "the one-threaded pandas loop."]
    grown = summary.rss_growth(results)
    if grown:
        small, large, grows = grown
        lines += ["", f"Peak RSS of the aicapex loader: {small['peak_rss_mb']:,.0f} MB at "
                      f"{small['files']} files, {large['peak_rss_mb']:,.0f} MB at "
                      f"{large['files']} files ({grows:.2f}x; target: flat, <= "
                      f"{RSS_GROWTH_MAX:g}x - {_verdict(grows <= RSS_GROWTH_MAX)})."]
    return lines


def _e2e_section(e2e: dict) -> list[str]:
    cold_limit = summary.cold_limit(e2e["bare_dbt_s"])
    cold_aim = summary.cold_limit(e2e["bare_dbt_s"], summary.COLD_AIM)
    only_nvda = e2e["new_filing_partitions"] == ["NVDA"] and e2e["new_filing_files_reread"] == 1
    return [
        "## End to end (snapshot)", "",
        "| scenario | s | target | |", "|---|---:|---|---|",
        f"| bare `dbt build` on the same raw tables (`aicapex-dbt`, from the parse state a "
        f"pipeline build starts from; dbt log file at warn"
        f"{'; unit tests left out, as in the cold run' if e2e['unit_tests_left_out'] else ''}"
        f") | {e2e['bare_dbt_s']:.1f} | baseline | |",
        f"| `aicapex run`, cold | {e2e['cold_s']:.1f} | <= {summary.COLD[0]:g} x bare dbt + "
        f"{summary.COLD[1]:g} s = {cold_limit:.1f} s (aim {summary.COLD_AIM[0]:g} x + "
        f"{summary.COLD_AIM[1]:g} s = {cold_aim:.1f} s) | "
        f"{_verdict(e2e['cold_s'] <= cold_limit)} |",
        f"| `aicapex run`, warm (nothing new) | {e2e['warm_s']:.1f} | <= {WARM_MAX_S:g} s, "
        f"publishes nothing new (unchanged: {e2e['warm_unchanged']}) | "
        f"{_verdict(e2e['warm_s'] <= WARM_MAX_S and e2e['warm_unchanged'])} |",
        f"| `aicapex run --company NVDA` after a new NVDA filing | {e2e['new_filing_s']:.1f} | "
        f"re-extracts only NVDA (extracted: {', '.join(e2e['new_filing_partitions'])}; "
        f"company-facts files re-read: {e2e['new_filing_files_reread']}) | "
        f"{_verdict(only_nvda)} |",
        "", f"Cold / bare dbt: {e2e['cold_s'] / e2e['bare_dbt_s']:.2f}x.",
    ]


class _Clock:
    """Wall seconds of each part of the run, for the results' header."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    def __call__(self, name: str, part: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = part()
        self.parts[name] = time.perf_counter() - started
        return result

    def line(self) -> str:
        return ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.parts.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run every benchmark, write bench/results.md")
    parser.add_argument("--scales", default="1,200", help="ingest universe sizes (copies)")
    parser.add_argument("--growth-companies", default="6,60", help="synthetic universes for "
                        "the whole pipeline (bench/growth.py; '' for none)")
    parser.add_argument("--growth-ingest", default="6,60,600", help="synthetic universes for "
                        "the company-facts ingest alone ('' for none)")
    parser.add_argument("--no-suite", action="store_true", help="do not run the test suite")
    parser.add_argument("--suite-args", default="", help=argparse.SUPPRESS)  # narrows the suite
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    clock = _Clock()
    sources = sorted((snapshot_dir() / "sec" / "companyfacts").glob("CIK*.json"))
    ingest_results = clock("ingest", lambda: ingest.run(
        sources, [int(s) for s in args.scales.split(",")], pandas_max_scale=10**6))
    parsers = clock("parsers", lambda: releases.measure(snapshot_dir()))
    with tempfile.TemporaryDirectory(prefix="aicapex-bench-") as tmp:
        root = Path(tmp)
        e2e = clock("end to end", lambda: end_to_end.run(root))
        query_results = clock("queries", lambda: query.run(root / "warehouse" / "marts.duckdb"))
        under_load = clock("readers under load",
                           lambda: load.run(root / "warehouse", root / "load"))
    pipeline, ingest_runs = clock("growth", lambda: growth.measure(
        growth.sizes(args.growth_companies), growth.sizes(args.growth_ingest)))
    saved = growth.save(pipeline, ingest_runs, update=True)
    suite_result = None if args.no_suite else clock(
        "test suite", lambda: suite.run(shlex.split(args.suite_args)))
    verdicts = summary.targets(ingest_results, e2e, query_results, parsers, pipeline,
                               suite_result)
    lines = [
        "# Benchmark results", "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` "
        f"({(datetime.now(UTC) - started).total_seconds():.0f} s in all: {clock.line()}) on: "
        f"{_machine()}.",
        "Each ratio compares runs made side by side in this one run; absolute seconds depend "
        "on the machine and on what else it was doing.", "",
        "## Verdicts (issue 18)", "", *summary.table(verdicts), "",
        *_ingest_section(ingest_results), "", *_e2e_section(e2e), "",
        *query.section(query_results), "", *load.section(under_load), "",
        *releases.section(parsers), "", *growth.section(pipeline, ingest_runs, saved), "",
        *suite.section(suite_result), "",
    ]
    output = Path(args.output)
    tmp_out = output.with_suffix(".tmp")
    tmp_out.write_text("\n".join(lines), encoding="utf-8")
    tmp_out.replace(output)
    load.state_in_readme(output, "\n".join(lines))
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
