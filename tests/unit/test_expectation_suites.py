"""Every published mart has a reviewed GX suite whose expectations GX can build, and no
expectation repeats a dbt test: dbt owns row and column rules (not null, unique, accepted values,
ranges, column order), GX what dbt cannot say (bands dbt does not set, volume, distributions)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import great_expectations as gx
import pytest

from orchestration.dbt_project import ensure_manifest, published_mart_names, read_manifest
from orchestration.quality.gx import load_suite_json
from orchestration.settings import EXPECTATIONS_DIR

MARTS = published_mart_names()

# a rule, whatever says it: ("not_null", col), ("unique", cols), ("in_set", col, values),
# ("min", col, bound), ("max", col, bound), ("order", greater, smaller, or_equal)
Rule = tuple
_NOT_NULL_EXPRESSION = re.compile(r"^\s*(\w+)\s+is\s+not\s+null\b", re.IGNORECASE)
_ORDER_EXPRESSION = re.compile(r"^\s*(\w+)\s*(>=|>|<=|<)\s*(\w+)\s*$")


def _dbt_rules(node: dict) -> Iterator[Rule]:
    """The rules a generic dbt test states (unknown tests state none we compare)."""
    meta = node.get("test_metadata") or {}
    name, kwargs, column = meta.get("name"), meta.get("kwargs") or {}, node.get("column_name")
    if name == "not_null":
        yield ("not_null", column)
    elif name == "unique":
        yield ("unique", frozenset([column]))
    elif name == "unique_combination_of_columns":
        yield ("unique", frozenset(kwargs["combination_of_columns"]))
    elif name == "accepted_values":
        yield ("in_set", column, frozenset(kwargs["values"]))
    elif name == "accepted_range":
        for side in ("min", "max"):
            if kwargs.get(f"{side}_value") is not None:
                yield (side, column, kwargs[f"{side}_value"])
    elif name == "expression_is_true":
        expression = kwargs["expression"]
        if match := _NOT_NULL_EXPRESSION.match(expression):
            yield ("not_null", match[1])  # "x is not null or <condition>": x where it matters
        elif match := _ORDER_EXPRESSION.match(expression):
            left, op, right = match.groups()
            greater, smaller = (left, right) if op.startswith(">") else (right, left)
            yield ("order", greater, smaller, op.endswith("="))


def _gx_rules(expectation: dict) -> Iterator[Rule]:
    kind, kwargs = expectation["type"], expectation["kwargs"]
    column = kwargs.get("column")
    if kind == "expect_column_values_to_not_be_null":
        yield ("not_null", column)  # with or without a row condition
    elif kind == "expect_column_values_to_be_unique":
        yield ("unique", frozenset([column]))
    elif kind == "expect_compound_columns_to_be_unique":
        yield ("unique", frozenset(kwargs["column_list"]))
    elif kind == "expect_column_values_to_be_in_set":
        yield ("in_set", column, frozenset(kwargs["value_set"]))
    elif kind == "expect_column_values_to_be_between":
        for side in ("min", "max"):
            if kwargs.get(f"{side}_value") is not None:
                yield (side, column, kwargs[f"{side}_value"])
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        yield ("order", kwargs["column_A"], kwargs["column_B"], bool(kwargs.get("or_equal")))


def _implied(gx_rule: Rule, dbt_rule: Rule) -> bool:
    """The dbt rule already says what the GX rule says (on the same column, at least as
    strictly): the expectation would only repeat it."""
    if gx_rule[:2] != dbt_rule[:2]:
        return False
    kind = gx_rule[0]
    if kind == "in_set":
        return dbt_rule[2] <= gx_rule[2]
    if kind == "min":
        return dbt_rule[2] >= gx_rule[2]
    if kind == "max":
        return dbt_rule[2] <= gx_rule[2]
    if kind == "order":
        return gx_rule[2] == dbt_rule[2] and (gx_rule[3] or not dbt_rule[3])
    return True


def dbt_rules_by_model() -> dict[str, list[tuple[str, Rule]]]:
    manifest = read_manifest(ensure_manifest())
    rules: dict[str, list[tuple[str, Rule]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = manifest["nodes"][node["attached_node"]]["name"]
        rules.setdefault(model, []).extend((node["name"], r) for r in _dbt_rules(node))
    return rules


def duplicates_of_dbt_tests(mart: str, suite: dict, dbt_rules: list) -> list[str]:
    found = []
    for expectation in suite["expectations"]:
        for rule in _gx_rules(expectation):
            found += [f"{mart}: {expectation['type']} {expectation['kwargs']} repeats {test}"
                      for test, dbt_rule in dbt_rules if _implied(rule, dbt_rule)]
    return found


def test_marts_come_from_the_dbt_marts_folder():
    assert {"fct_ai_capex", "fct_ai_capex_annual", "dim_company"} <= set(MARTS)


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_has_a_suite(mart):
    suite = load_suite_json(EXPECTATIONS_DIR / f"{mart}.json")
    assert suite["name"] == mart
    assert suite["expectations"], f"{mart}: empty suite"
    built = gx.ExpectationSuite(name=mart, expectations=suite["expectations"])
    assert len(built.expectations) == len(suite["expectations"])


def test_no_expectation_repeats_a_dbt_test():
    rules = dbt_rules_by_model()
    assert rules.get("fct_ai_capex"), "no dbt tests found on the marts: is the manifest empty?"
    found = [d for mart in MARTS
             for d in duplicates_of_dbt_tests(
                 mart, load_suite_json(EXPECTATIONS_DIR / f"{mart}.json"), rules.get(mart, []))]
    assert not found, "\n".join(found)


def test_the_duplicate_finder_sees_a_repeated_rule():
    rules = dbt_rules_by_model()["fct_ai_capex"]
    suite = {"expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "ticker"}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "capex_usd", "min_value": 0, "max_value": 1}},
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["fiscal_quarter", "ticker", "fiscal_year"]}},
        {"type": "expect_column_pair_values_a_to_be_greater_than_b",
         "kwargs": {"column_A": "period_end", "column_B": "period_start"}},
        # an upper band dbt does not set is not a repeat
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "capex_ttm_usd", "max_value": 1}},
    ]}
    found = duplicates_of_dbt_tests("fct_ai_capex", suite, rules)
    assert len(found) == 4, found


def test_unreadable_suite_is_named(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json"):
        load_suite_json(bad)
