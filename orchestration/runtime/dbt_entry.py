"""``aicapex-dbt``: dbt-core's own command line, told the build database by ``--build-db PATH``,
whose partial parsing survives a change of that path.

dbt parses the whole project again (~4 s of a build here) when the state it parsed under
changes: its ``--vars`` and the profile's connection keys, which for dbt-duckdb include the
database file's ``path``. Every new warehouse folder (each test's, a second checkout's, the
growth bench's) therefore paid a full parse, though parsing never opens the database. So:

* the path goes to dbt as ``AICAPEX_BUILD_DB`` (``profiles.yml`` reads it), not as a var;
* while dbt computes that state, dbt-duckdb's ``path`` is left out of the connection keys.

What a node is built into is its ``database`` (the file's stem, ``aicapex``): that stays a
connection key, and no model, macro or test of the project reads ``target.path``
(``tests/unit/test_dbt_entry.py`` checks both).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from orchestration.runtime.shutdown import freeze_heap_at_exit

BUILD_DB_FLAG = "--build-db"
BUILD_DB_ENV = "AICAPEX_BUILD_DB"


def take_build_db(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--build-db PATH`` (or ``--build-db=PATH``) out of ``argv``: the path and the rest."""
    rest: list[str] = []
    build_db = None
    args = iter(argv)
    for arg in args:
        if arg == BUILD_DB_FLAG:
            build_db = next(args, None)
            if build_db is None:
                raise SystemExit(f"aicapex-dbt: {BUILD_DB_FLAG} needs a path")
        elif arg.startswith(BUILD_DB_FLAG + "="):
            build_db = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return build_db, rest


def _state_check_without_path(state_check: Callable) -> Callable:
    """``ManifestLoader.build_manifest_state_check`` computed with ``path`` left out of the
    credentials' connection keys (put back as soon as it returns)."""
    def build_manifest_state_check(loader):
        credentials = type(loader.root_project.credentials)
        keys = credentials._connection_keys
        credentials._connection_keys = lambda self: tuple(k for k in keys(self) if k != "path")
        try:
            return state_check(loader)
        finally:
            credentials._connection_keys = keys

    return build_manifest_state_check


def main(argv: list[str] | None = None) -> None:
    freeze_heap_at_exit()
    build_db, rest = take_build_db(sys.argv[1:] if argv is None else argv)
    if build_db is not None:
        os.environ[BUILD_DB_ENV] = build_db
    from dbt.cli.main import cli
    from dbt.parser.manifest import ManifestLoader

    ManifestLoader.build_manifest_state_check = _state_check_without_path(
        ManifestLoader.build_manifest_state_check)
    sys.exit(cli(args=rest, prog_name="dbt"))


if __name__ == "__main__":
    main()
