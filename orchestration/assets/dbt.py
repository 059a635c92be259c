"""dbt models, seeds and tests as Dagster assets and blocking asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    dbt_assets,
)

from orchestration.dbt_project import (
    build_args,
    dbt_project,
    ensure_manifest,
    keep_parse_state,
    prune_build_targets,
)
from orchestration.load_state import (
    FORCE_TAG,
    INPUTS_TAG,
    build_fingerprint,
    code_fingerprint,
    published_build,
    record_inputs,
)
from orchestration.quality.checks import check_results, compiled_tests
from orchestration.quality.gx import import_in_background
from orchestration.quality.ledger import record_checks, record_skipped
from orchestration.quality.unit_tests import (
    STAGE,
    passed_record,
    record_if_all_passed,
    skip_reason,
)
from orchestration.resources import AicapexConfig

# what a build that finds nothing new does not run (the gates and publish depend on the marts)
SKIPPED_WITH_THE_BUILD = ("dbt build", "mart gates", "publish")


class AicapexDbtTranslator(DagsterDbtTranslator):
    """Group dbt nodes by layer: seeds, staging, intermediate, marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = AicapexDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
)


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool="warehouse",
)
def aicapex_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: AicapexConfig
):
    """``dbt build``: seeds, models, unit tests and data tests (error severity = blocking).
    Unit tests run once per version of the code (``orchestration.quality.unit_tests``).

    Every dbt test result goes to the run ledger (with a sample of its failing rows, read once
    dbt has exited). Skipped, with the gates and the publish after it, when the build
    fingerprint (every raw table's landed files, the dbt project, GX suites and code) equals the
    one of the build being served: nothing new would be built; the ledger records the skipped
    stages. ``aicapex run --force`` builds anyway.
    """
    config = settings.get()
    fingerprint = build_fingerprint(config.build_db)
    served = published_build(config)
    if (served and served["fingerprint"] == fingerprint
            and context.run.tags.get(FORCE_TAG) != "true"):
        reason = f"nothing new since run {served['run_id']}"
        record_skipped(config.reports_dir, context.run_id, list(SKIPPED_WITH_THE_BUILD),
                       reason, since_run_id=served["run_id"])
        record_inputs(config, served, context.run.tags.get(INPUTS_TAG))
        context.log.info(
            f"{reason} published {config.marts_db.name}: "
            "dbt build, gates and publish skipped (aicapex run --force rebuilds)")
        return
    import_in_background()  # the GX gates come next; dbt runs in a subprocess meanwhile
    code = code_fingerprint()
    unit_tests = passed_record(code)
    if unit_tests:
        record_skipped(config.reports_dir, context.run_id, [STAGE], skip_reason(unit_tests),
                       since_run_id=unit_tests["run_id"])
        context.log.info(f"{STAGE} not run: {skip_reason(unit_tests)}")
    tests = []
    invocation = dbt.cli(build_args(config.build_db, unit_tests_passed=bool(unit_tests)),
                         context=context)
    try:
        for event in invocation.stream():
            if isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation):
                tests.append(event)
            yield event
    finally:  # dbt has exited (also when it failed): its failing rows can be read now
        results = _run_results(invocation)
        compiled = compiled_tests(results)
        record_checks(config.reports_dir, [
            row for test in tests
            for row in check_results(context.run_id, test, config.build_db, compiled)])
        if not unit_tests:
            record_if_all_passed(results, invocation.manifest, code, context.run_id)
        keep_parse_state(invocation.target_path)  # dagster-dbt makes it absolute
        prune_build_targets(invocation.target_path)


def _run_results(invocation: DbtCliInvocation) -> dict:
    """dbt's ``run_results.json`` of the build (none when dbt died before writing it)."""
    try:
        return invocation.get_artifact("run_results.json")
    except (OSError, ValueError):  # missing, or cut short (orjson's error is a ValueError)
        return {}
