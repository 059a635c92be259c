"""Query benchmark: p50/p95 of typical mart queries, through ``aicapex query`` (a new process
per query, as a user or a script calls it: ``python -m orchestration.cli`` and the ``aicapex``
console script), through the same command in-process (what the command itself costs once Python
is up), and through the Python API (``run_query`` -> pandas).

The floor is what no CLI can beat: a new Python process that imports duckdb, opens the file
read-only and fetches the same query (``python -c "import duckdb; duckdb.connect(db,
read_only=True).execute(q).fetchall()"``). The floor and the two process surfaces run
interleaved, one of each in turn, so that a busy machine slows them alike.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import PROJECT_ROOT, percentile, verdict

QUERIES = {
    "capex of one company": "select * from fct_ai_capex where ticker = 'GOOGL' "
                            "order by period_end",
    "annual capex": "select ticker, fiscal_year, capex_usd from fct_ai_capex_annual",
    "revenue gap by year": "select calendar_year, revenue_gap_usd "
                           "from fct_ai_monetization_annual order by calendar_year",
    "GPU $/hour by model": "select gpu_model, avg(usd_per_gpu_hour) as usd_per_gpu_hour "
                           "from fct_gpu_economics group by gpu_model order by gpu_model",
}
FLOOR = "floor: python -c duckdb (process)"
MODULE = "aicapex query (process)"
SCRIPT = "aicapex console script (process)"
INLINE = "aicapex query (in-process)"
API = "Python API run_query"
PROCESS_SURFACES = (MODULE, SCRIPT)
FLOOR_RATIO_TARGET = 1.5


def floor_command(marts_db: Path, sql: str) -> list[str]:
    code = (f"import duckdb; duckdb.connect({str(marts_db)!r}, read_only=True)"
            f".execute({sql!r}).fetchall()")
    return [sys.executable, "-c", code]


def _timed(call: Callable[[], None]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _interleaved(calls: dict[str, Callable[[], None]], repeat: int) -> dict[str, list[float]]:
    """Each call once per round, ``repeat`` rounds (after one warm-up round)."""
    for call in calls.values():
        call()  # warm the page cache and imports
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            timings[name].append(_timed(call))
    return timings


def _result(name: str, surface: str, timings: list[float]) -> dict:
    result = {"query": name, "surface": surface, "p50_ms": percentile(timings, 50),
              "p95_ms": percentile(timings, 95), "n": len(timings)}
    print(f"query {name:<22} {surface:<34} p50 {result['p50_ms']:7.1f} ms  "
          f"p95 {result['p95_ms']:7.1f} ms", flush=True)
    return result


def run(marts_db: Path, repeat_process: int = 15, repeat_inline: int = 50) -> list[dict]:
    from orchestration.cli import main
    from orchestration.query import run_query

    script = Path(sys.executable).parent / "aicapex"
    results = []
    for name, sql in QUERIES.items():
        arguments = ["query", sql, "--database", str(marts_db)]
        commands = {FLOOR: floor_command(marts_db, sql),
                    MODULE: [sys.executable, "-m", "orchestration.cli", *arguments],
                    SCRIPT: [str(script), *arguments]}

        def process(command: list[str]) -> Callable[[], None]:
            return lambda: subprocess.run(command, cwd=PROJECT_ROOT, check=True,
                                          capture_output=True)

        def inline(sql: str = sql) -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                main(["query", sql, "--database", str(marts_db)])

        def api(sql: str = sql) -> None:
            run_query(marts_db, sql)

        measured = _interleaved({surface: process(command) for surface, command
                                 in commands.items() if surface != SCRIPT or script.is_file()},
                                repeat_process)
        measured |= _interleaved({INLINE: inline}, repeat_inline)
        measured |= _interleaved({API: api}, repeat_inline)
        results += [_result(name, surface, timings) for surface, timings in measured.items()]
    return results


def floor_ratios(results: list[dict]) -> dict[str, float]:
    """Per process surface, the worst ratio over the queries of its p50 to the floor's p50."""
    floor = {r["query"]: r["p50_ms"] for r in results if r["surface"] == FLOOR}
    ratios: dict[str, float] = {}
    for r in results:
        if r["surface"] in PROCESS_SURFACES and r["query"] in floor:
            ratio = r["p50_ms"] / floor[r["query"]]
            ratios[r["surface"]] = max(ratios.get(r["surface"], 0.0), ratio)
    return ratios


def section(results: list[dict]) -> list[str]:
    """The "Queries" section of bench/results.md, with the verdict per target."""
    lines = ["## Queries", "", "| query | surface | p50 ms | p95 ms | n |",
             "|---|---|---:|---:|---:|"]
    lines += [f"| {r['query']} | {r['surface']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
              f"{r['n']} |" for r in results]
    inline = [r["p50_ms"] for r in results if r["surface"] == INLINE]
    lines += ["", f"`aicapex query` in-process p50 (target <= 50 ms): worst {max(inline):.1f} ms "
                  f"({verdict(max(inline) <= 50)})."]
    for surface, ratio in floor_ratios(results).items():
        lines.append(f"{surface} p50 against the floor (a new `python -c \"import duckdb; "
                     f"duckdb.connect(db, read_only=True).execute(q).fetchall()\"` process, run "
                     f"interleaved with it; target <= {FLOOR_RATIO_TARGET}x): worst "
                     f"{ratio:.2f}x ({verdict(ratio <= FLOOR_RATIO_TARGET)}).")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="query latency against the floor")
    parser.add_argument("--database", default=str(PROJECT_ROOT / "warehouse" / "marts.duckdb"),
                        help="a published marts file (default: ./warehouse/marts.duckdb)")
    parser.add_argument("--repeat", type=int, default=15, help="runs per process surface")
    args = parser.parse_args(argv)
    if not Path(args.database).is_file():
        parser.error(f"{args.database} does not exist: run `make run` first")
    print("\n".join(section(run(Path(args.database), repeat_process=args.repeat))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
