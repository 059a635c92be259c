"""Paths that try to leave their folder — ``..``, an absolute path, a symlink pointing out — are
refused before anything is read or written: in the snapshot, in a filing folder, in the landing
zone, and in the ticker and accession names that become path parts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.config import settings_for
from orchestration.landing import PathEscape, inside, land
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, Settings
from orchestration.sources.base import Document, SourceError, land_document
from orchestration.sources.sec_filings.accessions import (
    FILINGS_ROOT,
    extract_filings,
    validate_accession,
)
from orchestration.universe import company_by_ticker, validate_ticker

ACCESSION = "0001045810-24-000029"
SECRET = b"outside the snapshot: must never be landed"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Snapshot-mode settings with every folder under ``tmp_path``; the snapshot folder empty."""
    settings = settings_for(mode="snapshot", snapshot_dir=tmp_path / "snapshot",
                            landing_dir=tmp_path / "landing",
                            warehouse_dir=tmp_path / "warehouse", reports_dir=tmp_path / "reports")
    settings.snapshot_dir.mkdir()
    return settings


def outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "secret.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(SECRET)
    return target


def link_out(tmp_path: Path, link: Path) -> None:
    """Make ``link`` (its folders created) a symlink to the secret file outside the snapshot."""
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside_file(tmp_path))


def landed_bytes(settings: Settings) -> list[bytes]:
    return [p.read_bytes() for p in settings.landing_dir.rglob("*") if p.is_file()
            and p.name != settings.landing_log.name]


def assert_refused(settings: Settings, relative: str, message: str) -> None:
    """Landing the snapshot document ``relative`` fails with ``message``, logged, nothing
    landed."""
    doc = Document(source="gpu_prices", partition="gpu", label="gpu_prices",
                   relative_path=relative, validate=lambda b, w: None)
    with pytest.raises(SourceError, match=message):
        land_document(settings, doc)
    (entry,) = [json.loads(x) for x in settings.landing_log.read_text().splitlines()]
    assert entry["status"] == "failed"
    assert landed_bytes(settings) == []


@pytest.mark.fault(
    kind="path escape",
    injected="a snapshot document whose relative path is {param}",
    expected="SourceError 'refusing snapshot path'; landing log 'failed'; nothing read or landed",
)
@pytest.mark.parametrize("relative", ["../outside/secret.json", "{tmp}/outside/secret.json"],
                         ids=["dot-dot", "absolute"])
def test_snapshot_path_leaving_the_snapshot_is_refused(tmp_path, settings, relative):
    outside_file(tmp_path)
    assert_refused(settings, relative.format(tmp=tmp_path), "refusing snapshot path")


@pytest.mark.fault(
    kind="path escape",
    injected="a snapshot document that is a symlink to a file outside the snapshot",
    expected="SourceError naming the link and its target; nothing landed",
)
def test_snapshot_symlink_pointing_out_is_refused(tmp_path, settings):
    link_out(tmp_path, settings.snapshot_dir / "gpu" / "prices.json")
    assert_refused(settings, "gpu/prices.json", r"prices\.json.* is a link to .*secret\.json")


@pytest.mark.fault(
    kind="path escape",
    injected="a snapshot folder that is a symlink to the same folder of another snapshot",
    expected="tolerated by design: a mirror keeps the layout, so the file is read",
)
def test_snapshot_mirrored_by_symlinks_is_read(settings):
    """A symlink to the same relative path in another snapshot (how test mirrors are built)."""
    (settings.snapshot_dir / "energy").symlink_to(DEFAULT_SNAPSHOT_DIR / "energy")
    relative = next(p for p in (DEFAULT_SNAPSHOT_DIR / "energy").rglob("*") if p.is_file())
    relative_path = relative.relative_to(DEFAULT_SNAPSHOT_DIR).as_posix()
    assert inside(settings.snapshot_dir, relative_path, "snapshot", mirror=True).is_file()


@pytest.mark.fault(
    kind="path escape",
    injected="a file in a snapshot filing folder that is a symlink out of sec-edgar-filings",
    expected="the filing fails naming the file ('is a link to'); nothing of it landed",
)
def test_filing_file_linking_out_is_refused(tmp_path, settings):
    folder = settings.snapshot_dir / FILINGS_ROOT / "NVDA" / "10-K" / ACCESSION
    link_out(tmp_path, folder / "primary-document.html")
    result = extract_filings(settings, company_by_ticker("NVDA"))
    assert result.landed == []
    (failure,) = result.failed
    assert ACCESSION in failure and "primary-document.html" in failure
    assert "is a link to" in failure
    assert SECRET not in b"".join(landed_bytes(settings))


@pytest.mark.fault(
    kind="path escape",
    injected="the landing zone's sec/ folder replaced by a symlink to a folder outside it",
    expected="land() refuses (PathEscape); nothing written through the link",
)
def test_landing_through_a_symlink_out_is_refused(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (landing / "sec").symlink_to(elsewhere)
    with pytest.raises(PathEscape, match="is a link to"):
        land(landing, "sec/doc.json", b"{}", source="s", partition="p", origin="o")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.fault(
    kind="path escape",
    injected="a ticker or accession number that is a path: {param}",
    expected="ValueError naming the value before it reaches a path",
)
@pytest.mark.parametrize(
    ("check", "value"),
    [(validate_ticker, "../../etc"), (validate_ticker, "/etc"), (validate_ticker, "NV/DA"),
     (validate_accession, "../0001045810-24-000029"), (validate_accession, "/tmp/x")],
    ids=["ticker-dot-dot", "ticker-absolute", "ticker-slash", "accession-dot-dot",
         "accession-absolute"],
)
def test_names_that_become_path_parts_are_validated(check, value):
    with pytest.raises(ValueError, match="invalid"):
        check(value)
