"""Readers under load: reader processes run ``aicapex query`` in a loop while publishes swap
``marts.duckdb``; every answer must come from one whole published version.

The version stamp is the number of ``publish_log`` rows (each publish adds one). Each publish
here first deletes one row of ``audit.fct_ai_capex``, so version ``base + k`` holds
``rows - k`` capex rows; a reader's answer carries both numbers, read from two tables in one
query, and an answer mixing two versions breaks that equation. Publishes call
``orchestration.publish.publish`` on a copy of a built warehouse (no pipeline runs).

``python -m bench.load [--warehouse DIR]`` (after ``make run``) measures 8 readers against 20
publishes and writes its section of ``bench/results.md``; ``make bench`` runs it too. The
README's figure (between ``<!-- readers-under-load -->`` markers) is written from that section
at the same time, and a unit test checks that the two agree, so the README cannot drift.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench.common import PROJECT_ROOT, percentile

RESULTS = PROJECT_ROOT / "bench" / "results.md"
README = PROJECT_ROOT / "README.md"
SECTION = "## Readers under load"
README_FIGURE = re.compile(r"(<!-- readers-under-load -->)(.*?)(<!-- /readers-under-load -->)",
                           re.S)
_SETUP = re.compile(r"(\d+) reader processes ran .*? while (\d+) publishes swapped", re.S)
_ROW = re.compile(r"^\| (\d+) \| (\d+) \| (\d+) of (\d+) \| \d+ \| ([\d.]+) \| ([\d.]+) \|$",
                  re.M)
VERSION_SQL = ("select (select count(*) from publish_log) as version, "
               "(select count(*) from fct_ai_capex) as capex_rows")


def reader_loop(marts: str, stop: str, max_queries: int, deadline: float, out) -> None:
    """One reader process: ``aicapex query`` (the CLI's ``main``) until ``stop`` exists, the
    deadline passes or ``max_queries`` ran; puts its latencies, answers and errors on ``out``."""
    from orchestration.cli import main

    latencies: list[float] = []
    answers: list[tuple[int, int]] = []
    errors: list[str] = []
    while (len(latencies) < max_queries and time.time() < deadline
           and not Path(stop).exists()):
        stdout, stderr = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = main(["query", VERSION_SQL, "--database", marts, "--format", "csv"])
        except Exception as exc:  # a reader error is a finding, not a crash of the bench
            status, stderr = -1, io.StringIO(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - started)
        if status != 0:
            errors.append(stderr.getvalue().strip()[:300])
            continue
        version, rows = stdout.getvalue().splitlines()[1].split(",")
        answers.append((int(version), int(rows)))
    out.put({"latencies": latencies, "answers": answers, "errors": errors})


@dataclass
class LoadResult:
    readers: int
    publishes: int
    queries: int
    errors: list[str]
    mixed: list[tuple[int, int]]  # answers that are not one whole version
    versions_seen: int
    p50_ms: float
    p99_ms: float
    publish_s: float
    answers: list[tuple[int, int]] = field(repr=False, default_factory=list)


def delete_one_capex_row(build_db: Path) -> None:
    with duckdb.connect(str(build_db)) as con:
        con.execute("delete from audit.fct_ai_capex "
                    "where rowid = (select min(rowid) from audit.fct_ai_capex)")


def _stamp(marts: Path) -> tuple[int, int]:
    with duckdb.connect(str(marts), read_only=True) as con:
        row = con.execute(VERSION_SQL).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def run(warehouse: Path, root: Path, readers: int = 8, publishes: int = 20,
        max_queries: int = 100_000, max_seconds: float = 600) -> LoadResult:
    """Copy ``warehouse`` (a built one: build database + published marts) under ``root``,
    start ``readers`` reader processes, publish ``publishes`` new versions, and collect."""
    from orchestration.config import settings_for
    from orchestration.publish import publish
    from orchestration.quality.ledger import RunLedger

    shutil.copytree(warehouse, root / "warehouse", ignore=shutil.ignore_patterns("history"))
    settings = settings_for(warehouse_dir=root / "warehouse", landing_dir=root / "landing",
                            reports_dir=root / "reports")
    base_version, base_rows = _stamp(settings.marts_db)
    stop = root / "stop-readers"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    deadline = time.time() + max_seconds
    processes = [context.Process(target=reader_loop, daemon=True,
                                 args=(str(settings.marts_db), str(stop), max_queries,
                                       deadline, out)) for _ in range(readers)]
    for process in processes:
        process.start()
    time.sleep(1.0)  # let the readers start before the first swap
    started = time.perf_counter()
    for number in range(1, publishes + 1):
        delete_one_capex_row(settings.build_db)
        publish(settings, RunLedger(run_id=f"load-{number}"))
    publish_s = time.perf_counter() - started
    time.sleep(0.5)  # answers from the last version too
    stop.touch()
    collected = [out.get(timeout=max_seconds + 60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    latencies = [x for c in collected for x in c["latencies"]]
    answers = [a for c in collected for a in c["answers"]]
    return LoadResult(
        readers=readers, publishes=publishes, queries=len(latencies),
        errors=[e for c in collected for e in c["errors"]],
        mixed=[(v, r) for v, r in answers if r != base_rows - (v - base_version)],
        versions_seen=len({v for v, _ in answers}),
        p50_ms=1000 * percentile(latencies, 50) if latencies else 0.0,
        p99_ms=1000 * percentile(latencies, 99) if latencies else 0.0,
        publish_s=publish_s, answers=answers)


def section(result: LoadResult) -> list[str]:
    whole = result.queries - len(result.errors) - len(result.mixed)
    return [
        SECTION, "",
        f"{result.readers} reader processes ran `aicapex query` in a loop (the CLI's `main`, "
        f"one read-only open per query) while {result.publishes} publishes swapped "
        f"`marts.duckdb` ({result.publish_s:.1f} s of publishing, "
        f"{result.publish_s / result.publishes:.2f} s each; `bench/load.py`).", "",
        "| queries | reader errors | answers from one whole version | versions seen | "
        "p50 ms | p99 ms |", "|---:|---:|---:|---:|---:|---:|",
        f"| {result.queries} | {len(result.errors)} | {whole} of "
        f"{result.queries - len(result.errors)} | {result.versions_seen} | "
        f"{result.p50_ms:.1f} | {result.p99_ms:.1f} |",
    ]


def replace_section(text: str, lines: list[str]) -> str:
    """``text`` (results.md) with its readers-under-load section replaced or appended."""
    head, found, rest = text.partition(SECTION)
    tail = rest[rest.find("\n## "):] if found and "\n## " in rest else ""
    return head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + tail


def readme_figure(results: str) -> str:
    """The README's readers-under-load figure, from the section of ``results.md``."""
    section = results.partition(SECTION)[2]
    setup, row = _SETUP.search(section), _ROW.search(section)
    if setup is None or row is None:
        raise ValueError(f"{RESULTS.name} has no readers-under-load figures: run `make bench`")
    queries, errors, whole, answered = (int(g) for g in row.groups()[:4])
    p50, p99 = (float(g) for g in row.groups()[4:])
    versions = ("every answer from one whole version" if whole == answered
                else f"{whole:,} of {answered:,} answers from one whole version")
    return (f"{setup[1]} processes running `aicapex query` in a loop while {setup[2]} "
            f"publishes swap the file: {queries:,} queries, **{errors} reader errors, "
            f"{versions}** (the `publish_log` row count is the version stamp), "
            f"p50 {p50:.0f} ms / p99 {p99:.0f} ms")


def with_readme_figure(readme: str, results: str) -> str:
    """``readme`` with the figure between its markers written from ``results``."""
    if README_FIGURE.search(readme) is None:
        raise ValueError("README.md has no <!-- readers-under-load --> markers")
    return README_FIGURE.sub(lambda m: m[1] + readme_figure(results) + m[3], readme)


def state_in_readme(output: Path, results: str) -> None:
    """When ``output`` is ``bench/results.md`` (the published figures), the README states its
    readers-under-load figure: write it there too."""
    if output.resolve() == RESULTS.resolve():
        README.write_text(with_readme_figure(README.read_text(encoding="utf-8"), results),
                          encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default=str(PROJECT_ROOT / "warehouse"),
                        help="a built warehouse (default: ./warehouse, after `make run`)")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)
    warehouse = Path(args.warehouse)
    if not (warehouse / "marts.duckdb").is_file() or not (warehouse / "aicapex.duckdb").is_file():
        parser.error(f"{warehouse} holds no built warehouse: run `make run` first")
    with tempfile.TemporaryDirectory(prefix="aicapex-load-") as tmp:
        result = run(warehouse, Path(tmp), args.readers, args.publishes)
    output = Path(args.output)
    results = replace_section(output.read_text(encoding="utf-8"), section(result))
    output.write_text(results, encoding="utf-8")
    state_in_readme(output, results)
    print("\n".join(section(result)))
    return 0 if not result.errors and not result.mixed else 1


if __name__ == "__main__":
    raise SystemExit(main())
