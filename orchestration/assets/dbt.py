"""dbt models, seeds and tests as Dagster assets and blocking asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.config import AicapexConfig
from orchestration.dbt_project import build_vars, dbt_project, ensure_manifest
from orchestration.gates import import_in_background
from orchestration.load_state import FORCE_TAG, build_fingerprint, published_build


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

    Skipped, with the gates and the publish after it, when the build fingerprint (every raw
    table's landed files, the dbt project, GX suites and code) equals the one of the build
    being served: nothing new would be built. ``aicapex run --force`` builds anyway.
    """
    config = settings.get()
    fingerprint = build_fingerprint(config.build_db)
    served = published_build(config)
    if (served and served["fingerprint"] == fingerprint
            and context.run.tags.get(FORCE_TAG) != "true"):
        context.log.info(
            f"nothing new since run {served['run_id']} published {config.marts_db.name}: "
            "dbt build, gates and publish skipped (aicapex run --force rebuilds)")
        yield dg.AssetObservation(asset_key="published_marts",
                                  metadata={"unchanged": True, "fingerprint": fingerprint,
                                            "served_run_id": served["run_id"]})
        return
    import_in_background()  # the GX gates come next; dbt runs in a subprocess meanwhile
    yield from dbt.cli(["build", "--vars", build_vars(config.build_db)], context=context).stream()
