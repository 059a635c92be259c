"""Cheaper commits for the Dagster instance's SQLite storage (run and event logs).

Dagster's SQLite storage opens a connection and commits once per event, and a run of the main
job writes ~550 events plus ~400 "planned" events at launch (one per asset and per check). With
SQLite's default ``synchronous=FULL`` every commit waits for an fsync: ~20 s of a 27 s run that
had nothing new to build, measured here. The databases are in WAL mode (Dagster sets it), where
``synchronous=NORMAL`` stays consistent after a crash or SIGKILL and can only lose the last
commits on a power loss or OS crash — acceptable for a run log, and what SQLite recommends for
WAL. Postgres storage (docs/scaling.md) is the answer past one machine.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_synchronous_normal(dbapi_connection, _connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
