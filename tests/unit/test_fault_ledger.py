"""The fault-ledger plugin: an unmarked test in tests/reliability stops the run; a whole run
writes docs/reliability.md atomically; a partial run leaves it alone. Each in one process and
under pytest-xdist (``make test`` runs ``-n 2``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

CONFTEST = 'pytest_plugins = ("tests.fault_ledger",)\n'
MARKED = '''import pytest

@pytest.mark.fault(kind="k", injected="i {param}", expected="e")
@pytest.mark.parametrize("x", [1, 2])
def test_marked(x):
    assert x
'''


def run_pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(root), *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def project(root: Path, reliability_test: str) -> Path:
    (root / "tests" / "reliability").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (root / "conftest.py").write_text(CONFTEST)
    (root / "tests" / "reliability" / "test_case.py").write_text(reliability_test)
    return root


WORKERS = pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])


@WORKERS
def test_unmarked_reliability_test_fails_the_suite(tmp_path, workers):
    # the unmarked case fails if it ever runs: collection must refuse it before that
    unmarked = '\n\ndef test_unmarked():\n    raise AssertionError("collection ran it")\n'
    root = project(tmp_path, MARKED + unmarked)
    done = run_pytest(root, *workers)
    assert done.returncode == 4  # usage error: nothing runs
    output = done.stdout + done.stderr
    assert "needs @pytest.mark.fault" in output
    assert "test_case.py::test_unmarked" in output
    assert "collection ran it" not in output
    assert not (root / "docs" / "reliability.md").exists()


@WORKERS
def test_whole_run_writes_the_ledger_and_a_partial_run_does_not(tmp_path, workers):
    root = project(tmp_path, MARKED)
    done = run_pytest(root, *workers)
    assert done.returncode == 0, done.stdout + done.stderr
    ledger = (root / "docs" / "reliability.md").read_text()
    assert "**2 fault cases in 1 classes: 2 passed, 0 not passing.**" in ledger
    assert "| k | i 1 | e | `tests/reliability/test_case.py::test_marked[1]` | passed |" in ledger
    assert not list((root / "docs").glob(".*.tmp"))

    partial = run_pytest(root, *workers, "-k", "test_marked and 1")
    assert "not written (-k" in partial.stdout
    assert (root / "docs" / "reliability.md").read_text() == ledger
