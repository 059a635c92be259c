"""The test suite as ``make test`` runs it, timed: wall time, pass/fail counts, the slowest tests.

``make bench`` runs ``make test`` itself in a subprocess from the project root (its command,
its environment, ``TEST_WORKERS`` pytest-xdist workers), adding pytest options through
``PYTEST_ARGS``. Target (issue 18): <= 300 s on a fresh clone.
A whole run rewrites docs/reliability.md, as ``make test`` does (tests/fault_ledger.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass

from bench.common import PROJECT_ROOT, verdict

TARGET_S = 300.0
SLOWEST = 15
SECTION = "## Test suite"
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|warnings?|"
                    r"deselected|rerun)\b")
_SECONDS = re.compile(r" in (\d+(?:\.\d+)?)s\b")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s (setup|call|teardown) +(\S.*)$")
_SINGULAR = {"errors": "error", "warnings": "warning"}


@dataclass(frozen=True)
class SuiteResult:
    selection: list[str]  # pytest arguments narrowing the suite: [] for the whole suite
    workers: str
    wall_s: float
    exit_code: int
    counts: dict[str, int]
    pytest_s: float | None
    slowest: list[tuple[float, str, str]]  # seconds, phase (setup/call/teardown), test id
    problems: list[str]  # pytest's FAILED / ERROR lines (-ra)

    @property
    def ok(self) -> bool:
        return (self.exit_code == 0 and self.wall_s <= TARGET_S
                and not self.counts.get("failed") and not self.counts.get("error"))


def command(selection: list[str]) -> list[str]:
    """``make test``, with the slowest tests listed and no pytest cache written."""
    options = " ".join([f"--durations={SLOWEST}", "-p", "no:cacheprovider", *selection])
    return ["make", "--no-print-directory", "test", f"PYTEST_ARGS={options}"]


def parse_summary(output: str) -> tuple[dict[str, int], float | None]:
    """Counts by outcome and pytest's own seconds from its last summary line, e.g.
    ``2 failed, 675 passed, 3 warnings in 435.12s (0:07:15)``; ({}, None) without one."""
    for line in reversed(output.splitlines()):
        text = line.strip(" =")
        seconds = _SECONDS.search(text)
        counts = _COUNT.findall(text)
        if seconds and (counts or text.startswith("no tests ran")):
            return ({_SINGULAR.get(word, word): int(n) for n, word in counts},
                    float(seconds[1]))
    return {}, None


def parse_slowest(output: str) -> list[tuple[float, str, str]]:
    """The ``--durations`` lines: (seconds, phase, test id), slowest first."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if "slowest" in line and "durations" in line),
                 None)
    if start is None:
        return []
    slowest = []
    for line in lines[start + 1:]:
        match = _DURATION.match(line.strip())
        if match:
            slowest.append((float(match[1]), match[2], match[3]))
        elif line.strip() and not line.strip().startswith("("):
            break
    return slowest


def run(selection: list[str]) -> SuiteResult:
    workers = os.environ.get("TEST_WORKERS", "2")
    print(f"suite: {' '.join(command(selection))}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command(selection), cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - started
    output = done.stdout + done.stderr
    counts, pytest_s = parse_summary(output)
    print(f"suite: {wall:.1f} s, exit {done.returncode}, {counts}", flush=True)
    return SuiteResult(selection, workers, wall, done.returncode, counts, pytest_s,
                       parse_slowest(output),
                       [line for line in output.splitlines()
                        if line.startswith(("FAILED ", "ERROR "))])


def section(result: SuiteResult | None) -> list[str]:
    """The test-suite section of bench/results.md (``None``: skipped with ``--no-suite``)."""
    if result is None:
        return [SECTION, "", "Not run: `make bench` was given `--no-suite` (no verdict on the "
                "suite's time; `make test` measures it)."]
    counts = ", ".join(f"{n} {word}" for word, n in result.counts.items()) or (
        "no pytest summary line")
    scope = (f"**narrowed to `{' '.join(result.selection)}`**, not the whole suite: no verdict"
             if result.selection else
             f"target <= {TARGET_S:.0f} s with every test passing: {verdict(result.ok)}")
    lines = [SECTION, "",
             f"`make test` itself (`TEST_WORKERS={result.workers}`, with `PYTEST_ARGS="
             f"'--durations={SLOWEST} -p no:cacheprovider'`), run from the project root (a "
             "subprocess of this run).", "",
             f"Wall time {result.wall_s:.1f} s (pytest's own: "
             f"{'n/a' if result.pytest_s is None else f'{result.pytest_s:.1f} s'}); "
             f"exit {result.exit_code}; {counts}; {scope}."]
    if result.problems:
        lines += ["", *(f"* `{line}`" for line in result.problems)]
    if result.slowest:
        lines += ["", f"The {len(result.slowest)} slowest (setup includes the session's shared "
                      "pipeline runs):", "", "| s | phase | test |", "|---:|---|---|"]
        lines += [f"| {seconds:.1f} | {phase} | `{test}` |"
                  for seconds, phase, test in result.slowest]
    return lines
