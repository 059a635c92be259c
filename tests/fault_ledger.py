"""The fault ledger: ``docs/reliability.md`` generated from ``@pytest.mark.fault`` and the run.

Every fault case carries ``@pytest.mark.fault(kind=..., injected=..., expected=...)`` (``{param}``
in ``injected`` or ``expected`` becomes the case's parameter id). During the run this plugin
keeps each marked case's outcome; at session end it writes one row per case, with counts per
class, to ``docs/reliability.md`` (a temporary file renamed over it).

The ledger is written only by a run that saw every fault case: the whole suite (``make test``)
or ``-m fault`` (``make reliability``), with no ``-k``, no test paths, no ``--lf`` and nothing
left unrun (``-x``, Ctrl-C). Any other run leaves the file alone and says so, so that a partial
run never shrinks the ledger. A test in ``tests/reliability/`` without the marker stops the run
at collection.

Under pytest-xdist (``make test`` runs ``-n 2``) the workers collect and run the tests: each
worker sends the cases it collected to the controller (``workeroutput``), the controller sees
every test's report, and only the controller writes the ledger.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

MARKER = "fault"
FIELDS = ("kind", "injected", "expected")
RELIABILITY_DIR = Path("tests") / "reliability"
LEDGER = Path("docs") / "reliability.md"
WHOLE_RUN_MARKEXPRS = frozenset({"", "not scale", MARKER})
COMMAND = "make reliability"


@dataclass
class Case:
    nodeid: str
    kind: str
    injected: str
    expected: str
    outcome: str = "not run"


def case_of(item: pytest.Item) -> Case | None:
    """The ledger row of a marked test (``None`` when unmarked); a marker missing a field is
    a usage error naming the test."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return None
    missing = [f for f in FIELDS if not str(marker.kwargs.get(f, "")).strip()]
    if missing or marker.args:
        raise pytest.UsageError(
            f"{item.nodeid}: @pytest.mark.fault needs keyword arguments {', '.join(FIELDS)} "
            f"(missing: {', '.join(missing) or 'none'}; positional arguments are not allowed)")
    callspec = getattr(item, "callspec", None)
    param = callspec.id if callspec is not None else ""
    text = {f: str(marker.kwargs[f]).replace("{param}", param) for f in FIELDS}
    return Case(item.nodeid, **text)


def unmarked_reliability_tests(items: list[pytest.Item], root: Path) -> list[str]:
    folder = root / RELIABILITY_DIR
    return [item.nodeid for item in items
            if item.path.is_relative_to(folder) and item.get_closest_marker(MARKER) is None]


def outcome_after(outcome: str, report: pytest.TestReport) -> str:
    """A case's outcome once ``report`` (setup, call or teardown) is in."""
    if report.failed:
        return "failed" if report.when == "call" else f"error ({report.when})"
    if report.skipped and outcome == "not run":
        return "skipped"
    if report.when == "call" and report.passed and outcome == "not run":
        return "passed"
    return outcome


class FaultLedger:
    """The plugin's state for one session (in an xdist worker: for its share of it)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.root = Path(config.rootpath)
        self.cases: dict[str, Case] = {}
        self.outcomes: dict[str, str] = {}
        self.deselected_faults = 0
        self.worker = hasattr(config, "workerinput")
        self.usage_error: str | None = None

    # --- collection --------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        unmarked = unmarked_reliability_tests(items, self.root)
        if unmarked:
            message = (f"every test in {RELIABILITY_DIR}/ is a fault case and needs "
                       f"@pytest.mark.fault(kind=..., injected=..., expected=...); unmarked: "
                       + ", ".join(unmarked))
            if not self.worker:
                raise pytest.UsageError(message)
            # xdist swallows a worker's usage error: run nothing, let the controller say it
            self.usage_error = message
            items.clear()
            return
        for item in items:
            case = case_of(item)
            if case is not None:
                self.cases[item.nodeid] = case

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected_faults += sum(1 for i in items if i.get_closest_marker(MARKER))

    # --- outcomes ----------------------------------------------------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.outcomes[report.nodeid] = outcome_after(
            self.outcomes.get(report.nodeid, "not run"), report)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """xdist controller: a worker is done; take the cases it collected."""
        output = getattr(node, "workeroutput", {})
        self.usage_error = self.usage_error or output.get("usage_error")
        for fields in output.get("fault_cases", ()):
            self.cases.setdefault(fields["nodeid"], Case(**fields))
        self.deselected_faults = max(self.deselected_faults,
                                     output.get("deselected_faults", 0))

    # --- the ledger --------------------------------------------------------------------------

    def partial_because(self, session: pytest.Session, exitstatus: int) -> str | None:
        """Why this run may not write the ledger (``None``: it may)."""
        option = self.config.option
        testpaths = {(self.root / p).resolve() for p in self.config.getini("testpaths")}
        given = {(Path(self.config.invocation_params.dir) / a).resolve()
                 for a in self.config.args}
        if self.config.args_source == pytest.Config.ArgsSource.ARGS and given != testpaths:
            return f"test paths given ({' '.join(self.config.args)})"
        if (option.markexpr or "").strip() not in WHOLE_RUN_MARKEXPRS:
            return f"-m {option.markexpr!r}"
        if option.keyword:
            return f"-k {option.keyword!r}"
        if getattr(option, "lf", False) or getattr(option, "failedfirst", False):
            return "--lf/--ff"
        if self.deselected_faults:
            return f"{self.deselected_faults} fault case(s) deselected"
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            return "interrupted"
        unrun = [c.nodeid for c in self.cases.values() if c.outcome == "not run"]
        if unrun:
            return f"{len(unrun)} fault case(s) did not run"
        if not self.cases:
            return "no fault cases collected"
        return None

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.worker:
            self.config.workeroutput["fault_cases"] = [asdict(c) for c in self.cases.values()]
            self.config.workeroutput["deselected_faults"] = self.deselected_faults
            self.config.workeroutput["usage_error"] = self.usage_error
            self.skipped_reason = "an xdist worker: the controller writes it"
            return
        if self.usage_error:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            self.skipped_reason = "usage error"
            return
        for case in self.cases.values():
            case.outcome = self.outcomes.get(case.nodeid, "not run")
        self.skipped_reason = self.partial_because(session, exitstatus)
        if self.skipped_reason is None:
            write_atomically(self.root / LEDGER, render(list(self.cases.values())))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        reason = getattr(self, "skipped_reason", "session did not finish")
        if self.worker:
            return
        if self.usage_error:
            terminalreporter.write_line(f"ERROR: {self.usage_error}", red=True)
        elif reason is None:
            failed = sum(c.outcome != "passed" for c in self.cases.values())
            terminalreporter.write_line(
                f"fault ledger: {LEDGER} written, {len(self.cases)} cases, {failed} not passing")
        elif self.cases:
            terminalreporter.write_line(
                f"fault ledger: {LEDGER} not written ({reason}); `{COMMAND}` regenerates it")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(cases: list[Case]) -> str:
    cases = sorted(cases, key=lambda c: (c.kind, c.nodeid))
    passed = sum(c.outcome == "passed" for c in cases)
    per_kind = Counter(c.kind for c in cases)
    lines = [
        "# Reliability: the fault ledger",
        "",
        "Generated by `tests/fault_ledger.py` from the `@pytest.mark.fault` markers and the "
        f"outcome of each case in the last whole run (`make test` or `{COMMAND}`). "
        "Do not edit by hand.",
        "",
        f"**{len(cases)} fault cases in {len(per_kind)} classes: {passed} passed, "
        f"{len(cases) - passed} not passing.**",
        "",
        "| class | cases | passed |",
        "|---|---:|---:|",
        *(f"| {kind} | {n} | {sum(c.outcome == 'passed' for c in cases if c.kind == kind)} |"
          for kind, n in sorted(per_kind.items())),
        "",
        "| class | injected (what, how) | expected outcome | test | result |",
        "|---|---|---|---|---|",
        *(f"| {_cell(c.kind)} | {_cell(c.injected)} | {_cell(c.expected)} | "
          f"`{_cell(c.nodeid)}` | {c.outcome} |" for c in cases),
        "",
    ]
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(kind, injected, expected): a fault case listed in {LEDGER}")
    if not config.pluginmanager.has_plugin("fault_ledger_session"):
        config.pluginmanager.register(FaultLedger(config), "fault_ledger_session")
