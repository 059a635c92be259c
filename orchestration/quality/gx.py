"""Great Expectations suites: one JSON suite per published mart, validated on a pandas frame.

GX's SQL path does not work on DuckDB (STACK-NOTES), so each mart is read from the ``audit``
schema into pandas and validated there; the marts are small.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TQDM_DISABLE", "1")


@dataclass
class ExpectationOutcome:
    expectation: str
    kwargs: dict
    success: bool
    observed_value: object = None
    unexpected_count: int | None = None
    failing_rows: list[dict] = field(default_factory=list)

    def describe(self) -> str:
        target = self.kwargs.get("column") or self.kwargs.get("column_list") or ""
        status = "pass" if self.success else "FAIL"
        detail = ""
        if not self.success:
            detail = f" unexpected={self.unexpected_count} observed={self.observed_value}"
            if self.failing_rows:
                detail += f" rows={self.failing_rows[:3]}"
        return f"[{status}] {self.expectation} {target}{detail}"


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def load_suite_json(path: Path) -> dict:
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read expectation suite: {exc}") from exc
    if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list):
        raise ValueError(f"{path}: an expectation suite needs a list under 'expectations'")
    return suite


def _jsonable(value: object) -> object:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def _get_or_add(getter, adder, name: str):
    try:
        return getter(name)
    except (KeyError, LookupError, ValueError, gx_exceptions().DataContextError):
        return adder(name)


def gx_exceptions():
    import great_expectations.exceptions as exceptions

    return exceptions


def data_docs_index(project_root: Path) -> Path:
    return project_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def import_in_background() -> threading.Thread:
    """Import Great Expectations in a thread (~4 s here) while the caller waits on something
    else — the dbt build runs in a subprocess — so the first gate does not pay for it."""

    def _import() -> None:
        import great_expectations  # noqa: F401
        from great_expectations.render.renderer.site_builder import SiteBuilder  # noqa: F401

    thread = threading.Thread(target=_import, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


@cache
def _context(project_root: str | None):
    """One GX context per project folder and process: opening a file-backed context reads and
    writes its whole store (~0.5 s), and a run validates every mart in turn."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if project_root is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=project_root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate_frames(
    batches: list[tuple[dict, pd.DataFrame, tuple[str, ...]]],
    project_root: Path | None = None,
) -> list[SuiteOutcome]:
    """Run each (suite, frame, key columns) through its checkpoint, then, with
    ``project_root``, render the Data Docs of these validations once: a checkpoint's own
    Data Docs action re-renders the site's index for every suite (~0.4 s each here)."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    context = _context(str(project_root) if project_root else None)
    outcomes, rendered = [], []
    for suite_json, frame, key_columns in batches:
        identifier, result = _run_checkpoint(context, suite_json, frame)
        rendered += [identifier, ExpectationSuiteIdentifier(name=result.suite_name)]
        outcomes.append(_suite_outcome(result, frame, key_columns))
    if project_root and rendered:
        context.build_data_docs(resource_identifiers=rendered, build_index=True)
    return outcomes


def _run_checkpoint(context, suite_json: dict, frame: pd.DataFrame):
    """(validation result identifier, result) of ``suite_json`` on ``frame``."""
    import great_expectations as gx

    name = suite_json.get("name", "suite")
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(name=name, expectations=suite_json["expectations"])
    )
    source = _get_or_add(context.data_sources.get, context.data_sources.add_pandas,
                         "aicapex_audit")
    asset = _get_or_add(source.get_asset, source.add_dataframe_asset, name)
    batch = _get_or_add(asset.get_batch_definition,
                        asset.add_batch_definition_whole_dataframe, "whole")
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[validation], actions=[],
                      result_format="COMPLETE")
    )
    run = checkpoint.run(batch_parameters={"dataframe": frame})
    return next(iter(run.run_results.items()))


def _suite_outcome(result, frame: pd.DataFrame, key_columns: tuple[str, ...]) -> SuiteOutcome:
    keys = [c for c in key_columns if c in frame.columns]
    outcomes = []
    for item in result.results:
        details = item.result or {}
        index = details.get("unexpected_index_list") or []
        rows = []
        if keys and index:
            positions = [i for i in index[:5] if isinstance(i, int) and i < len(frame)]
            cols = keys + ([item.expectation_config.kwargs["column"]]
                           if "column" in item.expectation_config.kwargs else [])
            rows = [
                {k: _jsonable(v) for k, v in row.items()}
                for row in frame.iloc[positions][list(dict.fromkeys(cols))].to_dict("records")
            ]
        outcomes.append(
            ExpectationOutcome(
                expectation=item.expectation_config.type,
                kwargs=dict(item.expectation_config.kwargs),
                success=bool(item.success),
                observed_value=_jsonable(details.get("observed_value")),
                unexpected_count=details.get("unexpected_count"),
                failing_rows=rows,
            )
        )
    return SuiteOutcome(suite=result.suite_name, success=bool(result.success), rows=len(frame),
                        outcomes=outcomes)
