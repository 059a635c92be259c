"""The one ingest protocol: landing log -> raw loads, "unchanged", and the two asset factories."""

from __future__ import annotations

import duckdb

from orchestration.assets.ingest import SOURCES, extract_asset, ingest_assets, raw_load_asset
from orchestration.landing import landed_files
from orchestration.sources.epoch import EPOCH_SOURCE, extract_epoch
from orchestration.sources.sec_company_facts import COMPANY_FACTS_SOURCE, extract_sec_document
from orchestration.sources.sec_company_facts.api import COMPANY_FACTS
from tests.unit.support import NVDA, NVDA_FACTS_SHA256, ORCL, snapshot_settings


def test_landed_files_come_from_the_landing_log_latest_record_per_file(tmp_path):
    settings = snapshot_settings(tmp_path)
    extract_sec_document(settings, COMPANY_FACTS, NVDA)
    extract_sec_document(settings, COMPANY_FACTS, NVDA)  # unchanged: still one file
    extract_sec_document(settings, COMPANY_FACTS, ORCL)  # missing from the snapshot

    [landed] = landed_files(settings.landing_dir, ["companyfacts"])
    assert (landed.source, landed.partition, landed.sha256) == (
        "companyfacts", "NVDA", NVDA_FACTS_SHA256)
    assert landed.path == settings.landing_dir / "sec/companyfacts/CIK0001045810.json"
    assert landed_files(settings.landing_dir, ["submissions"]) == []


def test_a_file_on_disk_that_the_log_never_recorded_is_not_loaded(tmp_path):
    settings = snapshot_settings(tmp_path)
    extract_sec_document(settings, COMPANY_FACTS, NVDA)
    stray = settings.landing_dir / "sec/companyfacts/CIK0001652044.json"
    stray.write_bytes((settings.landing_dir / "sec/companyfacts/CIK0001045810.json").read_bytes())

    con = duckdb.connect()
    [loaded] = COMPANY_FACTS_SOURCE.load(con, settings)
    assert (loaded.table, loaded.rows) == ("sec_company_facts", 26_903)
    assert con.execute("select distinct cik from raw.sec_company_facts").fetchall() == [
        (1045810,)]


def test_file_source_loads_what_was_landed_then_finds_it_unchanged(tmp_path):
    settings = snapshot_settings(tmp_path)
    assert extract_epoch(settings)[0].status == "landed"
    con = duckdb.connect()

    [first] = EPOCH_SOURCE.load(con, settings)
    [again] = EPOCH_SOURCE.load(con, settings)

    assert (first.rows, first.metadata["unchanged"]) == (15, False)
    assert (again.rows, again.metadata["unchanged"]) == (15, True)
    fy26q3, = con.execute(
        "select data_center_revenue_usd from raw.epoch_nvidia_quarterly_revenue "
        "where fiscal_label = 'FY26Q3'").fetchall()
    assert fy26q3[0] > 0


def test_the_factories_keep_the_asset_keys_groups_and_pools():
    extract = extract_asset(EPOCH_SOURCE)
    assert [k.path for k in extract.keys] == [["other", "epoch_nvidia_revenue"]]
    assert extract.specs_by_key[extract.key].group_name == "gpu_extract"

    load = raw_load_asset("raw_sec", [COMPANY_FACTS_SOURCE])
    assert load.node_def.name == "raw_sec"
    assert [k.path for k in load.keys] == [["raw", "sec_company_facts"]]
    assert load.op.pool == "warehouse"

    assets = ingest_assets()
    keys = {tuple(k.path) for a in assets for k in a.keys}
    assert {s.key for s in SOURCES} <= keys
    assert ("raw", "landing_log") in keys
    sec = next(a for a in assets if next(iter(a.keys)).path == ["sec", "companyfacts"])
    assert sec.op.pool == "sec_api" and sec.partitions_def is not None
