"""Session fixtures for the unit tests: the recorded SEC files, read once."""

from __future__ import annotations

import pytest

from tests.unit.support import GOOGL_FACTS, MSFT_SUBMISSIONS, NVDA_FACTS


@pytest.fixture(scope="session")
def nvda_facts_bytes() -> bytes:
    return NVDA_FACTS.read_bytes()


@pytest.fixture(scope="session")
def googl_facts_bytes() -> bytes:
    return GOOGL_FACTS.read_bytes()


@pytest.fixture(scope="session")
def msft_submissions_bytes() -> bytes:
    return MSFT_SUBMISSIONS.read_bytes()
