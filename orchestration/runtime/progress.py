"""The terminal display of a running job: one live line (stage, assets done of total, checks,
elapsed) on a terminal; one line per stage otherwise (CI logs, ``make run`` piped to a file)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from orchestration.runtime.launch import Display, Progress


@contextmanager
def progress_display(enabled: bool = True, console: Console | None = None) -> Iterator[Display]:
    """Yield the callback ``execute_job`` calls with the run's progress and elapsed seconds."""
    console = console or Console(file=sys.stdout)
    if not enabled:
        yield lambda progress, elapsed: None
        return
    if not console.is_terminal:
        last: list[str] = []

        def print_stage(progress: Progress, elapsed: float) -> None:
            stage = "done" if progress.finished else progress.stage
            if not last or last[-1] != stage:
                last.append(stage)
                console.file.write(f"  [{elapsed:5.0f} s] {progress.line()}\n")
                console.file.flush()

        yield print_stage
        return
    spinner = Spinner("dots", text="starting")
    with Live(spinner, console=console, refresh_per_second=8, transient=False) as live:

        def update(progress: Progress, elapsed: float) -> None:
            spinner.update(text=Text(f"{progress.line()}  {elapsed:5.0f} s"))
            live.refresh()

        yield update
