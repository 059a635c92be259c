"""The raw landing zone: immutable files written atomically, and a landing log.

Every extract attempt appends one JSON line to ``landing_log.jsonl`` (url or path, sha256,
bytes, retrieved_at, status), successful or not, so the data-quality report can say where each
raw file came from and what failed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from orchestration.settings import LANDING_LOG_NAME

LOG_NAME = LANDING_LOG_NAME  # in the landing dir (``Settings.landing_log``)
LANDED_STATUSES = frozenset({"landed", "unchanged"})


@dataclass(frozen=True)
class LandingRecord:
    source: str
    partition: str
    origin: str  # URL (live) or snapshot path
    landed_path: str | None
    sha256: str | None
    bytes: int | None
    retrieved_at: str
    status: str  # landed | unchanged | missing | failed
    detail: str | None = None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; landed files are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PathEscape(ValueError):
    """A path that would leave its folder (``..``, absolute, or a symlink pointing out)."""


def inside(root: Path, relative: str, what: str, *, mirror: bool = False) -> Path:
    """``root/relative``, refused (``PathEscape``) when it leaves ``root``: an absolute path,
    a ``..`` part, or a symlink resolving outside ``root``. With ``mirror`` (reading a
    snapshot) a symlink may point at the same relative path in another folder, as a snapshot
    mirrored with symlinks does; a symlink to anything else is still refused."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise PathEscape(f"refusing {what} path {relative!r}: it would leave {root}")
    target = root.joinpath(*parts)
    resolved = target.resolve()
    if resolved.is_relative_to(root.resolve()):
        return target
    if mirror and resolved.parts[-len(parts):] == parts:
        return target
    raise PathEscape(f"refusing {what} path {relative!r}: {target} is a link to {resolved}, "
                     f"outside {root}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_landed(landing_dir: Path, relative_path: str, data: bytes) -> bool:
    """The same bytes are already at ``landing_dir/relative_path``."""
    target = landing_dir / relative_path
    return target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data


def land(
    landing_dir: Path, relative_path: str, data: bytes, *, source: str, partition: str, origin: str
) -> LandingRecord:
    """Land ``data`` at ``landing_dir/relative_path`` unless the same bytes are already there."""
    target = inside(landing_dir, relative_path, "landing").resolve()
    digest = sha256_hex(data)
    unchanged = already_landed(landing_dir, relative_path, data)
    if not unchanged:
        atomic_write(target, data)
    return LandingRecord(
        source=source,
        partition=partition,
        origin=origin,
        landed_path=str(target),
        sha256=digest,
        bytes=len(data),
        retrieved_at=utc_now(),
        status="unchanged" if unchanged else "landed",
    )


@dataclass(frozen=True)
class LandedFile:
    """A file the landing log says is landed: what a raw load reads."""

    source: str
    partition: str
    path: Path  # under the landing dir as the caller spells it
    sha256: str
    name: str  # the path inside the landing zone (``sec/filings/...``): the same after a move


def landed_names(landed: Iterable[LandedFile]) -> dict[str, str]:
    """``{path: name in the landing zone}`` of landed files."""
    return {str(f.path): f.name for f in landed}


def landed_files(landing_dir: Path, sources: Iterable[str]) -> list[LandedFile]:
    """The files of ``sources`` the landing log records as landed (or unchanged) and that are
    still in the landing zone, the latest record per file, sorted by path."""
    log_path = landing_dir / LOG_NAME
    wanted = set(sources)
    if not wanted or not log_path.is_file():
        return []
    roots = [landing_dir.resolve()]  # and where a copied or moved landing zone used to be
    latest: dict[Path, LandedFile] = {}
    with log_path.open(encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            if (entry["source"] not in wanted or entry["status"] not in LANDED_STATUSES
                    or not entry.get("landed_path")):
                continue
            relative = _relative_to_landing(Path(entry["landed_path"]), landing_dir, roots)
            if relative is None:
                continue
            path = landing_dir / relative
            latest[path] = LandedFile(entry["source"], entry["partition"], path, entry["sha256"],
                                      relative.as_posix())
    return [latest[p] for p in sorted(latest) if p.is_file()]


def _relative_to_landing(landed: Path, landing_dir: Path, roots: list[Path]) -> Path | None:
    """``landed`` relative to the landing zone. The log names absolute paths: a landing zone
    copied elsewhere keeps its log, so an unknown prefix is found once (the longest tail of
    the path that is a file in ``landing_dir``) and remembered in ``roots``."""
    for root in roots:
        if landed.is_relative_to(root):
            return landed.relative_to(root)
    parts = landed.parts
    for index in range(1, len(parts)):
        if (landing_dir / Path(*parts[index:])).is_file():
            roots.append(Path(*parts[:index]))
            return Path(*parts[index:])
    return None


def append_log(log_path: Path, record: LandingRecord) -> None:
    """Append one record to the landing log under an exclusive lock (whole lines only)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(record), sort_keys=True) + "\n"
    with log_path.open("a", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
