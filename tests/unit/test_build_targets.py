"""Each dbt build's target folder: the newest are kept, older ones removed
(``orchestration.dbt_project.prune_build_targets``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from orchestration.dbt_project import prune_build_targets

HOUR = 3600


def folder(root: Path, name: str, age_s: float) -> Path:
    path = root / name
    (path / "compiled").mkdir(parents=True)
    (path / "run_results.json").write_text("{}")
    at = time.time() - age_s
    os.utime(path, (at, at))
    return path


def test_the_newest_builds_and_any_recent_one_are_kept(tmp_path: Path) -> None:
    old = [folder(tmp_path, f"aicapex_dbt_models-{i:07d}-abc", age_s=2 * HOUR + i * 60)
           for i in range(12)]  # old[0] is the newest of them
    running = folder(tmp_path, "aicapex_dbt_models-running-xyz", age_s=10)
    other = folder(tmp_path, "other_asset-0000000-abc", age_s=5 * HOUR)
    (tmp_path / "unit_tests_passed").mkdir()
    current = folder(tmp_path, "aicapex_dbt_models-current-def", age_s=0)

    removed = prune_build_targets(current, keep=4, min_age_s=HOUR)

    # the current build, the 3 newest others (one of them still running) stay
    assert sorted(removed) == sorted(old[2:])
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {current.name, running.name, old[0].name, old[1].name, other.name,
                    "unit_tests_passed"}


def test_a_recent_folder_beyond_the_count_is_left_for_its_build(tmp_path: Path) -> None:
    recent = [folder(tmp_path, f"aicapex_dbt_models-{i}-r", age_s=60 + i) for i in range(3)]
    current = folder(tmp_path, "aicapex_dbt_models-current-def", age_s=0)
    assert prune_build_targets(current, keep=1, min_age_s=HOUR) == []
    assert all(p.exists() for p in recent)
