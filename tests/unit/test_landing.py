"""The landing zone: atomic writes, idempotent landing, path confinement, the landing log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orchestration import landing
from orchestration.landing import LandingRecord, append_log, atomic_write, land, sha256_hex

# --- atomic_write --------------------------------------------------------------------------


def test_atomic_write_creates_parents_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "doc.json"

    atomic_write(target, b'{"x": 1}')

    assert target.read_bytes() == b'{"x": 1}'
    assert sorted(p.name for p in target.parent.iterdir()) == ["doc.json"]


def test_atomic_write_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    target.write_bytes(b"old contents that are longer than the new ones")

    atomic_write(target, b"new")

    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_atomic_write_failing_replace_keeps_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doc.json"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: object) -> None:
        assert Path(src).read_bytes() == b"new"  # the full new file was written aside
        raise OSError("disk on fire")

    monkeypatch.setattr(landing.os, "replace", broken_replace)

    with pytest.raises(OSError, match="disk on fire"):
        atomic_write(target, b"new")

    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


@pytest.mark.parametrize("exc_type", [OSError, KeyboardInterrupt])
def test_atomic_write_failing_while_writing_keeps_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc_type: type[BaseException]
) -> None:
    target = tmp_path / "doc.json"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise exc_type("interrupted mid-write")

    monkeypatch.setattr(landing.os, "fsync", broken_fsync)

    with pytest.raises(exc_type):
        atomic_write(target, b"new")

    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_atomic_write_failure_on_a_new_path_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: object) -> None:
        raise OSError("no")

    monkeypatch.setattr(landing.os, "replace", broken_replace)

    with pytest.raises(OSError):
        atomic_write(tmp_path / "new.json", b"data")

    assert list(tmp_path.iterdir()) == []


# --- sha256_hex / utc_now ------------------------------------------------------------------


def test_sha256_hex_matches_hashlib() -> None:
    assert sha256_hex(b"") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert sha256_hex(b"aicapex") == hashlib.sha256(b"aicapex").hexdigest()


def test_utc_now_is_an_aware_utc_timestamp_in_seconds() -> None:
    stamp = landing.utc_now()
    parsed = datetime.fromisoformat(stamp)

    assert parsed.utcoffset() == timedelta(0)
    assert parsed.microsecond == 0
    assert abs(datetime.now(UTC) - parsed) < timedelta(minutes=1)


# --- land ----------------------------------------------------------------------------------


def test_land_then_land_again_is_unchanged(tmp_path: Path) -> None:
    landing_dir = tmp_path / "landing"
    data = b'{"cik": 1045810}'
    rel = "sec/companyfacts/CIK0001045810.json"

    first = land(landing_dir, rel, data, source="companyfacts", partition="NVDA",
                 origin="https://example.test/x")
    target = landing_dir / rel
    inode = target.stat().st_ino
    second = land(landing_dir, rel, data, source="companyfacts", partition="NVDA",
                  origin="https://example.test/x")

    assert first.status == "landed"
    assert second.status == "unchanged"
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert first.bytes == second.bytes == len(data)
    assert first.landed_path == second.landed_path == str(target.resolve())
    assert (first.source, first.partition, first.origin) == (
        "companyfacts", "NVDA", "https://example.test/x"
    )
    assert first.detail is None
    assert target.read_bytes() == data
    assert target.stat().st_ino == inode  # not rewritten
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_land_new_bytes_replace_the_file(tmp_path: Path) -> None:
    landing_dir = tmp_path / "landing"
    land(landing_dir, "a/doc.json", b"v1", source="s", partition="p", origin="o")

    record = land(landing_dir, "a/doc.json", b"v2", source="s", partition="p", origin="o")

    assert record.status == "landed"
    assert record.sha256 == sha256_hex(b"v2")
    assert (landing_dir / "a" / "doc.json").read_bytes() == b"v2"


@pytest.mark.fault(
    kind="path escape",
    injected="land() asked to write at the relative path {param}",
    expected="PathEscape (ValueError) 'refusing landing path'; nothing written",
)
@pytest.mark.parametrize(
    "relative", ["../x", "../landing-evil/x", "sec/../../x", "{tmp}/absolute.json", "", "."]
)
def test_land_refuses_paths_outside_the_landing_dir(tmp_path: Path, relative: str) -> None:
    landing_dir = tmp_path / "landing"
    landing_dir.mkdir()
    relative = relative.format(tmp=tmp_path)  # an absolute path, but still inside tmp_path

    with pytest.raises(ValueError, match="refusing landing path"):
        land(landing_dir, relative, b"data", source="s", partition="p", origin="o")

    assert list(landing_dir.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["landing"]


def test_land_refuses_a_symlink_escaping_the_landing_dir(tmp_path: Path) -> None:
    landing_dir = tmp_path / "landing"
    outside = tmp_path / "outside"
    landing_dir.mkdir()
    outside.mkdir()
    (landing_dir / "link").symlink_to(outside, target_is_directory=True)

    with pytest.raises(ValueError, match="refusing landing path"):
        land(landing_dir, "link/x.json", b"data", source="s", partition="p", origin="o")

    assert list(outside.iterdir()) == []


def test_land_accepts_a_relative_landing_dir(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    record = land(Path("landing"), "sec/x.json", b"1", source="s", partition="p", origin="o")

    assert record.status == "landed"
    assert (tmp_path / "landing" / "sec" / "x.json").read_bytes() == b"1"


# --- append_log ----------------------------------------------------------------------------


def test_append_log_writes_one_json_line_per_record(tmp_path: Path) -> None:
    log = tmp_path / "nested" / "landing_log.jsonl"
    records = [
        LandingRecord("companyfacts", "NVDA", "https://x/1", "/l/1", "ab" * 32, 10,
                      "2026-01-01T00:00:00+00:00", "landed"),
        LandingRecord("submissions", "ORCL", "/snap/2", None, None, None,
                      "2026-01-01T00:00:01+00:00", "missing", "not in snapshot"),
        LandingRecord("companyfacts", "MSFT", "https://x/3", None, None, None,
                      "2026-01-01T00:00:02+00:00", "failed", 'line\nbreak "quoted"'),
    ]

    for record in records:
        append_log(log, record)

    text = log.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n")
    assert len(lines) == 3
    assert [json.loads(line) for line in lines] == [asdict(r) for r in records]
    assert list(json.loads(lines[0])) == sorted(asdict(records[0]))  # keys sorted


def test_append_log_appends_to_an_existing_log(tmp_path: Path) -> None:
    log = tmp_path / "landing_log.jsonl"
    log.write_text('{"earlier": true}\n', encoding="utf-8")
    record = LandingRecord("s", "p", "o", None, None, None, "t", "missing")

    append_log(log, record)

    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"earlier": true}'
    assert json.loads(lines[1])["status"] == "missing"
