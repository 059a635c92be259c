"""Great Expectations suites as blocking asset checks on the audit marts."""

import dagster as dg
import duckdb

from orchestration.gates import SuiteOutcome, load_suite_json, validate_frame
from orchestration.publish import MARTS
from orchestration.resources import SettingsResource
from orchestration.settings import EXPECTATIONS_DIR


def read_audit_mart(build_db: str, mart: str):
    with duckdb.connect(build_db, read_only=True) as con:
        return con.execute(f"select * from audit.{mart}").df()


def check_result(outcome: SuiteOutcome, suite_path: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{len(outcome.outcomes) - len(outcome.failures)}/{len(outcome.outcomes)} "
            f"expectations passed on {outcome.rows} rows"
        ),
        metadata={
            "suite": suite_path,
            "rows": outcome.rows,
            "failed_expectations": dg.MetadataValue.json(
                [f.describe() for f in outcome.failures]
            ),
            "results": dg.MetadataValue.json(
                [{"expectation": o.expectation, "kwargs": o.kwargs, "success": o.success,
                  "observed_value": o.observed_value, "unexpected_count": o.unexpected_count,
                  "failing_rows": o.failing_rows} for o in outcome.outcomes]
            ),
        },
    )


def gx_check(mart: str) -> dg.AssetChecksDefinition:
    suite_path = EXPECTATIONS_DIR / f"{mart}.json"

    @dg.asset_check(
        asset=dg.AssetKey(["audit", mart]),
        name=f"gx_{mart}",
        description=f"Great Expectations suite expectations/{mart}.json",
        blocking=True,
        pool="warehouse",
    )
    def _check(settings: SettingsResource) -> dg.AssetCheckResult:
        suite = load_suite_json(suite_path)
        frame = read_audit_mart(str(settings.get().build_db), mart)
        keys = tuple(suite.get("meta", {}).get("key_columns", ()))
        return check_result(validate_frame(suite, frame, keys), str(suite_path))

    return _check


gx_checks = [gx_check(mart) for mart in MARTS]
