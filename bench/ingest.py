"""Ingest benchmark: company-facts JSON -> ``raw.sec_company_facts``, side by side.

Three ways of loading the same files, each in its own process (so peak RSS is its own):

* ``aicapex``  — the project's loader (``sec_company_facts.tables.load_company_facts``): DuckDB
  ``read_json`` with a typed MAP/STRUCT schema, ``map_entries`` + ``unnest``, one ``INSERT``
  under a DuckDB memory limit.
  It is given ``{file: sha256}`` as the pipeline gives it (the landing log's hashes, taken when
  the file landed), so it does not hash the files again; the hashing is timed apart
  (``hash``: what a loader handed bare paths would add);
* ``pandas``   — what a user would write: ``json.load`` each file, loop over the facts, build a
  DataFrame, insert it into DuckDB;
* ``scan``     — DuckDB's own ``read_json`` scan of the same files with the same typed schema,
  parsed but not flattened or stored: the practical limit of reading these files.

The universe is synthetic: copies of the two recorded company-facts files with distinct CIKs,
written by the benchmark into a temporary directory (``--scale 200`` = 400 files).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METHODS = ("aicapex", "pandas", "scan")
WORKERS = (*METHODS, "hash")


def make_universe(sources: list[Path], scale: int, target: Path) -> list[Path]:
    """``scale`` copies of each source file, each with its own CIK (in the name and the body)."""
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for copy in range(scale):
        for index, source in enumerate(sources):
            body = source.read_bytes()
            cik = 9_000_000 + copy * len(sources) + index
            body = re.sub(rb'"cik"\s*:\s*\d+', f'"cik":{cik}'.encode(), body, count=1)
            path = target / f"CIK{cik:010d}.json"
            path.write_bytes(body)
            files.append(path)
    return files


def _load_aicapex(files: dict[str, str], database: Path) -> int:
    from orchestration.sources.sec_company_facts.tables import load_company_facts

    with duckdb.connect(str(database)) as con:
        return load_company_facts(con, files).rows


def _hash(files: list[Path], database: Path) -> int:
    from orchestration.load_state import file_hashes

    return len(file_hashes(files))


def _load_pandas(files: list[Path], database: Path) -> int:
    import pandas as pd

    from orchestration.sources.sec_company_facts.tables import COMPANY_FACTS_COLUMNS

    rows = 0
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        con.execute(f"create table raw.sec_company_facts ({COMPANY_FACTS_COLUMNS})")
        for path in files:
            with path.open(encoding="utf-8") as handle:
                document = json.load(handle)
            records = []
            for taxonomy, concepts in document.get("facts", {}).items():
                for concept, body in concepts.items():
                    for unit, facts in body.get("units", {}).items():
                        for fact in facts:
                            records.append({
                                "cik": document["cik"], "taxonomy": taxonomy, "concept": concept,
                                "unit": unit, "period_start": fact.get("start"),
                                "period_end": fact.get("end"), "val": fact.get("val"),
                                "accn": fact.get("accn"), "fy": fact.get("fy"),
                                "fp": fact.get("fp"), "form": fact.get("form"),
                                "filed": fact.get("filed"), "frame": fact.get("frame"),
                                "source_file": str(path),
                            })
            frame = pd.DataFrame.from_records(records)
            con.register("frame", frame)
            con.execute("insert into raw.sec_company_facts select cik, taxonomy, concept, unit, "
                        "cast(period_start as date), cast(period_end as date), val, accn, fy, "
                        "fp, form, cast(filed as date), frame, source_file from frame")
            con.unregister("frame")
            rows += len(frame)
    return rows


def _scan(files: list[Path], database: Path) -> int:
    from orchestration.sources.sec_company_facts.tables import _FACTS_SCHEMA

    with duckdb.connect(str(database)) as con:
        row = con.execute(
            "select count(*), sum(cardinality(facts)) from read_json($files, "
            "format = 'unstructured', records = true, maximum_object_size = 536870912, "
            f"columns = {{cik: 'BIGINT', facts: '{_FACTS_SCHEMA}'}})",
            {"files": [str(f) for f in files]}).fetchall()[0]
    return int(row[0])


def peak_rss_mb() -> float:
    """This process's peak RSS. ``VmHWM`` belongs to the process image, so it starts again at
    ``exec``; ``ru_maxrss`` (the fallback off Linux) keeps the forking parent's peak, which made
    a worker started from a big parent look as big as the parent."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(method: str, list_file: Path, database: Path) -> dict:
    files: list[Path] | dict[str, str] = [
        Path(line) for line in list_file.read_text().splitlines() if line]
    if method == "aicapex":  # as the landing log hands them over: hashed when they landed
        from orchestration.load_state import file_hashes

        files = file_hashes(files)
    run = {"aicapex": _load_aicapex, "pandas": _load_pandas, "scan": _scan, "hash": _hash}[method]
    start, cpu = time.perf_counter(), time.process_time()
    rows = run(files, database)
    seconds = time.perf_counter() - start
    return {"method": method, "rows": rows, "seconds": seconds,
            "cpu_s": time.process_time() - cpu,  # all threads; steadier than wall on a busy machine
            "peak_rss_mb": peak_rss_mb()}


def measure(method: str, files: list[Path], workdir: Path) -> dict:
    """Run one method in a fresh process; rows/s and MB/s over the bytes of ``files``."""
    list_file = workdir / f"{method}.files"
    list_file.write_text("\n".join(str(f) for f in files))
    database = workdir / f"{method}.duckdb"
    database.unlink(missing_ok=True)
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--worker", method, str(list_file), str(database)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    result.update(files=len(files), megabytes=megabytes,
                  mb_per_s=megabytes / result["seconds"],
                  rows_per_s=result["rows"] / result["seconds"])
    database.unlink(missing_ok=True)
    return result


def run(sources: list[Path], scales: list[int], pandas_max_scale: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="aicapex-bench-ingest-") as tmp:
        workdir = Path(tmp)
        for scale in scales:
            files = make_universe(sources, scale, workdir / f"x{scale}")
            for method in WORKERS:
                if method == "pandas" and scale > pandas_max_scale:
                    continue
                result = measure(method, files, workdir)
                result["scale"] = scale
                results.append(result)
                print(f"ingest x{scale:<4} {method:<8} {result['rows']:>10,} rows "
                      f"{result['seconds']:7.2f} s {result['mb_per_s']:7.1f} MB/s "
                      f"{result['rows_per_s']:>11,.0f} rows/s  CPU {result['cpu_s']:6.2f} s  "
                      "peak RSS "
                      f"{result['peak_rss_mb']:7.0f} MB", flush=True)
            for f in files:
                f.unlink()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=3, metavar=("METHOD", "LIST", "DB"))
    parser.add_argument("--scales", default="1,200")
    parser.add_argument("--pandas-max-scale", type=int, default=200)
    args = parser.parse_args(argv)
    if args.worker:
        method, list_file, database = args.worker
        print(json.dumps(worker(method, Path(list_file), Path(database))))
        return 0
    from bench.common import snapshot_dir

    sources = sorted((snapshot_dir() / "sec" / "companyfacts").glob("CIK*.json"))
    run(sources, [int(s) for s in args.scales.split(",")], args.pandas_max_scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
