"""Parse speed of the earnings releases (EX-99.1 tables) against the XBRL extractor, per MB.

``python -m bench.releases``: parses every recorded 8-K ``full-submission.txt`` of the snapshot
with ``sec_releases.release.parse_release`` and every recorded 10-K/10-Q accession folder with
``sec_filings.accessions.read_landed_filing`` (the extractor the raw load uses), best of
``--repeat`` runs each (the release parser's memo caches emptied before each, so no run reuses
what an earlier one read), and prints seconds, MB and MB/s. Goal (issue 15): all releases in under
5 s, and not slower per MB than the XBRL extractor.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import snapshot_dir, verdict
from orchestration.sources.sec_filings.accessions import read_landed_filing
from orchestration.sources.sec_releases import release
from orchestration.universe import load_universe


def _best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _empty_caches(module) -> None:
    """Clear the module's ``functools`` caches: a repeat starts as cold as the first run."""
    for value in vars(module).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def measure(root: Path, repeat: int = 3) -> dict:
    fye = {c.ticker: c.fiscal_year_end_month for c in load_universe()}
    filings = root / "sec" / "filings" / "sec-edgar-filings"
    releases = sorted(filings.glob("*/8-K/*/full-submission.txt"))
    periodic = sorted(p for p in filings.glob("*/10-[KQ]/*") if p.is_dir())
    release_bytes = sum(p.stat().st_size for p in releases)
    periodic_bytes = sum(f.stat().st_size for p in periodic for f in p.iterdir() if f.is_file())

    def parse_releases() -> None:
        _empty_caches(release)
        for path in releases:
            release.parse_release(path.read_bytes(), fye[path.parent.parent.parent.name],
                                  str(path))

    def parse_periodic() -> None:
        for folder in periodic:
            read_landed_filing(folder.parent.parent.name, folder.parent.name, folder)

    return {
        "releases": (len(releases), release_bytes / 1e6, _best(parse_releases, repeat)),
        "xbrl": (len(periodic), periodic_bytes / 1e6, _best(parse_periodic, repeat)),
    }


def section(result: dict) -> list[str]:
    """The parsers' lines of bench/results.md."""
    lines = ["## Parsers: earnings releases and the XBRL extractor", "",
             "| parser | files | MB | s (best of the repeats) | MB/s |",
             "|---|---:|---:|---:|---:|"]
    names = {"releases": "earnings releases (8-K EX-99.1 tables, `parse_release`)",
             "xbrl": "XBRL extractor (10-K/10-Q folders, `read_landed_filing`)"}
    for name, (files, megabytes, seconds) in result.items():
        lines.append(f"| {names[name]} | {files} | {megabytes:.1f} | {seconds:.2f} | "
                     f"{megabytes / seconds:.1f} |")
    lines += ["", f"All releases in under 5 s and not slower per MB than the XBRL extractor "
                  f"(issue 15): {verdict(fast(result))}."]
    return lines


def fast(result: dict) -> bool:
    """All releases in under 5 s, and not slower per MB than the XBRL extractor."""
    (_, release_mb, release_s), (_, xbrl_mb, xbrl_s) = result["releases"], result["xbrl"]
    return release_s < 5 and release_mb / release_s >= xbrl_mb / xbrl_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print("\n".join(section(measure(snapshot_dir(), args.repeat))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
