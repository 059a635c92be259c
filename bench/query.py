"""Query benchmark: p50/p95 of typical mart queries, through ``aicapex query`` (a new process
per query, as a user or a script calls it), through the same command in-process (what the
command itself costs once Python is up), and through the Python API (``run_query`` -> pandas).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PROJECT_ROOT, percentile

QUERIES = {
    "capex of one company": "select * from fct_ai_capex where ticker = 'GOOGL' "
                            "order by period_end",
    "annual capex": "select ticker, fiscal_year, capex_usd from fct_ai_capex_annual",
    "revenue gap by year": "select calendar_year, revenue_gap_usd "
                           "from fct_ai_monetization_annual order by calendar_year",
    "GPU $/hour by model": "select gpu_model, avg(usd_per_gpu_hour) as usd_per_gpu_hour "
                           "from fct_gpu_economics group by gpu_model order by gpu_model",
}


def _timings(call, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run(marts_db: Path, repeat_process: int = 15, repeat_inline: int = 50) -> list[dict]:
    from orchestration.cli import main
    from orchestration.query import run_query

    results = []
    for name, sql in QUERIES.items():
        command = [sys.executable, "-m", "orchestration.cli", "query", sql,
                   "--database", str(marts_db)]

        def process(command=command) -> None:
            subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True)

        def inline(sql=sql) -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                main(["query", sql, "--database", str(marts_db)])

        def api(sql=sql) -> None:
            run_query(marts_db, sql)

        for surface, call, repeat in (("aicapex query (process)", process, repeat_process),
                                      ("aicapex query (in-process)", inline, repeat_inline),
                                      ("Python API run_query", api, repeat_inline)):
            call()  # warm the page cache and imports
            timings = _timings(call, repeat)
            result = {"query": name, "surface": surface, "p50_ms": percentile(timings, 50),
                      "p95_ms": percentile(timings, 95), "n": repeat}
            results.append(result)
            print(f"query {name:<22} {surface:<27} p50 {result['p50_ms']:7.1f} ms  "
                  f"p95 {result['p95_ms']:7.1f} ms", flush=True)
    return results
