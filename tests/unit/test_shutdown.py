"""The project's processes freeze their heap at exit (``orchestration.runtime.shutdown``)."""

from __future__ import annotations

import subprocess
import sys

from orchestration.settings import PROJECT_ROOT

SCRIPT = """
import atexit, gc
# registered first, so it runs last: after the freeze
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
before = atexit._ncallbacks()
from orchestration.runtime.shutdown import freeze_heap_at_exit
freeze_heap_at_exit()
freeze_heap_at_exit()
print("exit handlers added:", atexit._ncallbacks() - before)
print("frozen before exit:", gc.get_freeze_count() > 0)
"""


def test_the_heap_is_frozen_once_the_process_exits_not_before() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out == ["exit handlers added: 1", "frozen before exit: False",
                   "frozen at exit: True"]
