"""A quick interpreter exit for the project's processes (``aicapex``, ``aicapex-dbt``).

At exit CPython runs full garbage collections over everything still alive before it tears the
modules down. After a run that is Dagster's, dbt's and Great Expectations' objects (~600,000
here): ~1.7 s of a cold ``aicapex run`` went by between its printed summary and the end of the
process, all of it in ``gc_collect_main``. ``gc.freeze`` moves every object to the permanent
generation, which those collections skip; the modules are still torn down and every object
that is not in a reference cycle is still freed.

Nothing here relies on those collections: files and DuckDB connections are closed by the code
that opens them (``with`` blocks), and ``logging`` flushes its handlers in its own exit handler,
which runs after this one (exit handlers run last registered first).
"""

from __future__ import annotations

import atexit
import gc
from functools import cache


@cache  # once per process
def freeze_heap_at_exit() -> None:
    """Register ``gc.freeze`` to run when the interpreter exits."""
    atexit.register(gc.freeze)
