"""Parsing ahead: the first dbt build in a new warehouse folder finds the project parsed for its
database path, by a ``dbt parse`` that ran while the run extracted and loaded."""

from __future__ import annotations

import subprocess

from orchestration.dbt_project import (
    AHEAD_DIR,
    DBT_PROJECT_DIR,
    PARSED_FOR,
    _parse_command,
    _parsed_for,
    parse_ahead,
    partial_parse_for,
)


def test_a_new_warehouse_path_is_parsed_once_in_the_background_and_handed_to_the_build(tmp_path):
    build_db = tmp_path / "warehouse" / "aicapex.duckdb"
    assert parse_ahead(build_db)  # a path no parse was made for: started
    assert not parse_ahead(build_db)  # the parse is running (its lock is held): not twice

    target = tmp_path / "target"
    assert partial_parse_for(build_db, target)  # waits for the parse, then copies it
    assert (target / "partial_parse.msgpack").is_file()
    folder = build_db.parent / AHEAD_DIR
    assert (folder / PARSED_FOR).read_text() == str(build_db)
    assert not parse_ahead(build_db)  # parsed for this path already

    # dbt itself accepts it: a parse of the same path in that target needs no full re-parse
    again = subprocess.run([*_parse_command(build_db), "--target-path", str(target)],
                           cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=True)
    assert "Unable to do partial parsing" not in again.stdout + again.stderr

    # a copied warehouse: the parse made for the old path is not handed to the new one (the
    # run would start its own parse for it)
    other = tmp_path / "copy" / "aicapex.duckdb"
    other.parent.mkdir()
    folder.rename(other.parent / AHEAD_DIR)
    assert not _parsed_for(other.parent / AHEAD_DIR, other)
    assert not partial_parse_for(other, tmp_path / "other-target")
    assert not (tmp_path / "other-target").exists()
