"""Reading single figures from the shared snapshot run's marts (integration tests)."""

from __future__ import annotations

import duckdb


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The one row ``sql`` returns; fails naming the query when it returns none or several."""
    found = con.execute(sql, params or []).fetchall()
    assert len(found) == 1, (sql, params, found)
    return found[0]


def annual_capex(marts: duckdb.DuckDBPyConnection, ticker: str, fiscal_year: int) -> tuple:
    """(capex_usd, source_accession, source) of a company's fiscal year in fct_ai_capex_annual."""
    return one(marts, "select capex_usd, source_accession, source from fct_ai_capex_annual "
                      "where ticker = ? and fiscal_year = ?", [ticker, fiscal_year])
