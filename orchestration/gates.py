"""Great Expectations gates: one JSON suite per published mart, validated on a pandas frame.

GX's SQL path does not work on DuckDB (STACK-NOTES), so each mart is read from the ``audit``
schema into pandas and validated there; the marts are small.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
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


def validate_frame(
    suite_json: dict, frame: pd.DataFrame, key_columns: tuple[str, ...] = ()
) -> SuiteOutcome:
    """Run a GX suite on ``frame``; failing rows are reported by their key columns."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    name = suite_json.get("name", "suite")
    suite = context.suites.add(
        gx.ExpectationSuite(name=name, expectations=suite_json["expectations"])
    )
    asset = context.data_sources.add_pandas(f"{name}_source").add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe("whole")
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch, suite=suite)
    )
    result = validation.run(batch_parameters={"dataframe": frame}, result_format="COMPLETE")
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
    return SuiteOutcome(suite=name, success=bool(result.success), rows=len(frame),
                        outcomes=outcomes)
