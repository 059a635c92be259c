"""``aicapex``: run the pipeline, query the published marts, write the analyst report.

``aicapex run`` executes the job of the one Dagster ``Definitions`` (the same one the UI and
schedules use) against the project's Dagster instance, so its runs show in ``dagster dev``.
The CLI only reads its flags: configuration is ``orchestration.config``, running is
``orchestration.runtime``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.config import read_settings
from orchestration.runtime.lock import RunInProgress, run_lock
from orchestration.runtime.shutdown import freeze_heap_at_exit
from orchestration.settings import ConfigError, Settings

if TYPE_CHECKING:
    from orchestration.resources import AicapexConfig

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY, EXIT_PARTIAL = 0, 1, 2, 3, 4
# why a company has no data from a source, by mode (a live source answered HTTP 404)
NO_DATA = {"snapshot": "not in this snapshot", "live": "the source has none: HTTP 404"}


def exit_status(success: bool, stale: list[str]) -> int:
    """0 success; 4 partial: the run succeeded, but a source (a price document, or one
    company's SEC data) failed alone and its last good data was used (README "Exit codes");
    1 the run failed."""
    if not success:
        return EXIT_FAILED
    return EXIT_PARTIAL if stale else EXIT_OK


def config_from_args(args: argparse.Namespace) -> AicapexConfig:
    """The configuration from the environment, with what the flags say on top of it."""
    from orchestration.resources import load_config

    overrides: dict[str, str] = {}
    if getattr(args, "live", False):
        overrides["mode"] = "live"
    if getattr(args, "snapshot", None):
        overrides |= {"mode": "snapshot", "snapshot_dir": str(Path(args.snapshot).resolve())}
    return load_config(**overrides)


def execute_main_job(config: AicapexConfig, companies: list[str] | None = None, instance=None,
                     force: bool = False, runs_dir: Path | None = None, verbose: bool = False,
                     display=None, inputs: str | None = None):
    """Run the main job (every source, all companies) or, for a contiguous range of companies,
    the SEC job the new-filing sensor runs (their SEC extract, then raw, dbt, gates, publish:
    other companies and the price sources are not extracted again). ``force`` builds, gates and
    publishes even when nothing new came in; ``inputs`` (snapshot runs of every company) are
    the snapshot inputs the run reads (``load_state.snapshot_inputs``)."""
    from orchestration.automation import SEC_JOB
    from orchestration.definitions import MAIN_JOB
    from orchestration.load_state import INPUTS_TAG
    from orchestration.runtime.instance import project_instance
    from orchestration.runtime.launch import execute_job, run_tags, select_companies
    from orchestration.universe import load_universe

    tickers = select_companies([c.ticker for c in load_universe()], companies)
    tags = {**run_tags(tickers, force), **({INPUTS_TAG: inputs} if inputs else {})}
    return execute_job(SEC_JOB if companies else MAIN_JOB, config,
                       instance or project_instance(), tags=tags,
                       runs_dir=runs_dir, verbose=verbose, display=display)


def print_summary(report, settings: Settings, path: Path) -> None:
    failed = report.failed_checks
    blocking = sum(c.blocking for c in failed)
    print("\n=== aicapex run summary ===")
    print(f"run id:     {report.run_id}")
    print(f"status:     {report.outcome}"
          + (f" - {len(report.stale_sources)} source document(s) failed alone; their last "
             "good data was used" if report.partial else ""))
    for note in report.stale_sources:
        print(f"stale:      {note[:300]}")
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
        print(f"no data:    {source}: {', '.join(tickers)} ({NO_DATA.get(report.mode, '')})")
    for error in report.errors:
        print(f"error:      {error.splitlines()[0][:300]}")
    print(f"report:     {path}")
    print(f"quality:    {path.with_name('quality.html')}")


def cmd_run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    settings = config.get()
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
    from orchestration.report import build_run_report, write_report
    from orchestration.runtime.instance import project_instance
    from orchestration.runtime.progress import progress_display

    instance = project_instance()
    runs_dir = settings.reports_dir / "runs"
    with run_lock(settings.warehouse_dir, wait=args.wait), \
            progress_display(enabled=not args.verbose) as display:
        inputs = served = None
        if settings.mode == "snapshot" and not args.company:  # docs: runtime/unchanged.py
            from orchestration.load_state import snapshot_inputs
            from orchestration.runtime.unchanged import served_unchanged

            inputs = snapshot_inputs(settings)
            served = None if args.force else served_unchanged(settings, inputs)
        if served:
            from orchestration.runtime.launch import execute_job
            from orchestration.runtime.unchanged import run_config, unchanged_job

            result = execute_job(unchanged_job, config, instance, runs_dir=runs_dir,
                                 verbose=args.verbose, display=display,
                                 run_config=run_config(served["run_id"]))
        else:
            result = execute_main_job(config, args.company, instance=instance, force=args.force,
                                      runs_dir=runs_dir, verbose=args.verbose, display=display,
                                      inputs=inputs)
    report = build_run_report(instance, result.run_id, settings)
    path = write_report(settings.reports_dir, report, settings.marts_db)
    print_summary(report, settings, path)
    print(f"log:        {settings.reports_dir / 'runs' / result.run_id / 'run.log'}")
    return exit_status(report.success, report.stale_sources)


def cmd_snapshot_record(args: argparse.Namespace) -> int:
    """Download every source live into DIR, laid out as a snapshot that `--snapshot` replays."""
    target = Path(args.directory).resolve()
    from orchestration.resources import load_config

    config = load_config(mode="live", landing_dir=str(target))
    config.get().require_live_user_agent()
    from orchestration.automation import RECORD_JOB
    from orchestration.report.run import missing_companies, stale_sources
    from orchestration.runtime.instance import project_instance
    from orchestration.runtime.launch import execute_job, run_tags, select_companies
    from orchestration.universe import load_universe

    tickers = select_companies([c.ticker for c in load_universe()], args.company)

    instance = project_instance()
    result = execute_job(RECORD_JOB, config, instance, tags=run_tags(tickers))
    stale = stale_sources(instance, result.run_id)
    verdict = "FAILED" if not result.success else "PARTIAL" if stale else "recorded"
    print(f"snapshot {verdict} in {target} (landing log: {target / 'landing_log.jsonl'})")
    for note in stale:
        print(f"failed alone: {note[:300]}")
    for source, names in missing_companies(instance, result.run_id).items():
        print(f"no data:      {source}: {', '.join(names)} ({NO_DATA['live']})")
    return exit_status(result.success, stale)


def cmd_rollback(args: argparse.Namespace) -> int:
    from orchestration.publish import rollback

    settings = read_settings()
    restored = rollback(settings)
    print(f"restored {restored.name} as {settings.marts_db} (Parquet exports refreshed)")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from orchestration.query import fetch, render

    settings = read_settings()
    marts_db = Path(args.database) if args.database else settings.marts_db
    columns, rows = fetch(marts_db, args.sql)
    sys.stdout.write(render(columns, rows, args.format).rstrip("\n") + "\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Regenerate the analyst page from the published marts and the latest run's results."""
    from orchestration.query import is_whole_database
    from orchestration.report.analyst import write_analyst_page
    from orchestration.report.run import RunReport

    settings = read_settings()
    latest = settings.reports_dir / "latest" / "dq_results.json"
    report = RunReport.from_json(latest.read_text(encoding="utf-8")) if latest.is_file() else None
    if report is None:
        print(f"no data-quality results yet at {latest}: run `aicapex run` first")
    else:
        failed = report.failed_checks
        print(f"run {report.run_id} ({report.mode}): {report.outcome}, marts {report.verdict}, "
              f"{len(report.checks) - len(failed)} checks passed, {len(failed)} failed")
        for check in failed:
            print(f"  FAIL {check.asset} :: {check.check_name}: {check.observed_value}"
                  f" {check.failing_rows[:200]}")
    if not settings.marts_db.is_file():
        print(f"nothing published yet at {settings.marts_db}: the charts are notes until then")
    elif not is_whole_database(settings.marts_db):
        print(f"{settings.marts_db} is damaged: the charts are notes until `aicapex rollback` "
              "restores the last good version (or the next `aicapex run` publishes a new one)")
    path = write_analyst_page(settings.reports_dir, report, settings.marts_db)
    print(f"analyst report: {path}")
    if path.with_name("quality.html").is_file():
        print(f"data quality:   {path.with_name('quality.html')}")
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    from orchestration.runtime.instance import project_instance

    project_instance()  # creates $DAGSTER_HOME and exports it to dagster dev
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
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
    run.add_argument("-v", "--verbose", action="store_true",
                     help="stream the full run log (always written to reports/runs/<id>/run.log)")
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
    record.add_argument("--company", action="append", metavar="TICKER",
                        help="record only these companies' SEC data (repeatable, contiguous in "
                             "the universe order; default: every company); prices always")
    record.set_defaults(func=cmd_snapshot_record)

    back = sub.add_parser("rollback", help="restore the previous published marts.duckdb")
    back.set_defaults(func=cmd_rollback)

    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on localhost")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    freeze_heap_at_exit()
    args = build_parser().parse_args(argv)
    # Dagster's notices about its own beta parameters are for the project's developers
    warnings.filterwarnings("ignore", message=r".*is currently in beta")
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
