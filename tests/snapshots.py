"""Build a snapshot that mirrors the recorded fixtures with a few files replaced or removed."""

from __future__ import annotations

from pathlib import Path


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
