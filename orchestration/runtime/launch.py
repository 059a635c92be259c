"""Launch a job of the one ``Definitions`` in this process, with a progress display.

The job runs in this thread (``execute_in_process`` on the project's instance, so the run shows
in the UI) with a logger of its own instead of the console: every message and event goes to the
run's log file (and to the terminal with ``verbose``), and a one-line progress shows the stage,
assets done of total and the elapsed time (``rich``; one line per stage when stdout is not a
terminal).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import dagster as dg

from orchestration.load_state import FORCE_TAG
from orchestration.resources import AicapexConfig
from orchestration.runtime.dagster_private import PLAN_LOGGER, partition_range_tags
from orchestration.runtime.instance import PID_TAG, reap_dead_runs
from orchestration.settings import ConfigError

# the stages a run passes, in order, and the step-key prefixes that belong to each
STAGES = ("starting", "extract", "load raw", "dbt build", "gates", "publish")
_STEP_STAGES = (("sec__", "extract"), ("energy__", "extract"), ("gpu__", "extract"),
                ("other__", "extract"), ("raw", "load raw"), ("aicapex_dbt", "dbt build"),
                ("audit__", "gates"), ("gx_marts", "gates"), ("volume_marts", "gates"),
                ("published_marts", "publish"))


Display = Callable[["Progress", float], None]


class _NoUngatedWarnings(logging.Filter):
    """Drop Dagster's "blocking asset check emitted no result" warnings. They appear once per
    dbt test when the dbt step had nothing new to build and yielded no check results; the
    publish step is skipped then too, as it depends on the marts, which were not materialized."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result" not in record.getMessage()


logging.getLogger(PLAN_LOGGER).addFilter(_NoUngatedWarnings())


def select_companies(universe: list[str], companies: list[str] | None) -> list[str]:
    """The tickers a run covers, in universe order; a subset must be contiguous (a partition
    range)."""
    selected = companies or universe
    unknown = [t for t in selected if t not in universe]
    if unknown:
        raise ConfigError(f"unknown ticker(s) {unknown}; the universe is {universe}")
    ordered = [t for t in universe if t in selected]
    if universe.index(ordered[-1]) - universe.index(ordered[0]) + 1 != len(ordered):
        raise ConfigError(f"companies must be contiguous in the universe order {universe}")
    return ordered


@dataclass
class Progress:
    """What the run has done so far, from the events Dagster logs."""

    total: int
    done: set[str] = field(default_factory=set)
    stage: str = STAGES[0]
    checks: int = 0
    finished: bool = False

    def observe(self, event: dg.DagsterEvent | None) -> None:
        if event is None:
            return
        if event.event_type == dg.DagsterEventType.STEP_START:
            stage = next((name for prefix, name in _STEP_STAGES
                          if (event.step_key or "").startswith(prefix)), self.stage)
            if STAGES.index(stage) > STAGES.index(self.stage):  # steps of a stage interleave
                self.stage = stage
        elif event.event_type in (dg.DagsterEventType.ASSET_MATERIALIZATION,
                                  dg.DagsterEventType.ASSET_OBSERVATION):
            if event.asset_key is not None:
                self.done.add(event.asset_key.to_user_string())
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            self.checks += 1

    def line(self) -> str:
        stage = "done" if self.finished else self.stage
        done = min(len(self.done), self.total)
        return f"{stage:<10} {done:>3}/{self.total} assets materialized, {self.checks} checks"


class _Tee(io.TextIOBase):
    """What the run prints (dbt's output, re-emitted by dagster-dbt on ``sys.stdout``) goes to
    the run log, and to the terminal as well with ``--verbose``."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


class RunLogHandler(logging.Handler):
    """Receives every message and event of the run from Dagster's log manager, in the run's
    own thread: writes it to the run log and advances the progress display."""

    def __init__(self, log: TextIO, progress: Progress, show: Display) -> None:
        super().__init__(level=logging.DEBUG)
        self.log, self.progress, self.show = log, progress, show
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        step = meta.get("step_key") or "-"
        message = meta.get("orig_message") or record.getMessage()
        self.log.write(f"{stamp} {record.levelname:<7} {step} - {message}\n")
        self.progress.observe(meta.get("dagster_event"))
        self.show(self.progress, time.monotonic() - self.started)

    def finish(self) -> None:
        self.log.flush()
        self.progress.finished = True
        self.show(self.progress, time.monotonic() - self.started)


def _run_log_logger(handler: RunLogHandler) -> dg.LoggerDefinition:
    @dg.logger(description="aicapex run: the run log file and the progress display")
    def run_log(_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger("aicapex.run", level=logging.DEBUG)
        logger.addHandler(handler)
        return logger

    return run_log


def _job_total(job: dg.JobDefinition) -> int:
    return len(job.asset_layer.executable_asset_keys)


def execute_job(job_name: str | dg.JobDefinition, config: AicapexConfig,
                instance: dg.DagsterInstance, tags: dict[str, str] | None = None,
                runs_dir: Path | None = None, verbose: bool = False,
                display: Display | None = None, run_config: dict | None = None,
                ) -> dg.ExecuteInProcessResult:
    """Run ``job_name`` of the one ``Definitions`` (or a job of it already at hand, which spares
    importing them all) with ``config`` as its ``settings`` resource and ``run_config``.

    With ``runs_dir``, the job logs to ``<runs_dir>/<run_id>/run.log`` instead of the console
    (a logger of its own, in the run's thread: every Dagster message and event, plus what dbt
    prints) and ``display`` is called with the progress; without, the job's console logger
    prints as Dagster does (tests, scripts).
    """
    if isinstance(job_name, dg.JobDefinition):
        job = job_name
    else:
        from orchestration.definitions import defs

        job = defs.resolve_job_def(job_name)
    reap_dead_runs(instance)
    run_id = str(uuid.uuid4())
    run_tags = {**(tags or {}), PID_TAG: str(os.getpid())}
    launch = {"instance": instance, "run_id": run_id, "tags": run_tags,
              "raise_on_error": False, "resources": {"settings": config}}
    if runs_dir is None:
        return job.execute_in_process(
            run_config={**(run_config or {}),
                        "loggers": {"console": {"config": {"log_level": "INFO"}}}}, **launch)
    log_path = runs_dir / run_id / "run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Two appending handles on the log. Dagster captures a step's output by pointing the
    # descriptor of sys.stdout at a file that `tail -F` copies back, and stops tail when the
    # step ends, dropping what it had not copied yet (dagster#23336): the run's messages and
    # events go through their own handle, never through that copy; only what is printed does.
    with log_path.open("a", encoding="utf-8", buffering=1) as file, \
            log_path.open("a", encoding="utf-8", buffering=1) as printed:
        log = _Tee(file, sys.stdout) if verbose else file
        handler = RunLogHandler(log, Progress(_job_total(job)),
                                display or (lambda progress, elapsed: None))
        logged = job.with_logger_defs({"run_log": _run_log_logger(handler)})
        with contextlib.redirect_stdout(_Tee(printed, sys.stdout) if verbose else printed):
            result = logged.execute_in_process(
                run_config={**(run_config or {}), "loggers": {"run_log": {}}}, **launch)
        handler.finish()
    return result


def run_tags(tickers: list[str], force: bool = False) -> dict[str, str]:
    """Tags of a run over the partition range ``tickers`` (and ``--force``)."""
    return {**partition_range_tags(tickers[0], tickers[-1]),
            **({FORCE_TAG: "true"} if force else {})}
