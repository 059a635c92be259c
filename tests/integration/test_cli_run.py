"""``aicapex run`` as a newcomer sees it: a short progress, the summary, the full log on disk."""

from __future__ import annotations

import re


def test_run_prints_one_screen_and_writes_the_full_log(snapshot_cli_run):
    # `aicapex run` from the recorded snapshot, in its own folders and $DAGSTER_HOME (the
    # session's shared run: tests/conftest.py)
    assert snapshot_cli_run.exit_code == 0
    out, settings = snapshot_cli_run.out, snapshot_cli_run.settings
    lines = out.splitlines()
    assert len(lines) <= 40, out  # one screen: progress by stage, then the summary
    assert "=== aicapex run summary ===" in out and "status:     SUCCESS" in out
    stages = [m.group(1) for m in re.finditer(r"\] (\w[\w ]*?) +\d+/\d+ assets", out)]
    assert stages[0] == "starting" and stages[-1] == "done"
    assert {"extract", "load raw", "dbt build", "publish"} <= set(stages)
    assert re.search(r"done +(\d+)/\1 assets", out)  # every asset of the job materialized
    assert not re.search(r"\bPASS\b.*\[RUN\]|START test", out)  # dbt's lines stay in the log

    run_id = re.search(r"run id: +(\S+)", out).group(1)
    log = settings.reports_dir / "runs" / run_id / "run.log"
    assert f"log:        {log}" in out
    text = log.read_text(encoding="utf-8")
    assert "Running dbt command" in text  # Dagster's events ...
    assert re.search(r"PASS not_null_fct_ai_capex_ticker", text)  # ... and dbt's own output
    assert (settings.reports_dir / "runs" / run_id / "quality.html").is_file()
