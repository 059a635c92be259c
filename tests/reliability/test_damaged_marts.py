"""The published ``marts.duckdb`` truncated or overwritten by hand: ``aicapex query`` says so
(no traceback), ``aicapex rollback`` restores the last good version, and the next publish
replaces the damaged file (kept aside for inspection, never offered to a rollback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestration.cli import EXIT_OK, EXIT_USAGE, main
from orchestration.load_state import published_build, record_published
from orchestration.publish import last_good_published
from orchestration.report.charts import CHARTS

from .published import digest, private_warehouse, publish_count, publish_new_version

QUERY = "select count(*) as n from fct_ai_capex"


def damage(marts: Path, how: str) -> None:
    data = marts.read_bytes()
    if how == "truncated":
        marts.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        marts.write_bytes(os.urandom(len(data)))
    else:
        marts.write_bytes(b"")


@pytest.fixture
def damaged(tmp_path, published_once, monkeypatch, request):
    """A private warehouse with one kept version, whose published file is then damaged."""
    settings = private_warehouse(published_once, tmp_path)
    publish_new_version(settings, "second")
    record_published(settings, "fingerprint-of-second", "second")
    assert published_build(settings) is not None
    monkeypatch.setenv("AICAPEX_WAREHOUSE_DIR", str(settings.warehouse_dir))
    good = digest(settings.marts_db)
    damage(settings.marts_db, request.param)
    return settings, good


CASES = pytest.mark.parametrize("damaged", ["truncated", "garbage", "empty"], indirect=True)


@pytest.mark.fault(
    kind="damaged published file",
    injected="marts.duckdb {param} by hand (half its bytes / random bytes / zero bytes)",
    expected="`aicapex query` exits 2 saying the file is damaged and naming `aicapex rollback`, "
             "no traceback; `aicapex rollback` restores the last good version, queries answer",
)
@CASES
def test_query_names_the_damage_and_rollback_restores(damaged, capsys):
    settings, _ = damaged
    assert main(["query", QUERY]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{settings.marts_db} is damaged" in err and "aicapex rollback" in err
    assert "Traceback" not in err

    assert main(["rollback"]) == EXIT_OK
    assert "restored marts-" in capsys.readouterr().out
    assert main(["query", QUERY, "--format", "csv"]) == EXIT_OK
    assert int(capsys.readouterr().out.splitlines()[1]) > 40
    parked = list((settings.history_dir / "rolled_back").glob("marts-*.duckdb"))
    assert len(parked) == 1  # the damaged file, kept aside


@pytest.mark.fault(
    kind="damaged published file",
    injected="marts.duckdb {param} by hand, then the next publish",
    expected="the run is not skipped as unchanged; the new file is published with the "
             "publish_log history of the last good version; the damaged one is kept in "
             "history/damaged/, never offered to a rollback",
)
@CASES
def test_next_publish_replaces_a_damaged_file(damaged, capsys):
    settings, _ = damaged
    assert published_build(settings) is None  # so `aicapex run` builds and publishes again
    assert last_good_published(settings) is not None  # the volume gate compares with it
    versions = publish_count(last_good_published(settings))

    result = publish_new_version(settings, "after-damage")

    assert not result.unchanged and result.previous_kept_as is None
    assert publish_count(settings.marts_db) == versions + 1
    assert main(["query", QUERY]) == EXIT_OK
    assert len(list((settings.history_dir / "damaged").glob("marts-*.duckdb"))) == 1
    assert main(["rollback"]) == EXIT_OK  # to the last good version, not the damaged one
    assert publish_count(settings.marts_db) == versions


@pytest.mark.fault(
    kind="damaged published file",
    injected="marts.duckdb {param} by hand (the case that still opens: its blocks are "
             "missing), then `aicapex report` (the analyst page)",
    expected="the page says the published file is damaged and names `aicapex rollback` (not "
             "'nothing published'), every chart a note saying so; after the rollback the page "
             "has its charts again",
)
@pytest.mark.parametrize("damaged", ["truncated"], indirect=True)  # the same check as query
def test_analyst_page_names_the_damage(damaged, tmp_path, monkeypatch, capsys):
    settings, _ = damaged
    monkeypatch.setenv("AICAPEX_REPORTS_DIR", str(tmp_path / "reports"))
    assert main(["report"]) == EXIT_OK
    assert f"{settings.marts_db} is damaged" in capsys.readouterr().out
    page = (tmp_path / "reports" / "latest" / "index.html").read_text(encoding="utf-8")
    assert f"The published file is damaged</b>: {settings.marts_db} is damaged" in page
    assert "`aicapex rollback` restores the last good version" in page
    assert "nothing published" not in page and "not published yet" not in page
    assert page.count("class='missing'") == len(CHARTS)  # every chart a note ...
    assert "fct_ai_capex (the published file is damaged)" in page  # ... saying why
    assert "Plotly.newPlot(" not in page

    assert main(["rollback"]) == EXIT_OK
    assert main(["report"]) == EXIT_OK
    page = (tmp_path / "reports" / "latest" / "index.html").read_text(encoding="utf-8")
    assert "is damaged" not in page and "Plotly.newPlot(" in page
