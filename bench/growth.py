"""Growth curve: the whole pipeline on synthetic universes of 6, 60 (and 600) companies, and the
company-facts ingest alone up to 6,000.

``python -m bench.growth [--companies 6,60] [--ingest 6,60,600,6000]`` writes
``docs/scaling-growth.png`` and ``bench/growth.json``, and prints the table for
``docs/scaling.md``. ``make bench`` runs the small universes (``measure``, ``save`` with
``update``, ``section``: the pipeline at 6 and 60 companies, the ingest up to 600); ``make
bench-growth`` runs the larger ones (minutes to hours).

**The universe is synthetic** (``make_snapshot``): company *k* of a universe is copy ``k // 6``
of the six real companies of the recorded snapshot, in seed order. Copy 0 is the real company;
copy ``c >= 1`` gets the ticker ``<TICKER>X<three letters>`` (e.g. ``NVDAXAAB``), the CIK
``1,000,000,000 + c * 5,000,000 + CIK`` and every accession number's filer prefix shifted the
same way, in its company facts, submissions and filings (10-K, 10-Q, 8-K), and "(synthetic copy
c)" after its name; the per-company seeds (concept overrides, segment maps, release label maps,
...) get the same rows under the new ticker, and the GX suites' bound on
``companies_reporting`` (five hyperscalers) is multiplied by the number of copies. Values are
**not** scaled: a scaled copy would
need the same factor inside the filings' inline XBRL and the earnings releases' HTML tables, or
the reconciliation gates between the sources would fail; the shapes, row counts and bytes per
company, which is what the cost depends on, are the real ones. The snapshot written says so in
its ``SYNTHETIC.md``.

Each universe runs ``aicapex run`` cold on a copy of the project whose seeds list it, with its own
landing zone, warehouse and Dagster instance. Stage times come from the run's Dagster step
events (the stages of ``orchestration.runtime.launch.STAGES``); peak RSS per stage is the
largest sum of RSS over the run's process tree sampled every 0.2 s in that stage; the DuckDB
size is the build database plus the published marts at the end of the stage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from bench.common import PROJECT_ROOT, snapshot_dir

FILINGS = Path("sec") / "filings" / "sec-edgar-filings"
CIK_BASE = 1_000_000_000
CIK_STRIDE = 5_000_000  # every CIK and filer-agent prefix in the snapshot is below this
SHARED = ("energy", "gpu", "other")
PROJECT_PARTS = ("orchestration", "dbt_project", "expectations", "pyproject.toml")
RESULTS_JSON = PROJECT_ROOT / "bench" / "growth.json"
PLOT = PROJECT_ROOT / "docs" / "scaling-growth.png"
OUTSIDE = "outside steps"  # start-up, planning and the run report: the run's time not in a step
_ACCESSION = re.compile(rb"(?<![0-9])([0-9]{10})-([0-9]{2})-([0-9]{6})(?![0-9])")


@dataclass(frozen=True)
class Base:
    ticker: str
    cik: int
    row: dict[str, str]


def shifted_cik(cik: int, copy: int) -> int:
    if copy == 0:
        return cik
    if cik >= CIK_STRIDE:
        raise ValueError(f"CIK {cik} is too large to shift by copies of {CIK_STRIDE:,}")
    return CIK_BASE + copy * CIK_STRIDE + cik


def synthetic_ticker(ticker: str, copy: int) -> str:
    if copy == 0:
        return ticker
    letters = string.ascii_uppercase
    suffix = "".join(letters[copy // 26**p % 26] for p in (2, 1, 0))
    return f"{ticker}X{suffix}"


@cache
def _cik_patterns(ciks: tuple[int, ...]) -> re.Pattern[bytes]:
    """One pass for every form of these CIKs: zero-padded, a JSON ``cik`` value (quoted or
    not, padded or not), an EDGAR ``/data/<cik>/`` path."""
    padded = b"|".join(b"%010d" % cik for cik in ciks)
    bare = b"|".join(b"%d" % cik for cik in ciks)
    return re.compile(rb'(?<![0-9])(?P<padded>' + padded + rb')(?![0-9])'
                      rb'|(?P<key>"cik"\s*:\s*"?)(?P<value>' + bare + rb')(?![0-9])'
                      rb'|(?P<path>/data/)(?P<data>' + bare + rb')/')


def rewrite(body: bytes, ciks: list[int], copy: int) -> bytes:
    """``body`` with every accession's filer prefix (below ``CIK_STRIDE``: the snapshot has
    placeholders such as 9999999995-...) and the given companies' CIKs (zero-padded, in JSON
    ``cik`` fields and in EDGAR ``/data/<cik>/`` paths) shifted to copy ``copy``."""
    if copy == 0:
        return body
    body = _ACCESSION.sub(lambda m: m[0] if int(m[1]) >= CIK_STRIDE else b"%010d-%s-%s" % (
        shifted_cik(int(m[1]), copy), m[2], m[3]), body)

    def shift(match: re.Match[bytes]) -> bytes:
        if match["padded"]:
            return b"%010d" % shifted_cik(int(match["padded"]), copy)
        if match["key"]:
            return match["key"] + b"%d" % shifted_cik(int(match["value"]), copy)
        return b"/data/%d/" % shifted_cik(int(match["data"]), copy)

    present = tuple(cik for cik in ciks if b"%d" % cik in body)
    return _cik_patterns(present).sub(shift, body) if present else body


def bases(project: Path = PROJECT_ROOT) -> list[Base]:
    seed = project / "dbt_project" / "seeds" / "companies.csv"
    with seed.open(newline="", encoding="utf-8") as handle:
        return [Base(row["ticker"], int(row["cik"]), row) for row in csv.DictReader(handle)]


def universe(companies: int, project: Path = PROJECT_ROOT) -> list[tuple[Base, int]]:
    """(real company, copy number) of each company of a universe of ``companies``."""
    real = bases(project)
    return [(real[i % len(real)], i // len(real)) for i in range(companies)]


def _copy_file(source: Path, target: Path, ciks: list[int], copy: int) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    body = rewrite(source.read_bytes(), ciks, copy)
    target.write_bytes(body)
    return len(body)


def make_snapshot(fixtures: Path, target: Path, companies: int, sec_only: bool = False) -> int:
    """Write a synthetic snapshot of ``companies`` under ``target``; return the SEC bytes.
    ``sec_only`` writes company facts only (the ingest curve)."""
    all_ciks = [b.cik for b in bases()]
    written = 0
    for base, copy in universe(companies):
        cik = shifted_cik(base.cik, copy)
        kinds = ("companyfacts",) if sec_only else ("companyfacts", "submissions")
        for kind in kinds:
            source = fixtures / "sec" / kind / f"CIK{base.cik:010d}.json"
            if source.is_file():
                written += _copy_file(source, target / "sec" / kind / f"CIK{cik:010d}.json",
                                      all_ciks, copy)
        tree = fixtures / FILINGS / base.ticker
        if sec_only or not tree.is_dir():
            continue
        ticker = synthetic_ticker(base.ticker, copy)
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            relative = Path(rewrite(str(path.relative_to(tree)).encode(), all_ciks, copy).decode())
            written += _copy_file(path, target / FILINGS / ticker / relative, all_ciks, copy)
    if not sec_only:
        for name in SHARED:
            (target / name).symlink_to(fixtures / name)
    (target / "SYNTHETIC.md").write_text(
        f"Synthetic universe of {companies} companies written by bench/growth.py from {fixtures}:"
        " copies of the six recorded companies with shifted tickers, CIKs and accession numbers."
        " Not SEC data; the values are the recorded ones.\n", encoding="utf-8")
    return written


def _seed_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_seed(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def make_project(target: Path, companies: int) -> Path:
    """A copy of the project whose seeds list the synthetic universe of ``companies``."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("target", "logs", "__pycache__", "*.duckdb")
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy2(source, target / part)
    members = universe(companies)
    copies = sorted({copy for _, copy in members if copy})
    all_ciks = [b.cik for b in bases()]
    for seed in sorted((target / "dbt_project" / "seeds").glob("*.csv")):
        header, rows = _seed_rows(seed)
        if "ticker" not in header:
            continue
        if seed.name == "companies.csv":
            rows = [{**base.row, "ticker": synthetic_ticker(base.ticker, copy),
                     "cik": str(shifted_cik(base.cik, copy)),
                     "company_name": base.row["company_name"]
                     + (f" (synthetic copy {copy})" if copy else "")} for base, copy in members]
        else:
            rows = rows + [
                {name: rewrite(value.encode(), all_ciks, copy).decode() for name, value in
                 {**row, "ticker": synthetic_ticker(row["ticker"], copy)}.items()}
                for copy in copies for row in rows if row["ticker"] in {b.ticker for b in bases()}]
        _write_seed(seed, header, rows)
    _scale_universe_totals(target / "expectations", companies / len(bases()))
    return target


# columns of the suites that sum or count over the whole universe (fct_ai_monetization*):
# bounded for the five real hyperscalers, they grow with the number of copies
UNIVERSE_TOTALS = ("companies_reporting", "hyperscaler_capex_usd", "required_revenue_usd")


def _scale_universe_totals(expectations: Path, factor: float) -> None:
    """The suites bound the universe totals (``UNIVERSE_TOTALS``) by the five hyperscalers of
    the real universe: a universe of copies has ``factor`` times as many, and as much capex."""
    for suite in expectations.glob("*.json"):
        document = json.loads(suite.read_text(encoding="utf-8"))
        for expectation in document.get("expectations", []):
            kwargs = expectation.get("kwargs", {})
            if kwargs.get("column") in UNIVERSE_TOTALS and "max_value" in kwargs:
                kwargs["max_value"] = int(kwargs["max_value"] * factor)
        suite.write_text(json.dumps(document, indent=2), encoding="utf-8")


# --- measuring a run -----------------------------------------------------------------------


def _tree_rss_mb(root_pid: int) -> float:
    """Sum of RSS of ``root_pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1e6


def _duckdb_mb(warehouse: Path) -> float:
    files = [p for p in warehouse.glob("*.duckdb*") if p.is_file()] if warehouse.is_dir() else []
    return sum(p.stat().st_size for p in files) / 1e6


@dataclass
class Sampler:
    """Samples the process tree's RSS and the warehouse's DuckDB bytes every ``every`` s."""

    pid: int
    warehouse: Path
    every: float = 0.2
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), _tree_rss_mb(self.pid),
                                 _duckdb_mb(self.warehouse)))
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def stage_steps(dagster_home: Path) -> dict[str, list[tuple[float, float]]]:
    """(start, end) of every step of the one run in ``dagster_home``, by stage. The main job
    runs in-process, one step at a time, so a stage's time is the sum of its steps' times."""
    import dagster as dg

    from orchestration.runtime.launch import _STEP_STAGES

    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(dagster_home)  # the project's event log storage reads it
    try:
        with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
            runs = instance.get_run_records(limit=1)
            logs = instance.all_logs(runs[0].dagster_run.run_id) if runs else []
    finally:
        os.environ.pop("DAGSTER_HOME") if before is None else os.environ.update(
            DAGSTER_HOME=before)
    started: dict[str, float] = {}
    steps: dict[str, list[tuple[float, float]]] = {}
    for entry in logs:
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.is_step_start:
            started[entry.step_key] = entry.timestamp
        elif (event.is_step_success or event.is_step_failure) and entry.step_key in started:
            stage = next((name for prefix, name in _STEP_STAGES
                          if entry.step_key.startswith(prefix)), "other")
            steps.setdefault(stage, []).append((started[entry.step_key], entry.timestamp))
    return steps


def run_pipeline(companies: int, fixtures: Path, root: Path) -> dict:
    """``aicapex run`` cold on a synthetic universe of ``companies``; the measures per stage."""
    snapshot = root / "snapshot"
    sec_bytes = make_snapshot(fixtures, snapshot, companies)
    project = make_project(root / "project", companies)
    warehouse = root / "warehouse"
    env = {**os.environ, "PYTHONPATH": str(project), "AICAPEX_MODE": "snapshot",
           "AICAPEX_SNAPSHOT_DIR": str(snapshot), "AICAPEX_LANDING_DIR": str(root / "landing"),
           "AICAPEX_WAREHOUSE_DIR": str(warehouse),
           "AICAPEX_REPORTS_DIR": str(root / "reports"),
           "DAGSTER_HOME": str(root / "dagster_home"), "GX_ANALYTICS_ENABLED": "False"}
    # the copy's dbt parse is not part of the run (a fresh clone parses once)
    subprocess.run([sys.executable, "-c", "from orchestration.dbt_project import "
                    "ensure_manifest; ensure_manifest()"], cwd=project, env=env, check=True,
                   capture_output=True)
    started = time.time()
    process = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run"], cwd=project,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    sampler = Sampler(process.pid, warehouse)
    output, _ = process.communicate()
    sampler.stop()
    ended = time.time()
    stages = {}
    for stage, steps in sorted(stage_steps(root / "dagster_home").items(),
                               key=lambda item: min(start for start, _ in item[1])):
        inside = [s for s in sampler.samples if any(a <= s[0] <= b for a, b in steps)]
        end = max(b for _, b in steps)
        before_end = [s for s in sampler.samples if s[0] <= end] or sampler.samples[:1]
        stages[stage] = {"seconds": sum(b - a for a, b in steps),
                         "peak_rss_mb": max((s[1] for s in inside), default=before_end[-1][1]),
                         "duckdb_mb": before_end[-1][2]}
    stages[OUTSIDE] = {  # Python and Dagster start-up, planning, the run report
        "seconds": ended - started - sum(m["seconds"] for m in stages.values()),
        "peak_rss_mb": max(s[1] for s in sampler.samples), "duckdb_mb": _duckdb_mb(warehouse)}
    return {"companies": companies, "sec_mb": sec_bytes / 1e6, "exit": process.returncode,
            "wall_s": ended - started, "peak_rss_mb": max(s[1] for s in sampler.samples),
            "duckdb_mb": _duckdb_mb(warehouse), "stages": stages,
            "tail": output.strip().splitlines()[-12:]}


def run_ingest(companies: int, fixtures: Path, root: Path) -> dict:
    """The company-facts loader alone (``bench.ingest``'s worker) over a synthetic universe."""
    from bench import ingest

    make_snapshot(fixtures, root / "snapshot", companies, sec_only=True)
    files = sorted((root / "snapshot" / "sec" / "companyfacts").glob("CIK*.json"))
    result = ingest.measure("aicapex", files, root)
    return {"companies": companies, **result}


# --- report ----------------------------------------------------------------------------------


def plot(pipeline: list[dict], ingest_runs: list[dict], path: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    stages = [s for s in ("extract", "load raw", "dbt build", "gates", "publish", OUTSIDE)
              if any(s in r["stages"] for r in pipeline)]
    sizes = [r["companies"] for r in pipeline]
    for stage in stages:
        for axis, measure in ((axes[0], "seconds"), (axes[1], "peak_rss_mb")):
            axis.plot(sizes, [r["stages"].get(stage, {}).get(measure, math.nan)
                              for r in pipeline], marker="o", label=stage)
    axes[0].plot(sizes, [r["wall_s"] for r in pipeline], marker="s", color="black",
                 label="whole run")
    axes[0].set(title="aicapex run, cold: seconds per stage", xlabel="companies (synthetic)",
                ylabel="s", xscale="log", yscale="log")
    axes[1].set(title="peak RSS per stage (process tree)", xlabel="companies (synthetic)",
                ylabel="MB", xscale="log")
    if ingest_runs:
        counts = [r["companies"] for r in ingest_runs]
        axes[2].plot(counts, [r["seconds"] for r in ingest_runs], marker="o", label="seconds")
        axes[2].plot(counts, [r["peak_rss_mb"] for r in ingest_runs], marker="o",
                     label="peak RSS MB")
        axes[2].set(title="company-facts ingest alone", xlabel="companies (synthetic)",
                    xscale="log", yscale="log")
    for axis in axes:
        axis.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle("aicapex growth on synthetic universes (copies of the six recorded companies)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def table(pipeline: list[dict], ingest_runs: list[dict]) -> list[str]:
    lines = ["| companies | SEC MB | stage | s | peak RSS MB | DuckDB MB at stage end |",
             "|---:|---:|---|---:|---:|---:|"]
    for run in pipeline:
        for stage, measures in run["stages"].items():
            lines.append(f"| {run['companies']} | {run['sec_mb']:,.0f} | {stage} | "
                         f"{measures['seconds']:.1f} | {measures['peak_rss_mb']:,.0f} | "
                         f"{measures['duckdb_mb']:,.0f} |")
        lines.append(f"| {run['companies']} | {run['sec_mb']:,.0f} | **whole run** (exit "
                     f"{run['exit']}) | {run['wall_s']:.1f} | {run['peak_rss_mb']:,.0f} | "
                     f"{run['duckdb_mb']:,.0f} |")
    if ingest_runs:
        lines += ["", "| companies (ingest alone) | files | MB | s | MB/s | rows | peak RSS MB |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['companies']} | {r['files']} | {r['megabytes']:,.0f} | "
                  f"{r['seconds']:.1f} | {r['mb_per_s']:.0f} | {r['rows']:,} | "
                  f"{r['peak_rss_mb']:,.0f} |" for r in ingest_runs]
    return lines


def _not_in(saved: list[dict], measured: list[dict]) -> list[dict]:
    """The results of ``saved`` for universes ``measured`` has none of."""
    sizes = {r["companies"] for r in measured}
    return [r for r in saved if r["companies"] not in sizes]


def _merged(earlier: list[dict], new: list[dict]) -> list[dict]:
    return sorted(_not_in(earlier, new) + new, key=lambda r: r["companies"])


def sizes(text: str) -> list[int]:
    """Universe sizes from a comma-separated option ("6,60"; "" for none)."""
    return [int(n) for n in text.split(",") if n.strip()]


def measure(companies: list[int], ingest_companies: list[int],
            workdir: Path | None = None) -> tuple[list[dict], list[dict]]:
    """The whole pipeline on each universe of ``companies``, then the ingest alone on each of
    ``ingest_companies``; every result carries the day it was measured (``measured``)."""
    fixtures = snapshot_dir()
    base = workdir or Path(tempfile.gettempdir())
    today = datetime.now(UTC).date().isoformat()
    pipeline: list[dict] = []
    ingest_runs: list[dict] = []
    for size in companies:
        with tempfile.TemporaryDirectory(prefix=f"aicapex-growth-{size}-", dir=base) as tmp:
            pipeline.append({**run_pipeline(size, fixtures, Path(tmp)), "measured": today})
        print(json.dumps({k: v for k, v in pipeline[-1].items() if k != "tail"}), flush=True)
    for size in ingest_companies:
        with tempfile.TemporaryDirectory(prefix=f"aicapex-ingest-{size}-", dir=base) as tmp:
            ingest_runs.append({**run_ingest(size, fixtures, Path(tmp)), "measured": today})
        print(json.dumps(ingest_runs[-1]), flush=True)
    return pipeline, ingest_runs


def save(pipeline: list[dict], ingest_runs: list[dict],
         update: bool) -> tuple[list[dict], list[dict]]:
    """Write bench/growth.json and docs/scaling-growth.png; with ``update``, the earlier results
    of the universes not measured now are kept (with their own ``measured`` day). Returns what
    was written."""
    if update and RESULTS_JSON.is_file():
        earlier = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        pipeline = _merged(earlier["pipeline"], pipeline)
        ingest_runs = _merged(earlier["ingest"], ingest_runs)
    RESULTS_JSON.write_text(json.dumps({"pipeline": pipeline, "ingest": ingest_runs},
                                       indent=1, default=str), encoding="utf-8")
    plot(pipeline, ingest_runs, PLOT)
    return pipeline, ingest_runs


def stage_growth(small: dict, large: dict) -> dict[str, float]:
    """Per stage of both runs, its seconds in ``large`` over its seconds in ``small`` (not the
    time outside the steps: start-up and the report, no stage of the pipeline)."""
    return {stage: large["stages"][stage]["seconds"] / measures["seconds"]
            for stage, measures in small["stages"].items()
            if stage != OUTSIDE and stage in large["stages"] and measures["seconds"] > 0}


def worst_stage(pipeline: list[dict]) -> tuple[str, float, int, int] | None:
    """The stage whose time grows most from the smallest universe of ``pipeline`` to the
    largest: (stage, ratio, smallest, largest companies); None under two universes."""
    runs = sorted(pipeline, key=lambda r: r["companies"])
    if len(runs) < 2:
        return None
    ratios = stage_growth(runs[0], runs[-1])
    if not ratios:
        return None
    stage = max(ratios, key=ratios.__getitem__)
    return stage, ratios[stage], runs[0]["companies"], runs[-1]["companies"]


def _day(result: dict) -> str:
    return result.get("measured", "a day not recorded")


def section(pipeline: list[dict], ingest_runs: list[dict],
            saved: tuple[list[dict], list[dict]]) -> list[str]:
    """The growth section of bench/results.md: the universes measured in this run, the stage
    that grows worst, and the other universes of ``saved`` (what bench/growth.json holds now)
    with the day they were measured."""
    lines = ["## Growth (synthetic universes)", "",
             f"`aicapex run` cold on synthetic universes of "
             f"{', '.join(str(r['companies']) for r in pipeline) or 'no'} companies and the "
             f"company-facts loader alone at "
             f"{', '.join(str(r['companies']) for r in ingest_runs) or 'no'} companies, "
             "measured in this run (`bench/growth.py`: copies of the six recorded companies "
             "with shifted tickers, CIKs and accession numbers; not SEC data). Stage seconds "
             "are the sums of the run's Dagster step times, peak RSS is the whole process "
             "tree's (sampled every 0.2 s), DuckDB MB is the build warehouse plus the "
             "published marts at the end of the stage. Plotted in `docs/scaling-growth.png` "
             "(with the earlier universes below), explained in `docs/scaling.md`.", "",
             *table(pipeline, ingest_runs), ""]
    runs = sorted(pipeline, key=lambda r: r["companies"])
    worst = worst_stage(runs)
    if worst is None:
        lines.append("Stage that grows worst: n/a (needs two universes of the whole pipeline).")
    else:
        stage, ratio, small, large = worst
        ratios = stage_growth(runs[0], runs[-1])
        lines.append(f"Stage that grows worst, {small} -> {large} companies ({large / small:g}x "
                     f"the data): **{stage}**, {ratio:.1f}x its time. All stages: "
                     + ", ".join(f"{name} {value:.1f}x" for name, value in
                                 sorted(ratios.items(), key=lambda item: -item[1]))
                     + f"; whole run {runs[-1]['wall_s'] / runs[0]['wall_s']:.1f}x.")
    failed = [r for r in runs if r["exit"] != 0]
    if failed:
        lines.append("**The run failed** at " + ", ".join(
            f"{r['companies']} companies (exit {r['exit']})" for r in failed) + ".")
    earlier_pipeline = _not_in(saved[0], pipeline)
    earlier_ingest = _not_in(saved[1], ingest_runs)
    if earlier_pipeline or earlier_ingest:
        dates = "; ".join([f"the whole pipeline at {r['companies']} companies on {_day(r)}"
                           for r in earlier_pipeline]
                          + [f"the ingest alone at {r['companies']} companies on {_day(r)}"
                             for r in earlier_ingest])
        lines += ["", f"Universes measured earlier (`make bench-growth`), **not in this run**; "
                      f"kept in bench/growth.json and the plot: {dates}.", "",
                  *table(earlier_pipeline, earlier_ingest)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", default="6,60", help="universes for the whole pipeline")
    parser.add_argument("--ingest", default="6,60,600,6000", help="universes for the ingest alone")
    parser.add_argument("--update", action="store_true", help="keep the results in "
                        "bench/growth.json of the universes not run this time")
    parser.add_argument("--workdir", help="where the universes are written (default: a "
                        "temporary directory, removed after each universe)")
    args = parser.parse_args(argv)
    pipeline, ingest_runs = save(*measure(sizes(args.companies), sizes(args.ingest),
                                          Path(args.workdir) if args.workdir else None),
                                 args.update)
    print("\n".join(table(pipeline, ingest_runs)))
    print(f"wrote {RESULTS_JSON} and {PLOT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
