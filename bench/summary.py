"""The verdict table at the top of bench/results.md: every target of issue 18, what this run
measured, met or missed. Built from the measured results only; the sections below it give the
detail and use the same limits."""

from __future__ import annotations

from dataclasses import dataclass

from bench import growth, query, releases
from bench.common import verdict
from bench.suite import TARGET_S, SuiteResult

PANDAS_MIN = 7.0  # aicapex ingest MB/s over the pandas loader's
SCAN_MIN, SCAN_AIM = 0.6, 0.8  # over DuckDB's own read_json scan
RSS_GROWTH_MAX = 1.2  # loader peak RSS, largest over smallest universe
COLD = (1.5, 10.0)  # cold run <= factor x bare dbt build + seconds
COLD_AIM = (1.3, 5.0)
WARM_MAX_S = 3.0


@dataclass(frozen=True)
class Target:
    target: str
    measured: str
    verdict: str


def cold_limit(bare_s: float, limit: tuple[float, float] = COLD) -> float:
    return limit[0] * bare_s + limit[1]


def _aim(ok: bool, aim: bool) -> str:
    return verdict(ok) + ("; aim met" if aim else "; aim missed" if ok else "")


def rss_growth(ingest: list[dict]) -> tuple[dict, dict, float] | None:
    """The aicapex loader's results at the smallest and largest scale, and the peak RSS ratio."""
    ours = sorted((r for r in ingest if r["method"] == "aicapex"), key=lambda r: r["scale"])
    if len(ours) < 2:
        return None
    return ours[0], ours[-1], ours[-1]["peak_rss_mb"] / ours[0]["peak_rss_mb"]


def _ingest(ingest: list[dict]) -> list[Target]:
    largest = max((r["scale"] for r in ingest), default=None)
    by = {r["method"]: r for r in ingest if r["scale"] == largest}
    ours, pandas, scan = (by.get(m) for m in ("aicapex", "pandas", "scan"))
    rows = []
    if ours and pandas:
        ratio = ours["mb_per_s"] / pandas["mb_per_s"]
        rows.append(Target(f"company-facts ingest vs a pandas loader: >= {PANDAS_MIN:g}x",
                           f"{ratio:.2f}x at {largest}x ({ours['files']} files)",
                           verdict(ratio >= PANDAS_MIN)))
    if ours and scan:
        ratio = ours["mb_per_s"] / scan["mb_per_s"]
        rows.append(Target(f"ingest vs DuckDB's `read_json` scan: >= {SCAN_MIN:g}x, aim "
                           f"{SCAN_AIM:g}x", f"{ratio:.2f}x at {largest}x",
                           _aim(ratio >= SCAN_MIN, ratio >= SCAN_AIM)))
    grown = rss_growth(ingest)
    if grown:
        small, large, ratio = grown
        rows.append(Target(f"loader peak RSS, {small['files']} -> {large['files']} files: "
                           f"<= {RSS_GROWTH_MAX:g}x",
                           f"{small['peak_rss_mb']:,.0f} -> {large['peak_rss_mb']:,.0f} MB "
                           f"({ratio:.2f}x)", verdict(ratio <= RSS_GROWTH_MAX)))
    return rows


def _runs(e2e: dict) -> list[Target]:
    limit, aim = cold_limit(e2e["bare_dbt_s"]), cold_limit(e2e["bare_dbt_s"], COLD_AIM)
    return [
        Target(f"`aicapex run` cold: <= {COLD[0]:g}x bare `dbt build` + {COLD[1]:g} s "
               f"(aim {COLD_AIM[0]:g}x + {COLD_AIM[1]:g} s)",
               f"{e2e['cold_s']:.1f} s vs bare {e2e['bare_dbt_s']:.1f} s (limit {limit:.1f} s, "
               f"aim {aim:.1f} s)", _aim(e2e["cold_s"] <= limit, e2e["cold_s"] <= aim)),
        Target(f"warm run, nothing new: <= {WARM_MAX_S:g} s, publishes nothing",
               f"{e2e['warm_s']:.1f} s (unchanged: {e2e['warm_unchanged']})",
               verdict(e2e["warm_s"] <= WARM_MAX_S and e2e["warm_unchanged"])),
    ]


def _query(results: list[dict]) -> list[Target]:
    return [Target(f"{surface} vs the floor (`python -c` duckdb): "
                   f"<= {query.FLOOR_RATIO_TARGET:g}x p50",
                   f"worst query {ratio:.2f}x", verdict(ratio <= query.FLOOR_RATIO_TARGET))
            for surface, ratio in query.floor_ratios(results).items()]


def _suite(result: SuiteResult | None) -> Target:
    name = f"`make test`: <= {TARGET_S:.0f} s, every test passing"
    if result is None:
        return Target(name, "not run (`--no-suite`)", "n/a")
    counts = ", ".join(f"{n} {word}" for word, n in result.counts.items()) or "no summary"
    if result.selection:
        return Target(name, f"{result.wall_s:.1f} s, {counts} (narrowed selection)", "n/a")
    return Target(name, f"{result.wall_s:.1f} s, {counts}", verdict(result.ok))


def _parsers(parsers: dict) -> Target:
    (_, rel_mb, rel_s), (_, xbrl_mb, xbrl_s) = parsers["releases"], parsers["xbrl"]
    return Target("earnings-release parser: all in < 5 s, not slower per MB than the XBRL "
                  "extractor",
                  f"{rel_mb / rel_s:.1f} vs {xbrl_mb / xbrl_s:.1f} MB/s",
                  verdict(releases.fast(parsers)))


def _growth(pipeline: list[dict]) -> Target:
    name = "growth curve: the stage that grows worst, named"
    worst = growth.worst_stage(pipeline)
    failed = [r["companies"] for r in pipeline if r["exit"] != 0]
    if worst is None:
        return Target(name, "n/a (needs two universes of the whole pipeline)", "n/a")
    stage, ratio, small, large = worst
    measured = (f"{stage}: {ratio:.1f}x its time for {large / small:g}x the companies "
                f"({small} -> {large})")
    if failed:
        return Target(name, measured, f"**missed**: the run failed at {failed} companies")
    return Target(name, measured, "stated")


def targets(ingest: list[dict], e2e: dict, query_results: list[dict], parsers: dict,
            pipeline: list[dict], suite: SuiteResult | None) -> list[Target]:
    """Every issue-18 target, in the issue's order, from this run's results."""
    return [*_ingest(ingest), *_runs(e2e), *_query(query_results), _suite(suite),
            _parsers(parsers), _growth(pipeline)]


def table(rows: list[Target]) -> list[str]:
    return ["| target | measured | verdict |", "|---|---|---|",
            *(f"| {r.target} | {r.measured} | {r.verdict} |" for r in rows)]
