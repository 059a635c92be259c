"""The company universe seed and ticker validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.universe import (
    COMPANIES_SEED,
    Company,
    company_by_ticker,
    load_universe,
    validate_ticker,
)

HEADER = "ticker,cik,company_name,fiscal_year_end_month,is_hyperscaler\n"


def write_seed(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "companies.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_load_universe_reads_the_project_seed() -> None:
    companies = load_universe()

    assert COMPANIES_SEED.name == "companies.csv"
    assert [c.ticker for c in companies] == ["MSFT", "GOOGL", "AMZN", "META", "NVDA", "ORCL"]
    by_ticker = {c.ticker: c for c in companies}
    assert by_ticker["NVDA"] == Company("NVDA", 1045810, "NVIDIA Corporation", 1)
    assert by_ticker["MSFT"] == Company("MSFT", 789019, "Microsoft Corporation", 6)
    assert by_ticker["ORCL"].fiscal_year_end_month == 5
    assert {c.fiscal_year_end_month for c in companies} == {1, 5, 6, 12}


def test_company_cik10_is_zero_padded() -> None:
    assert Company("MSFT", 789019, "Microsoft Corporation", 6).cik10 == "0000789019"
    assert Company("NVDA", 1045810, "NVIDIA Corporation", 1).cik10 == "0001045810"


def test_company_by_ticker() -> None:
    assert company_by_ticker("GOOGL").cik == 1652044
    with pytest.raises(KeyError, match="'IBM' is not in the universe"):
        company_by_ticker("IBM")


@pytest.mark.parametrize("ticker", ["NVDA", "A", "BRK.B", "BF-B", "GOOGL", "X123456789"])
def test_validate_ticker_accepts_real_tickers(ticker: str) -> None:
    assert validate_ticker(ticker) == ticker


@pytest.mark.parametrize(
    "ticker",
    ["../etc", "/abs", "lower", "Nvda", "", ".", "..", ".HIDDEN", "-X", "1ABC", "A B",
     "A/B", "A\\B", "ABCDEFGHIJK", "ÄBC"],
)
def test_validate_ticker_refuses_what_cannot_be_a_ticker(ticker: str) -> None:
    with pytest.raises(ValueError, match="invalid ticker"):
        validate_ticker(ticker)


def test_validate_ticker_refuses_none() -> None:
    with pytest.raises(ValueError, match="invalid ticker"):
        validate_ticker(None)  # type: ignore[arg-type]


def test_load_universe_strips_whitespace(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, " NVDA ,1045810, NVIDIA Corporation ,1,false")

    assert load_universe(seed) == [Company("NVDA", 1045810, "NVIDIA Corporation", 1)]


def test_load_universe_refuses_a_bad_ticker_naming_the_line(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, "MSFT,789019,Microsoft Corporation,6,true",
                      "../etc,1,Evil,1,false")

    with pytest.raises(ValueError, match=r"companies\.csv:3: bad company row"):
        load_universe(seed)


def test_load_universe_refuses_a_non_numeric_cik(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, "MSFT,seven,Microsoft Corporation,6,true")

    with pytest.raises(ValueError, match=r"companies\.csv:2: bad company row"):
        load_universe(seed)


@pytest.mark.parametrize("month", ["0", "13"])
def test_load_universe_refuses_a_month_out_of_range(tmp_path: Path, month: str) -> None:
    seed = write_seed(tmp_path, f"MSFT,789019,Microsoft Corporation,{month},true")

    with pytest.raises(ValueError, match="fiscal_year_end_month must be 1-12"):
        load_universe(seed)


def test_load_universe_refuses_duplicate_tickers(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, "MSFT,789019,Microsoft Corporation,6,true",
                      "MSFT,789019,Microsoft again,6,true")

    with pytest.raises(ValueError, match="duplicate ticker"):
        load_universe(seed)


def test_load_universe_refuses_a_missing_column(tmp_path: Path) -> None:
    seed = tmp_path / "companies.csv"
    seed.write_text("ticker,cik,company_name\nMSFT,789019,Microsoft Corporation\n")

    with pytest.raises(ValueError, match="bad company row"):
        load_universe(seed)
