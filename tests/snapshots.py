"""Build a snapshot that mirrors the recorded fixtures with a few files replaced or removed."""

from __future__ import annotations

from pathlib import Path

# The recorded snapshot without NVIDIA's company facts and without Amazon's Q2 2025 earnings
# release (0001018724-25-000084): an older state of the world that the recorded one updates.
OLDER_WORLD_LEAVES_OUT = {
    "sec/companyfacts/CIK0001045810.json": None,
    "sec/filings/sec-edgar-filings/AMZN/8-K/0001018724-25-000084": None,
}


def mirror_snapshot(source: Path, target: Path, overrides: dict[str, bytes | None]) -> Path:
    """Symlink ``source`` into ``target``; each ``overrides`` path gets new bytes (or is left
    out when None). Only folders on the way to an override are materialised."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        relative = entry.name
        below = {k.split("/", 1)[1]: v for k, v in overrides.items()
                 if "/" in k and k.split("/", 1)[0] == relative}
        if relative in overrides:
            if overrides[relative] is not None:
                (target / relative).write_bytes(overrides[relative])
        elif below and entry.is_dir():
            mirror_snapshot(entry, target / relative, below)
        else:
            (target / relative).symlink_to(entry)
    return target
