"""``aicapex``: run the pipeline, query the published marts, write the analyst report.

``aicapex run`` executes the job of the one Dagster ``Definitions`` (the same one the UI and
schedules use) against the project's Dagster instance, so its runs show in ``dagster dev``.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.load_state import FORCE_TAG
from orchestration.settings import PROJECT_ROOT, ConfigError, Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


class RunInProgress(RuntimeError):
    """Another ``aicapex run`` holds the warehouse."""


@contextmanager
def run_lock(warehouse_dir: Path, wait: bool) -> Iterator[None]:
    """One pipeline run per warehouse: a second one waits (``--wait``) or refuses clearly."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".aicapex-run.lock"
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise RunInProgress(
                f"another aicapex run is using {warehouse_dir} ({holder}); wait for it to "
                "finish, or pass --wait to queue behind it"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _configure_env(args: argparse.Namespace) -> None:
    if getattr(args, "live", False):
        os.environ["AICAPEX_MODE"] = "live"
    if getattr(args, "snapshot", None):
        os.environ["AICAPEX_MODE"] = "snapshot"
        os.environ["AICAPEX_SNAPSHOT_DIR"] = str(Path(args.snapshot).resolve())
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home"))
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    ensure_dagster_home(Path(os.environ["DAGSTER_HOME"]))


def ensure_dagster_home(home: Path) -> None:
    """Create $DAGSTER_HOME with the project's instance config (pools of one) if missing."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        template = Path(__file__).parent / "instance" / "dagster.yaml"
        config.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")


def _run_tags(companies: list[str]) -> dict[str, str]:
    from orchestration.automation import partition_range_tags

    return partition_range_tags(companies[0], companies[-1])


PID_TAG = "aicapex/pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_dead_runs(instance) -> list[str]:
    """Fail CLI runs whose process died (SIGKILL, power loss) and free their pool slots.

    A killed in-process run stays STARTED forever and keeps its "warehouse" pool slot, so the
    next run would wait for it indefinitely. Only runs tagged with a dead pid are touched.
    """
    import dagster as dg

    reaped = []
    active = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        pid = run.tags.get(PID_TAG)
        if pid is None or not pid.isdigit() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"aicapex: the process running it (pid {pid}) died")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped


def execute_main_job(companies: list[str] | None = None, instance=None, force: bool = False):
    """Run the main job (every source, all companies) or, for a contiguous range of companies,
    the SEC job the new-filing sensor runs (their SEC extract, then raw, dbt, gates, publish:
    other companies and the price sources are not extracted again). ``force`` builds, gates and
    publishes even when nothing new came in."""
    import dagster as dg

    from orchestration.automation import SEC_JOB
    from orchestration.definitions import MAIN_JOB, defs
    from orchestration.universe import load_universe

    universe = [c.ticker for c in load_universe()]
    selected = companies or universe
    unknown = [t for t in selected if t not in universe]
    if unknown:
        raise ConfigError(f"unknown ticker(s) {unknown}; the universe is {universe}")
    ordered = [t for t in universe if t in selected]
    if universe.index(ordered[-1]) - universe.index(ordered[0]) + 1 != len(ordered):
        raise ConfigError(f"companies must be contiguous in the universe order {universe}")
    job = defs.resolve_job_def(SEC_JOB if companies else MAIN_JOB)
    instance = instance or dg.DagsterInstance.get()
    reap_dead_runs(instance)
    return job.execute_in_process(
        instance=instance,
        tags={**_run_tags(ordered), PID_TAG: str(os.getpid()),
              **({FORCE_TAG: "true"} if force else {})},
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        raise_on_error=False,
    )


def print_summary(report, settings: Settings, path: Path) -> None:
    failed = report.failed_checks
    blocking = sum(c.blocking for c in failed)
    print("\n=== aicapex run summary ===")
    print(f"run id:     {report.run_id}")
    print(f"status:     {report.status}")
    print(f"gates:      {len(report.checks) - len(failed)} passed, {blocking} blocking failed, "
          f"{len(failed) - blocking} warning(s)")
    if report.build_skipped:
        print("            mart gates not re-run: nothing new since the published build "
              "(aicapex run --force re-runs them)")
    for check in failed:
        kind = "BLOCKED by" if check.blocking else "warning:  "
        print(f"  {kind} {check.asset} :: {check.check_name} (observed {check.observed_value})")
        if check.failing_rows not in ("", "[]"):
            print(f"    rows: {check.failing_rows[:300]}")
    if report.published:
        print(f"published:  {settings.marts_db}")
        for table, count in report.row_counts.items():
            print(f"  {table:<32} {count:>6,} rows")
    elif report.unchanged:
        print(f"published:  unchanged - nothing new since the last publish ({settings.marts_db})")
    else:
        print(f"published:  no - {settings.marts_db} was left untouched")
    for source, tickers in report.missing_companies.items():
        print(f"no data:    {source}: {', '.join(tickers)} (not in this snapshot)")
    for error in report.errors:
        print(f"error:      {error.splitlines()[0][:300]}")
    print(f"report:     {path}")
    print(f"quality:    {path.with_name('quality.html')}")


class _NoUngatedWarnings(logging.Filter):
    """Drop Dagster's "blocking asset check emitted no result" warnings. They appear once per
    dbt test when the dbt step had nothing new to build and yielded no check results; the
    publish step is skipped then too, as it depends on the marts, which were not materialized."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result" not in record.getMessage()


def cmd_run(args: argparse.Namespace) -> int:
    logging.getLogger("dagster._core.execution.plan.active").addFilter(_NoUngatedWarnings())
    _configure_env(args)
    settings = Settings.from_env()
    if settings.mode == "live":
        settings.require_live_user_agent()
    elif not (settings.snapshot_dir / "sec").is_dir():
        raise ConfigError(
            f"snapshot directory {settings.snapshot_dir} has no sec/ folder; set "
            "AICAPEX_SNAPSHOT_DIR (or --snapshot) to a snapshot such as ../shared/fixtures"
        )
    print(f"aicapex run: {settings.mode} mode"
          + (f", snapshot {settings.snapshot_dir}" if settings.mode == "snapshot" else ""),
          flush=True)
    import dagster as dg

    from orchestration.dbt_project import dbt_project
    from orchestration.report import build_run_report, write_report

    instance = dg.DagsterInstance.get()
    with run_lock(settings.warehouse_dir, wait=args.wait):
        result = execute_main_job(args.company, instance=instance, force=args.force)
    report = build_run_report(instance, result.run_id, settings, dbt_project.manifest_path)
    path = write_report(settings.reports_dir, report, settings.marts_db)
    print_summary(report, settings, path)
    return EXIT_OK if report.success else EXIT_FAILED


def cmd_snapshot_record(args: argparse.Namespace) -> int:
    """Download every source live into DIR, laid out as a snapshot that `--snapshot` replays."""
    target = Path(args.directory).resolve()
    os.environ["AICAPEX_MODE"] = "live"
    os.environ["AICAPEX_LANDING_DIR"] = str(target)
    _configure_env(args)
    Settings.from_env().require_live_user_agent()
    import dagster as dg

    from orchestration.automation import RECORD_JOB
    from orchestration.definitions import defs
    from orchestration.universe import load_universe

    tickers = [c.ticker for c in load_universe()]
    result = defs.resolve_job_def(RECORD_JOB).execute_in_process(
        instance=dg.DagsterInstance.get(), tags=_run_tags(tickers), raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    print(f"snapshot {'recorded' if result.success else 'FAILED'} in {target} "
          f"(landing log: {target / 'landing_log.jsonl'})")
    return EXIT_OK if result.success else EXIT_FAILED


def cmd_rollback(args: argparse.Namespace) -> int:
    from orchestration.publish import rollback

    settings = Settings.from_env()
    restored = rollback(settings)
    print(f"restored {restored.name} as {settings.marts_db} (Parquet exports refreshed)")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from orchestration.query import fetch, render

    settings = Settings.from_env()
    marts_db = Path(args.database) if args.database else settings.marts_db
    columns, rows = fetch(marts_db, args.sql)
    sys.stdout.write(render(columns, rows, args.format).rstrip("\n") + "\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Regenerate the analyst page from the published marts and the latest run's results."""
    from orchestration.analyst import write_analyst_page
    from orchestration.report import RunReport

    settings = Settings.from_env()
    latest = settings.reports_dir / "latest" / "dq_results.json"
    report = RunReport.from_json(latest.read_text(encoding="utf-8")) if latest.is_file() else None
    if report is None:
        print(f"no data-quality results yet at {latest}: run `aicapex run` first")
    else:
        failed = report.failed_checks
        print(f"run {report.run_id} ({report.mode}): {report.status}, marts {report.verdict}, "
              f"{len(report.checks) - len(failed)} checks passed, {len(failed)} failed")
        for check in failed:
            print(f"  FAIL {check.asset} :: {check.check_name}: {check.observed_value}"
                  f" {check.failing_rows[:200]}")
    if not settings.marts_db.is_file():
        print(f"nothing published yet at {settings.marts_db}: the charts are notes until then")
    path = write_analyst_page(settings.reports_dir, report, settings.marts_db)
    print(f"analyst report: {path}")
    if path.with_name("quality.html").is_file():
        print(f"data quality:   {path.with_name('quality.html')}")
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    _configure_env(args)
    dagster = Path(sys.executable).parent / "dagster"
    os.execv(str(dagster), [str(dagster), "dev", "-m", "orchestration.definitions",
                            "-h", "127.0.0.1", "-p", str(args.port)])
    return EXIT_OK  # pragma: no cover - execv does not return


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicapex", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract -> build -> gate -> publish (snapshot by default)")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--live", action="store_true",
                        help="download from the SEC (needs AICAPEX_SEC_USER_AGENT with an e-mail)")
    source.add_argument("--snapshot", metavar="DIR",
                        help="replay a recorded snapshot (default: AICAPEX_SNAPSHOT_DIR or "
                             "../shared/fixtures)")
    run.add_argument("--company", action="append", metavar="TICKER",
                     help="only these companies' SEC data, then build, gate, publish (repeatable; "
                          "default: every source, the whole universe)")
    run.add_argument("--force", action="store_true",
                     help="build, gate and publish even when no input or code changed since "
                          "the published build")
    run.add_argument("--wait", action="store_true",
                     help="if another run holds the warehouse, wait for it instead of refusing")
    run.set_defaults(func=cmd_run)

    query = sub.add_parser("query", help="read-only SQL against the published marts")
    query.add_argument("sql", help="one SELECT statement")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--database", help="published file (default: warehouse/marts.duckdb)")
    query.set_defaults(func=cmd_query)

    report = sub.add_parser(
        "report", help="regenerate the analyst report (charts + data-quality summary)")
    report.set_defaults(func=cmd_report)

    snapshot = sub.add_parser("snapshot", help="record a snapshot of the live sources")
    snapshot_sub = snapshot.add_subparsers(dest="snapshot_command", required=True)
    record = snapshot_sub.add_parser(
        "record", help="download every source live into DIR (needs AICAPEX_SEC_USER_AGENT)")
    record.add_argument("directory", metavar="DIR")
    record.set_defaults(func=cmd_snapshot_record)

    back = sub.add_parser("rollback", help="restore the previous published marts.duckdb")
    back.set_defaults(func=cmd_rollback)

    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on localhost")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except RunInProgress as exc:
        print(f"aicapex {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (ConfigError, FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"aicapex {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as exc:
        print(f"aicapex {args.command}: refused by DuckDB: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
