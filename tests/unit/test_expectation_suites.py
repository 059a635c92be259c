"""Every published mart has a reviewed GX suite whose expectations GX can build."""

from __future__ import annotations

import great_expectations as gx
import pytest

from orchestration.gates import load_suite_json
from orchestration.publish import MARTS
from orchestration.settings import EXPECTATIONS_DIR


def test_marts_come_from_the_dbt_marts_folder():
    assert {"fct_ai_capex", "fct_ai_capex_annual", "dim_company"} <= set(MARTS)


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_has_a_suite(mart):
    suite = load_suite_json(EXPECTATIONS_DIR / f"{mart}.json")
    assert suite["name"] == mart
    assert suite["expectations"], f"{mart}: empty suite"
    built = gx.ExpectationSuite(name=mart, expectations=suite["expectations"])
    assert len(built.expectations) == len(suite["expectations"])


def test_unreadable_suite_is_named(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json"):
        load_suite_json(bad)
