"""Nothing heavy at import: importing a module runs no dbt parse, reads no seed or manifest.

Only ``orchestration.definitions`` (and the asset modules it assembles) builds the graph; every
other module must be cheap to import, e.g. for ``aicapex query``."""

from __future__ import annotations

import subprocess
import sys

from orchestration.settings import PROJECT_ROOT

PROBE = r"""
import builtins, io, pkgutil, importlib, subprocess, sys
touched = []
real_open, real_io_open = builtins.open, io.open
def spy(file, *args, **kwargs):
    name = str(file)
    # dagster-dbt's DbtProject handle reads dbt_project.yml (its target path): a small file
    if ("dbt_project" in name and not name.endswith("dbt_project.yml")) or name.endswith(".csv"):
        touched.append(name)
    return real_open(file, *args, **kwargs)
builtins.open = io.open = spy
real_popen = subprocess.Popen.__init__
def refuse_dbt(self, args, *rest, **kwargs):
    if "dbt" in str(args):
        raise AssertionError(f"dbt run at import: {args}")
    real_popen(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = refuse_dbt
import orchestration
skip = ("orchestration.definitions", "orchestration.assets", "orchestration.automation")
for module in pkgutil.walk_packages(orchestration.__path__, "orchestration."):
    if not module.name.startswith(skip):
        importlib.import_module(module.name)
print("TOUCHED", touched)
"""


def test_modules_import_without_parsing_dbt_or_reading_seeds():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "TOUCHED []" in done.stdout, done.stdout[-2000:]


QUERY_PROBE = r"""
import sys
at_start = set(sys.modules)
from orchestration.cli import main
status = main(["query", "select 41 + 1 as answer", "--database", sys.argv[1], "--format", "csv"])
loaded = {name.split(".")[0] for name in set(sys.modules) - at_start}
foreign = loaded - set(sys.stdlib_module_names) - {"duckdb", "_duckdb", "orchestration"}
print("FOREIGN", sorted(foreign))
sys.exit(status)
"""


def test_query_command_imports_only_duckdb_and_the_standard_library(tmp_path):
    """``aicapex query`` (the console script calls ``orchestration.cli:main``) imports no
    Dagster, dbt, pandas, Great Expectations, plotly or httpx: a new process stays near the
    floor of ``python -c "import duckdb; ..."`` (bench/query.py)."""
    import duckdb

    marts = tmp_path / "marts.duckdb"
    duckdb.connect(str(marts)).close()
    done = subprocess.run([sys.executable, "-c", QUERY_PROBE, str(marts)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[:2] == ["answer", "42"], done.stdout
    assert "FOREIGN []" in done.stdout, done.stdout[-2000:]
