"""Content fingerprints: what decides that a raw table or a whole build has nothing new."""

from __future__ import annotations

import duckdb

from orchestration.config import settings_for
from orchestration.load_state import (
    build_fingerprint,
    ensure_state_table,
    published_build,
    record_files,
    record_published,
    sha256_file,
)


def _build_db(path, hashes):
    with duckdb.connect(str(path)) as con:
        ensure_state_table(con)
        record_files(con, "sec_company_facts", hashes, "loader-1")


def test_build_fingerprint_follows_the_landed_files(tmp_path):
    db = tmp_path / "build.duckdb"
    _build_db(db, {"a.json": "1", "b.json": "2"})
    first = build_fingerprint(db)
    assert build_fingerprint(db) == first
    _build_db(db, {"a.json": "1", "b.json": "3"})
    assert build_fingerprint(db) != first
    _build_db(db, {"a.json": "1", "b.json": "2"})
    assert build_fingerprint(db) == first


def test_a_table_loaded_from_no_file_is_still_recorded(tmp_path):
    db = tmp_path / "build.duckdb"
    _build_db(db, {})
    with duckdb.connect(str(db)) as con:
        assert con.execute("select table_name, source_file from raw._load_state").fetchall() \
            == [("sec_company_facts", "")]


def test_published_state_is_void_once_the_served_file_changes(tmp_path):
    settings = settings_for(warehouse_dir=tmp_path)
    assert published_build(settings) is None
    settings.marts_db.write_bytes(b"version 1")
    record_published(settings, "f1", "run-1")
    state = published_build(settings)
    assert state == {"fingerprint": "f1", "run_id": "run-1",
                     "marts_sha256": sha256_file(settings.marts_db)}
    settings.marts_db.write_bytes(b"version 0, rolled back")
    assert published_build(settings) is None
    (tmp_path / "published_state.json").write_text("{not json")
    assert published_build(settings) is None
