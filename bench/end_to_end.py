"""End-to-end benchmark: ``aicapex run`` cold and warm vs a bare ``dbt build``, and a new
filing for one company.

Everything runs in a temporary landing zone, warehouse, reports folder and Dagster instance,
from the recorded snapshot:

1. cold: ``aicapex run`` with an empty landing zone and warehouse (extract, load, dbt build,
   gates, publish, report);
2. warm: ``aicapex run`` again with nothing new — must publish nothing (the file keeps its hash);
3. bare dbt: ``dbt build`` of the same project on a copy of the cold run's build warehouse
   (the same loaded raw tables) — what the models and tests alone cost: the cold run's dbt
   command (``aicapex-dbt``, dbt-core's command line) with its arguments (selection, log-file
   level, and no unit tests when they had passed for this code before:
   ``orchestration.quality.unit_tests``) and the parse state a pipeline build starts from;
4. new filing: NVIDIA's company facts gain one fact from a new accession; ``aicapex run
   --company NVDA`` must re-extract NVIDIA only and re-read only its file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PROJECT_ROOT, snapshot_dir
from orchestration.load_state import sha256_file
from tests.snapshots import mirror_snapshot

NVDA_FACTS = "sec/companyfacts/CIK0001045810.json"


def _env(root: Path, snapshot: Path) -> dict[str, str]:
    return {**os.environ, "AICAPEX_MODE": "snapshot", "AICAPEX_SNAPSHOT_DIR": str(snapshot),
            "AICAPEX_LANDING_DIR": str(root / "landing"),
            "AICAPEX_WAREHOUSE_DIR": str(root / "warehouse"),
            "AICAPEX_REPORTS_DIR": str(root / "reports"),
            "DAGSTER_HOME": str(root / "dagster_home"), "GX_ANALYTICS_ENABLED": "False"}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def aicapex_run(env: dict[str, str], *args: str) -> tuple[float, str]:
    return timed([sys.executable, "-m", "orchestration.cli", "run", *args], env)


def new_fact(document: bytes) -> bytes:
    """NVIDIA's company facts with one more fact, from an accession no recorded file has."""
    data = json.loads(document)
    data["facts"]["dei"]["EntityCommonStockSharesOutstanding"]["units"]["shares"].append({
        "end": "2026-08-20", "val": 24_300_000_000, "accn": "0001045810-26-999999",
        "fy": 2027, "fp": "Q2", "form": "10-Q", "filed": "2026-08-27"})
    return json.dumps(data).encode()


def _landing_partitions(log: Path, after_line: int) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines()[after_line:]
    return sorted({json.loads(line).get("partition") or "" for line in lines} - {""})


def run(root: Path) -> dict:
    """Run the scenarios in ``root`` (left in place: its published marts serve the query
    benchmark)."""
    snapshot = snapshot_dir()
    from orchestration.dbt_project import (
        build_args,
        dbt_executable,
        ensure_manifest,
        project_parse_state,
    )
    from orchestration.load_state import code_fingerprint
    from orchestration.quality.unit_tests import passed_record

    ensure_manifest()  # a fresh clone parses once; not part of any timing below
    env = _env(root, snapshot)
    unit_tests_passed = passed_record(code_fingerprint()) is not None
    cold, _ = aicapex_run(env)
    marts = root / "warehouse" / "marts.duckdb"
    published_hash = sha256_file(marts)
    print(f"e2e cold aicapex run      {cold:6.1f} s (dbt unit tests "
          f"{'had passed for this code: left out' if unit_tests_passed else 'run'})", flush=True)

    warm, output = aicapex_run(env)
    unchanged = sha256_file(marts) == published_hash and "unchanged" in output
    print(f"e2e warm aicapex run      {warm:6.1f} s (published file unchanged: "
          f"{unchanged})", flush=True)

    # the same dbt work as the cold run's build: its arguments, a database of the same name and
    # the parse state dagster-dbt hands a build (without it dbt parses the whole project, ~3 s)
    bare_db = root / "bare" / "aicapex.duckdb"
    bare_db.parent.mkdir()
    shutil.copyfile(root / "warehouse" / "aicapex.duckdb", bare_db)
    bare_target = root / "bare-target"
    bare_target.mkdir()
    if project_parse_state().is_file():
        shutil.copy(project_parse_state(), bare_target)
    bare, _ = timed([dbt_executable(), *build_args(bare_db, unit_tests_passed),
                     "--project-dir", "dbt_project", "--profiles-dir", "dbt_project",
                     "--target-path", str(bare_target), "--log-path", str(root / "bare-logs"),
                     "--quiet"], env)
    print(f"e2e bare dbt build        {bare:6.1f} s", flush=True)

    changed = mirror_snapshot(snapshot, root / "snapshot-new-filing",
                              {NVDA_FACTS: new_fact((snapshot / NVDA_FACTS).read_bytes())})
    log = root / "landing" / "landing_log.jsonl"
    before = len(log.read_text(encoding="utf-8").splitlines())
    one, output = aicapex_run(_env(root, changed), "--company", "NVDA")
    partitions = _landing_partitions(log, before)
    run_log = re.search(r"^log: +(\S+)$", output, re.M)  # the CLI prints a summary only
    reread = re.search(r"raw\.sec_company_facts: [\d,]+ rows; read (\d+) new or changed",
                       Path(run_log.group(1)).read_text(encoding="utf-8") if run_log else "")
    print(f"e2e new NVDA filing       {one:6.1f} s (extracted: {', '.join(partitions)}; "
          f"company-facts files re-read: {reread.group(1) if reread else '?'})", flush=True)
    return {"cold_s": cold, "warm_s": warm, "bare_dbt_s": bare, "warm_unchanged": unchanged,
            "unit_tests_left_out": unit_tests_passed,
            "new_filing_s": one, "new_filing_partitions": partitions,
            "new_filing_files_reread": int(reread.group(1)) if reread else None}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="aicapex-bench-e2e-") as tmp:
        print(json.dumps(run(Path(tmp)), indent=2))
