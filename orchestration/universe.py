"""The company universe: one row per company in ``dbt_project/seeds/companies.csv``.

The same seed feeds ``dim_company`` in dbt and the Dagster partitions, so adding a company is
one line in one file (its concepts come from the rule in ``metric_concepts.csv``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

COMPANIES_SEED = DBT_PROJECT_DIR / "seeds" / "companies.csv"
_TICKER = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")


@dataclass(frozen=True)
class Company:
    ticker: str
    cik: int
    name: str
    fiscal_year_end_month: int

    @property
    def cik10(self) -> str:
        return f"{self.cik:010d}"

    def fiscal_year_start(self, fiscal_year: int) -> date:
        """First day of the month after fiscal year ``fiscal_year - 1`` ended (a 52/53-week
        year such as NVIDIA's may start a few days earlier; no filing is made in those days)."""
        end_month = self.fiscal_year_end_month
        return date(fiscal_year, 1, 1) if end_month == 12 else \
            date(fiscal_year - 1, end_month + 1, 1)


def validate_ticker(ticker: str) -> str:
    """Tickers reach file paths: allow only what a ticker can be."""
    if not isinstance(ticker, str) or not _TICKER.fullmatch(ticker):
        raise ValueError(f"invalid ticker {ticker!r}: expected 1-10 of A-Z, 0-9, '.', '-'")
    return ticker


def load_universe(path: Path = COMPANIES_SEED) -> list[Company]:
    """The companies of the seed, read once per version of the file (a few lines of CSV)."""
    return list(_read_universe(path, path.stat().st_mtime_ns))


@cache
def _read_universe(path: Path, _mtime_ns: int) -> tuple[Company, ...]:
    companies: list[Company] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                company = Company(
                    ticker=validate_ticker(row["ticker"].strip()),
                    cik=int(row["cik"]),
                    name=row["company_name"].strip(),
                    fiscal_year_end_month=int(row["fiscal_year_end_month"]),
                )
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{lineno}: bad company row {row!r}: {exc}") from exc
            if not 1 <= company.fiscal_year_end_month <= 12:
                raise ValueError(f"{path}:{lineno}: fiscal_year_end_month must be 1-12")
            companies.append(company)
    if len({c.ticker for c in companies}) != len(companies):
        raise ValueError(f"{path}: duplicate ticker")
    return tuple(companies)


def company_by_ticker(ticker: str, path: Path = COMPANIES_SEED) -> Company:
    for company in load_universe(path):
        if company.ticker == ticker:
            return company
    raise KeyError(f"ticker {ticker!r} is not in the universe ({path})")
