"""What the benchmarks share: where the snapshot is, percentiles."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def snapshot_dir() -> Path:
    default = PROJECT_ROOT.parent / "shared" / "fixtures"
    return Path(os.environ.get("AICAPEX_SNAPSHOT_DIR", default))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def verdict(ok: bool) -> str:
    """How results.md marks a target: met, or missed in bold."""
    return "met" if ok else "**missed**"
