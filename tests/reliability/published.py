"""A private copy of the session's built warehouse, and cheap new published versions of it
(``orchestration.publish.publish`` called directly: no pipeline run)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from bench.load import delete_one_capex_row
from orchestration.config import settings_for
from orchestration.publish import PublishResult, publish
from orchestration.quality.ledger import RunLedger
from orchestration.settings import Settings


def private_warehouse(published_once: Path, root: Path) -> Settings:
    shutil.copytree(published_once / "warehouse", root / "warehouse", symlinks=True)
    return settings_for(warehouse_dir=root / "warehouse", landing_dir=root / "landing",
                        reports_dir=root / "reports")


def publish_new_version(settings: Settings, run_id: str) -> PublishResult:
    """Publish the audit marts with one capex row fewer (a different, valid version)."""
    delete_one_capex_row(settings.build_db)
    return publish(settings, RunLedger(run_id=run_id))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish_count(marts: Path) -> int:
    with duckdb.connect(str(marts), read_only=True) as con:
        row = con.execute("select count(*) from publish_log").fetchone()
    assert row is not None
    return int(row[0])
