"""Launch a job of the one ``Definitions`` in this process, with a progress display.

The job runs in a worker thread (``execute_in_process`` on the project's instance, so the run
shows in the UI); this thread follows the run's event log: every event goes to the run's log
file (and to the terminal with ``verbose``), and a one-line progress shows the stage, assets
done of total and the elapsed time (``rich``; one line per stage when stdout is not a terminal).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import threading
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
                ("audit__", "gates"), ("published_marts", "publish"))


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
    """What the run has done so far, read from its event log."""

    total: int
    done: set[str] = field(default_factory=set)
    stage: str = STAGES[0]
    checks: int = 0
    finished: bool = False

    def observe(self, record: dg.EventLogRecord) -> None:
        event = record.event_log_entry.dagster_event
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


def format_record(record: dg.EventLogRecord) -> str:
    entry = record.event_log_entry
    stamp = time.strftime("%H:%M:%S", time.localtime(entry.timestamp))
    step = entry.step_key or "-"
    return f"{stamp} {logging.getLevelName(entry.level):<7} {step} - {entry.message}"


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


def follow_run(instance: dg.DagsterInstance, run_id: str, worker: threading.Thread,
               progress: Progress, log: TextIO, show: Callable[[Progress, float], None],
               interval: float = 0.25) -> None:
    """Copy the run's events to ``log`` until ``worker`` ends, showing the progress."""
    cursor = None
    started = time.monotonic()
    while True:
        finished = not worker.is_alive()
        batch = instance.get_records_for_run(run_id, cursor=cursor)
        cursor = batch.cursor
        for record in batch.records:
            log.write(format_record(record) + "\n")
            progress.observe(record)
        log.flush()
        progress.finished = finished and not batch.has_more
        show(progress, time.monotonic() - started)
        if progress.finished:
            return
        if not batch.has_more:
            worker.join(interval)


def _job_total(job: dg.JobDefinition) -> int:
    return len(job.asset_layer.executable_asset_keys)


def execute_job(job_name: str, config: AicapexConfig, instance: dg.DagsterInstance,
                tags: dict[str, str] | None = None,
                runs_dir: Path | None = None, verbose: bool = False,
                display: Callable[[Progress, float], None] | None = None,
                ) -> dg.ExecuteInProcessResult:
    """Run ``job_name`` of the one ``Definitions`` with ``config`` as its ``settings`` resource.

    With ``runs_dir``, every event of the run is written to ``<runs_dir>/<run_id>/run.log`` and
    ``display`` is called with the progress; without, the job's console logger prints as
    Dagster does (tests, scripts).
    """
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    reap_dead_runs(instance)
    run_id = str(uuid.uuid4())
    run_tags = {**(tags or {}), PID_TAG: str(os.getpid())}
    quiet = runs_dir is not None
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = job.execute_in_process(
                instance=instance, run_id=run_id, tags=run_tags, raise_on_error=False,
                resources={"settings": config},
                run_config={"loggers": {"console": {"config": {
                    "log_level": "CRITICAL" if quiet else "INFO"}}}},
            )
        except BaseException as exc:  # re-raised in the calling thread
            outcome["error"] = exc

    if not quiet:
        work()
    else:
        log_path = runs_dir / run_id / "run.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        worker = threading.Thread(target=work, name=f"aicapex-{job_name}", daemon=True)
        with log_path.open("w", encoding="utf-8") as file:
            log = _Tee(file, sys.stdout) if verbose else file
            with contextlib.redirect_stdout(log):
                worker.start()
                follow_run(instance, run_id, worker, Progress(_job_total(job)), log,
                           display or (lambda progress, elapsed: None))
                worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


def run_tags(tickers: list[str], force: bool = False) -> dict[str, str]:
    """Tags of a run over the partition range ``tickers`` (and ``--force``)."""
    return {**partition_range_tags(tickers[0], tickers[-1]),
            **({FORCE_TAG: "true"} if force else {})}
