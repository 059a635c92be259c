"""``python -m bench.compare_marts``: the row-for-row check that a refactoring kept every mart."""

from __future__ import annotations

import duckdb

from bench.compare_marts import main


def _marts(path, rows, extra_table=False):
    with duckdb.connect(str(path)) as con:
        con.execute("create table fct_ai_capex (ticker varchar, capex_usd decimal(38,2), "
                    "loaded_at timestamptz)")
        con.executemany("insert into fct_ai_capex values (?, ?, now())", rows)
        con.execute("create table publish_log (run_id varchar)")  # bookkeeping: not compared
        con.execute(f"insert into publish_log values ('{path.stem}')")
        if extra_table:
            con.execute("create table dim_company as select 'NVDA' as ticker")
    return path


def test_identical_marts_in_another_order_pass(tmp_path, capsys):
    old = _marts(tmp_path / "old.duckdb", [("GOOGL", 27_851_000_000), ("NVDA", 1_000_000)])
    new = _marts(tmp_path / "new.duckdb", [("NVDA", 1_000_000), ("GOOGL", 27_851_000_000)])
    assert main([str(old), str(new)]) == 0
    assert "identical" in capsys.readouterr().out


def test_a_changed_value_or_a_missing_mart_fails_and_is_shown(tmp_path, capsys):
    old = _marts(tmp_path / "old.duckdb", [("GOOGL", 27_851_000_000)], extra_table=True)
    new = _marts(tmp_path / "new.duckdb", [("GOOGL", 27_851_000_001)])
    assert main([str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "27851000001" in out.replace(",", "") and "dim_company" in out
