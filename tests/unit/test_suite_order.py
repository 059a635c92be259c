"""The suite's order for xdist (``tests/conftest.py``): long tests at the front of each
worker's share, short ones behind them."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import pytest_collection_modifyitems


class Item:
    def __init__(self, name: str, long: bool, fixturenames: tuple[str, ...] = ()) -> None:
        self.name, self.long, self.fixturenames = name, long, fixturenames

    def get_closest_marker(self, name: str):
        return object() if name == "pipeline" and self.long else None

    def __repr__(self) -> str:
        return self.name


def ordered(items: list[Item], workers: int | None) -> list[str]:
    config = SimpleNamespace(**({"workerinput": {"workercount": workers}} if workers else {}))
    pytest_collection_modifyitems(config, items)
    return [item.name for item in items]


def suite() -> list[Item]:
    return ([Item(f"s{i}", False) for i in range(5)] + [Item("L1", True)]
            + [Item(f"s{i}", False) for i in range(5, 9)] + [Item("L2", True), Item("L3", True)])


def test_each_workers_share_starts_long_and_ends_short() -> None:
    # 12 tests, 2 workers: xdist sends the first 6 to one worker, the other 6 to the other
    assert ordered(suite(), 2) == ["L1", "L3", "s0", "s1", "s2", "s3",
                                   "L2", "s4", "s5", "s6", "s7", "s8"]


def test_without_xdist_the_long_tests_come_first() -> None:
    assert ordered(suite(), None) == ["L1", "L2", "L3"] + [f"s{i}" for i in range(9)]


def test_no_test_is_lost_or_repeated_with_more_workers_than_long_tests() -> None:
    names = ordered(suite(), 5)
    assert sorted(names) == sorted(item.name for item in suite())
    assert names[:2] == ["L1", "s0"]  # shares of 2 or 3 tests, each opened by a long one


def worlds() -> list[Item]:
    return ([Item("fresh", True), Item("older1", True, ("older_world",)),
             Item("older2", True, ("older_world",)), Item("snap", True, ("snapshot_cli_run",))]
            + [Item(f"s{i}", False) for i in range(4)])


def test_each_worker_first_asks_for_a_different_shared_world() -> None:
    # worker 1's share opens with the snapshot run's test, worker 2's with the older world's
    assert ordered(worlds(), 2) == ["snap", "fresh", "s0", "s1", "older1", "older2", "s2", "s3"]
    # one worker: the order of the files, long tests first
    assert ordered(worlds(), None)[:4] == ["fresh", "older1", "older2", "snap"]
