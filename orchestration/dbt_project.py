"""The dbt project as Dagster sees it: location, executable, and a manifest that exists.

``DbtProject.prepare_if_dev()`` only parses under ``dagster dev``; tests, CI and ``aicapex run``
import the definitions directly, so ``ensure_manifest`` runs ``dbt parse`` whenever the manifest
is missing or older than any dbt source file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache, cached_property
from importlib import metadata
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.settings import DBT_PROJECT_DIR, Settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_DIRS = ("models", "seeds", "macros", "tests")


def dbt_executable() -> str:
    """The dbt next to this interpreter (dagster-dbt would otherwise search PATH)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


class AicapexDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that takes the dbt version from the installed dbt-core package.

    dagster-dbt runs ``dbt --version`` once per resource, and Dagster builds resources per run:
    ~1.7 s of every build here. ``dbt_executable()`` is the dbt of this interpreter's
    environment, whose version is dbt-core's."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))


def _newest_source_mtime() -> float:
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _SOURCE_DIRS:
        files.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in files if p.exists())


@cache
def _read_manifest(manifest: Path, mtime_ns: int) -> dict:
    return json.loads(manifest.read_text(encoding="utf-8"))


def read_manifest(manifest: Path) -> dict:
    """The parsed manifest, read once per process and file version (treat it as read-only)."""
    return _read_manifest(manifest, manifest.stat().st_mtime_ns) if manifest.exists() else {}


def mart_nodes(manifest: Path | None = None) -> list[dict]:
    data = read_manifest(manifest or ensure_manifest())
    return [node for node in data["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]]


def published_mart_names(manifest: Path | None = None) -> tuple[str, ...]:
    """Every model under ``models/marts/``: built in ``audit``, published when gates pass."""
    return tuple(sorted({node["name"] for node in mart_nodes(manifest)}))


def contract_columns(manifest: Path | None = None) -> dict[str, list[str]]:
    """Declared (contract) columns of each published mart, in order."""
    return {node["name"]: list(node["columns"]) for node in mart_nodes(manifest)}


def ensure_manifest() -> Path:
    manifest = dbt_project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime():
        return manifest
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False,
        # the build's own warehouse path: dbt keys partial parsing on the rendered profile, so
        # parsing with another path would make every `dbt build` parse the project again
        env={"AICAPEX_BUILD_DB": str(Settings.from_env().build_db), **os.environ},
    )
    if result.returncode != 0 or not manifest.exists():
        raise RuntimeError(
            f"dbt parse failed in {DBT_PROJECT_DIR} (exit {result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return manifest
