"""A full disk (writes raise ``ENOSPC``) while landing and while publishing: nothing
half-written is left where a reader or a rollback would find it, the published file is the old
one (hash), and the next attempt completes."""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from pathlib import Path

import duckdb
import pytest

from orchestration.config import settings_for
from orchestration.dbt_project import published_mart_names
from orchestration.landing import land
from orchestration.publish import PublishError
from orchestration.settings import DEFAULT_SNAPSHOT_DIR
from orchestration.sources.sec_company_facts import ExtractError, extract_sec_document
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS
from orchestration.universe import company_by_ticker

from .published import digest, private_warehouse, publish_count, publish_new_version

NVDA = company_by_ticker("NVDA")
OLD_BODY = b'{"cik": 1045810, "entityName": "an older landing"}'


def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FullDiskFile:
    """A file whose ``write`` gets half the bytes on disk, then fails with ``ENOSPC``."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        no_space()
        return 0

    def __getattr__(self, name: str):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


def files_under(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): digest(p) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.fault(
    kind="disk full",
    injected="ENOSPC from the write of a landed file (half the bytes written, then the error; "
             "os.fdopen patched), over an earlier landing of the same document",
    expected="ExtractError naming the file and 'No space left'; the earlier file intact "
             "(hash), no temporary left, landing log 'failed'; the next extract lands it",
)
def test_disk_full_while_landing(tmp_path, monkeypatch):
    settings = settings_for(mode="snapshot", snapshot_dir=DEFAULT_SNAPSHOT_DIR,
                            landing_dir=tmp_path / "landing", warehouse_dir=tmp_path / "wh",
                            reports_dir=tmp_path / "reports")
    relative = COMPANY_FACTS.relative_path(NVDA.cik)
    land(settings.landing_dir, relative, OLD_BODY, source="companyfacts", partition="NVDA",
         origin="earlier")
    real_fdopen = os.fdopen
    with monkeypatch.context() as patch:
        patch.setattr(os, "fdopen", lambda *a, **k: FullDiskFile(real_fdopen(*a, **k)))
        with pytest.raises(ExtractError, match=r"cannot land .*CIK0001045810\.json.*No space"):
            extract_sec_document(settings, COMPANY_FACTS, NVDA)

    assert (settings.landing_dir / relative).read_bytes() == OLD_BODY
    assert [p.name for p in settings.landing_dir.rglob("*.tmp")] == []
    assert "failed" in settings.landing_log.read_text().splitlines()[-1]
    record, _ = extract_sec_document(settings, COMPANY_FACTS, NVDA)
    assert record.status == "landed"
    assert Path(record.landed_path).read_bytes() == (DEFAULT_SNAPSHOT_DIR / relative).read_bytes()


@pytest.mark.fault(
    kind="disk full",
    injected="ENOSPC while publishing: {param}",
    expected="publish raises; marts.duckdb is the old file (hash), no .marts-* temporary, no "
             "partial file in history/; the next publish completes",
)
@pytest.mark.parametrize("where", ["history-copy", "fsync-of-new-file"])
def test_disk_full_while_publishing(tmp_path, published_once, monkeypatch, where):
    settings = private_warehouse(published_once, tmp_path)
    before, history_before = digest(settings.marts_db), files_under(settings.history_dir)
    versions = publish_count(settings.marts_db)
    real_copy = shutil.copy2

    def copy_half_then_fail(source, target, **_kwargs):
        Path(target).write_bytes(Path(source).read_bytes()[:4096])
        no_space()

    with monkeypatch.context() as patch:
        if where == "history-copy":
            patch.setattr(shutil, "copy2", copy_half_then_fail)
        else:
            patch.setattr(os, "fsync", no_space)
        with pytest.raises(OSError, match="No space left") as info:
            publish_new_version(settings, "disk-full")
    assert info.value.errno == errno.ENOSPC
    assert shutil.copy2 is real_copy

    assert digest(settings.marts_db) == before
    assert list(settings.warehouse_dir.glob(".marts-*")) == []
    assert files_under(settings.history_dir) == history_before
    result = publish_new_version(settings, "after-disk-full")
    assert not result.unchanged and digest(settings.marts_db) != before
    assert publish_count(settings.marts_db) == versions + 1
    assert digest(result.previous_kept_as) == before  # the old file, whole, kept for rollback


FIXED = uuid.UUID(int=0x19)


def parquet_rows(path: Path) -> int:
    with duckdb.connect() as con:
        row = con.execute(f"select count(*) from '{path}'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.fault(
    kind="disk full",
    injected="ENOSPC from the kernel while DuckDB writes the Parquet export of the third mart "
             "(its temporary file is a symlink to /dev/full, planted when publish names its "
             "temporaries: uuid4 patched)",
    expected="PublishError naming the mart, the folder and 'No space left'; marts.duckdb and "
             "every Parquet file are the previous version (hashes), no temporary left; the "
             "next publish exports every mart, matching the new marts.duckdb",
)
def test_disk_full_while_exporting_parquet(tmp_path, published_once, monkeypatch):
    settings = private_warehouse(published_once, tmp_path)
    parquet = settings.parquet_dir
    marts_before, exports_before = digest(settings.marts_db), files_under(parquet)
    assert len(exports_before) == len(published_mart_names())
    capex_rows = parquet_rows(parquet / "fct_ai_capex.parquet")
    victim = published_mart_names()[2]
    full = parquet / f".{victim}.{FIXED.hex}.parquet"

    def fixed_uuid_over_a_full_disk() -> uuid.UUID:
        if not full.is_symlink():  # planted once publish has removed stale temporaries
            full.symlink_to("/dev/full")
        return FIXED

    with monkeypatch.context() as patch:
        patch.setattr(uuid, "uuid4", fixed_uuid_over_a_full_disk)
        with pytest.raises(PublishError, match=rf"Parquet export to {parquet} failed at "
                                                rf"{victim}\.parquet: .*No space left on device"):
            publish_new_version(settings, "disk-full-parquet")

    assert digest(settings.marts_db) == marts_before
    assert files_under(parquet) == exports_before
    assert [p.name for p in parquet.iterdir() if p.name.startswith(".")] == []  # no temporary
    assert list(settings.warehouse_dir.glob(".marts-*")) == []
    result = publish_new_version(settings, "after-disk-full-parquet")
    assert not result.unchanged and digest(settings.marts_db) != marts_before
    assert sorted(files_under(parquet)) == sorted(exports_before)
    for table in published_mart_names():
        assert parquet_rows(parquet / f"{table}.parquet") == result.row_counts[table], table
    assert result.row_counts["fct_ai_capex"] < capex_rows  # the new version, not the old
