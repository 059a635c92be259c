"""Parse speed of the earnings releases (EX-99.1 tables) against the XBRL extractor, per MB.

``python -m bench.releases``: parses every recorded 8-K ``full-submission.txt`` of the snapshot
with ``sec_releases.release.parse_release`` and every recorded 10-K/10-Q accession folder with
``sec_filings.accessions.read_landed_filing`` (the extractor the raw load uses), best of
``--repeat`` runs each, and prints seconds, MB and MB/s. Goal (issue 15): all releases in under
5 s, and not slower per MB than the XBRL extractor.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import snapshot_dir
from orchestration.sources.sec_filings.accessions import read_landed_filing
from orchestration.sources.sec_releases.release import parse_release
from orchestration.universe import load_universe


def _best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(root: Path, repeat: int = 3) -> dict:
    fye = {c.ticker: c.fiscal_year_end_month for c in load_universe()}
    filings = root / "sec" / "filings" / "sec-edgar-filings"
    releases = sorted(filings.glob("*/8-K/*/full-submission.txt"))
    periodic = sorted(p for p in filings.glob("*/10-[KQ]/*") if p.is_dir())
    release_bytes = sum(p.stat().st_size for p in releases)
    periodic_bytes = sum(f.stat().st_size for p in periodic for f in p.iterdir() if f.is_file())

    def parse_releases() -> None:
        for path in releases:
            parse_release(path.read_bytes(), fye[path.parent.parent.parent.name], str(path))

    def parse_periodic() -> None:
        for folder in periodic:
            read_landed_filing(folder.parent.parent.name, folder.parent.name, folder)

    return {
        "releases": (len(releases), release_bytes / 1e6, _best(parse_releases, repeat)),
        "xbrl": (len(periodic), periodic_bytes / 1e6, _best(parse_periodic, repeat)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    result = measure(snapshot_dir(), args.repeat)
    print("| parser | files | MB | s | MB/s |\n|---|---:|---:|---:|---:|")
    for name, (files, megabytes, seconds) in result.items():
        print(f"| {name} | {files} | {megabytes:.1f} | {seconds:.2f} | "
              f"{megabytes / seconds:.1f} |")
    releases, xbrl = result["releases"], result["xbrl"]
    fast = releases[2] < 5 and releases[1] / releases[2] >= xbrl[1] / xbrl[2]
    print(f"\nreleases under 5 s and not slower per MB than XBRL: {'yes' if fast else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
