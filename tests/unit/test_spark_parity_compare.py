"""The row-for-row comparison behind `make test-scale` (pure: no Spark needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from orchestration.spark_target import MartComparison, ParityResult, compare_rows, format_report

COLUMNS = ["ticker", "fiscal_year", "capex_usd", "capex_to_revenue", "period_end"]
KEY = ("ticker", "fiscal_year")


def _row(ticker: str = "NVDA", year: int = 2025, capex: str = "1.50", ratio: float | None = 0.25):
    return (ticker, year, Decimal(capex), ratio, date(2025, 1, 26))


def _compare(duck, spark, columns=COLUMNS, spark_columns=COLUMNS) -> MartComparison:
    return compare_rows("fct_x", columns, duck, spark_columns, spark, KEY)


def test_identical_rows_in_another_order_match() -> None:
    duck = [_row("NVDA"), _row("GOOGL")]
    result = _compare(duck, list(reversed(duck)))
    assert result.ok and result.mismatches == 0 and result.spark_rows == 2


def test_doubles_match_within_tolerance_decimals_exactly() -> None:
    assert _compare([_row(ratio=0.1 + 0.2)], [_row(ratio=0.3)]).ok
    assert not _compare([_row(ratio=0.3)], [_row(ratio=0.3001)]).ok
    result = _compare([_row(capex="1.50")], [_row(capex="1.51")])
    assert result.mismatches == 1
    assert "capex_usd" in result.examples[0]


def test_missing_and_extra_rows_are_named() -> None:
    result = _compare([_row("NVDA"), _row("MSFT")], [_row("NVDA"), _row("AMZN")])
    assert not result.ok
    assert sorted(result.examples) == [
        "only in duckdb: {'ticker': 'MSFT', 'fiscal_year': 2025}",
        "only in spark: {'ticker': 'AMZN', 'fiscal_year': 2025}",
    ]


def test_null_matches_only_null_and_types_are_not_coerced() -> None:
    assert _compare([_row(ratio=None)], [_row(ratio=None)]).ok
    assert not _compare([_row(ratio=None)], [_row()]).ok
    as_text = ("NVDA", 2025, "1.50", 0.25, date(2025, 1, 26))
    assert not _compare([_row()], [as_text]).ok


def test_timestamps_compare_as_instants() -> None:
    columns = ["ticker", "fiscal_year", "loaded_at"]
    aware = datetime(2025, 1, 1, 12, tzinfo=UTC)
    naive_local = datetime.fromtimestamp(aware.timestamp())  # what PySpark returns
    duck, spark = [("NVDA", 2025, aware)], [("NVDA", 2025, naive_local)]
    assert compare_rows("fct_x", columns, duck, columns, spark, KEY).ok


def test_different_columns_fail_and_duplicate_keys_are_reported() -> None:
    assert not _compare([_row()], [_row()], spark_columns=[*COLUMNS[:-1], "other"]).ok
    result = _compare([_row(), _row()], [_row()])
    assert not result.ok
    assert any("not unique" in example for example in result.examples)


def test_report_lists_every_mart_and_the_verdict() -> None:
    result = ParityResult(
        [MartComparison("fct_a", ("k",), 3, 3, 0), MartComparison("fct_b", ("k",), 2, 1, 1, ["x"])],
        {"spark_build": 12.0},
    )
    text = format_report(result)
    assert "fct_a" in text and "fct_b" in text and "    x" in text
    assert "2 marts, 5 rows compared: DIFFERENCES FOUND" in text
    assert "spark_build 12.0" in text
