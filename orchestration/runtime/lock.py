"""One pipeline run per warehouse: an exclusive ``flock`` on ``<warehouse>/.aicapex-run.lock``."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another ``aicapex run`` holds the warehouse."""


@contextmanager
def run_lock(warehouse_dir: Path, wait: bool) -> Iterator[None]:
    """Hold the warehouse for one run: a second one waits (``wait``) or refuses clearly."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".aicapex-run.lock"
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise RunInProgress(
                f"another aicapex run is using {warehouse_dir} ({holder}); wait for it to "
                "finish, or pass --wait to queue behind it"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
