"""The synthetic universe of the growth bench: copies of the recorded companies that the loaders
read as other companies (shifted CIK and accession numbers), never mistaken for real data."""

from __future__ import annotations

import json

import duckdb

from bench.growth import make_project, make_snapshot, rewrite, synthetic_ticker, universe
from orchestration.sources.sec_company_facts.tables import load_company_facts
from tests.unit.support import FIXTURES, NVDA_FACTS

NVDA_CIK = 1045810


def test_a_copy_of_nvidia_loads_as_another_company_with_the_same_facts():
    copy = json.loads(rewrite(NVDA_FACTS.read_bytes(), [NVDA_CIK], 3))
    real = json.loads(NVDA_FACTS.read_bytes())
    assert copy["cik"] == 1_000_000_000 + 3 * 5_000_000 + NVDA_CIK
    capex = copy["facts"]["us-gaap"]["PaymentsToAcquireProductiveAssets"]["units"]["USD"]
    real_capex = real["facts"]["us-gaap"]["PaymentsToAcquireProductiveAssets"]["units"]["USD"]
    assert [f["val"] for f in capex] == [f["val"] for f in real_capex]
    assert {f["accn"][:10] for f in capex} == {"1016045810"}  # was 0001045810-...
    assert rewrite(NVDA_FACTS.read_bytes(), [NVDA_CIK], 0) == NVDA_FACTS.read_bytes()


def test_every_form_of_the_cik_is_shifted():
    meta = 1326801
    for body in (b'{"cik":"1326801"}', b'{"cik": 1326801}', b'{"cik":"0001326801"}'):
        assert json.loads(rewrite(body, [meta], 1))["cik"] in (1006326801, "1006326801")


def test_synthetic_universe_snapshot_and_seeds(tmp_path):
    members = universe(12)
    assert [synthetic_ticker(b.ticker, c) for b, c in members][5:8] == [
        "ORCL", "MSFTXAAB", "GOOGLXAAB"]
    make_snapshot(FIXTURES, tmp_path / "snapshot", 12, sec_only=True)
    facts = sorted((tmp_path / "snapshot" / "sec" / "companyfacts").glob("*.json"))
    assert [p.name for p in facts] == ["CIK0001045810.json", "CIK0001652044.json",
                                       "CIK1006045810.json", "CIK1006652044.json"]
    assert "Synthetic" in (tmp_path / "snapshot" / "SYNTHETIC.md").read_text()
    with duckdb.connect() as con:
        assert load_company_facts(con, facts).rows == 2 * 47_227
        assert con.execute("select count(distinct cik) from raw.sec_company_facts"
                           ).fetchall() == [(4,)]
    project = make_project(tmp_path / "project", 12)
    seeds = project / "dbt_project" / "seeds"
    # the universe totals' bounds double with two copies (the 600-company run once failed the
    # real bound on hyperscaler capex, summed over 500 hyperscaler copies); per-company ones stay
    monetization = json.loads((project / "expectations" / "fct_ai_monetization.json").read_text())
    bounds = {e["kwargs"]["column"]: e["kwargs"].get("max_value")
              for e in monetization["expectations"] if "column" in e["kwargs"]}
    assert bounds["companies_reporting"] == 10
    assert bounds["hyperscaler_capex_usd"] == 2_000_000_000_000
    assert bounds["nvidia_data_center_revenue_usd"] == 500_000_000_000
    companies = (seeds / "companies.csv").read_text()
    assert "NVDAXAAB,1006045810,NVIDIA Corporation (synthetic copy 1),1,false" in companies
    assert "GOOGLXAAB,depreciation_amortization" in (seeds / "concept_overrides.csv").read_text()
