"""The read models' tables, kept in the store's own database beside the events.

One module owns the SQL so both databases get the same statements: SQLite takes `?`
placeholders, psycopg `%s`, and rows are read by column name on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

NAME = "projections"  # the tracking name of the read models
# Bumped whenever the tables or what goes in them change: a store whose read models were
# written by another version is rebuilt on its next read.
SCHEMA_VERSION = "7"

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rm_incidents ("
    " incident TEXT PRIMARY KEY, first_call TEXT, first_call_utc TEXT, grade TEXT,"
    " status TEXT NOT NULL, events INTEGER NOT NULL, calls INTEGER NOT NULL,"
    " units TEXT NOT NULL, findings INTEGER NOT NULL, stale_after_utc TEXT)",
    "CREATE INDEX IF NOT EXISTS rm_incidents_stale ON rm_incidents (stale_after_utc)",
    "CREATE TABLE IF NOT EXISTS rm_incident_units ("
    " unit TEXT NOT NULL, incident TEXT NOT NULL, PRIMARY KEY (unit, incident))",
    "CREATE TABLE IF NOT EXISTS rm_findings ("
    " owner TEXT NOT NULL, position INTEGER NOT NULL, start_utc TEXT NOT NULL,"
    " incident TEXT, code TEXT NOT NULL, severity TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (owner, position))",
    # The order `ledger findings` lists them in: start instant, incident ('' for none), code.
    "CREATE INDEX IF NOT EXISTS rm_findings_order"
    " ON rm_findings (start_utc, incident, code, owner, position)",
    "CREATE TABLE IF NOT EXISTS rm_timeline ("
    " incident TEXT NOT NULL, position INTEGER NOT NULL, row TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (incident, position))",
]
TABLES = ("rm_meta", "rm_incidents", "rm_incident_units", "rm_findings", "rm_timeline")
_CHUNK = 500


def utc(moment: datetime) -> str:
    """A sortable UTC text form: the read models compare instants as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Sql:
    """A cursor of either database, spoken to in one placeholder style."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.sqlite = isinstance(cursor, sqlite3.Cursor)

    def _dialect(self, statement: str) -> str:
        # psycopg takes %s, and a literal % (as in LIKE '#%') must be doubled.
        return statement if self.sqlite else statement.replace("%", "%%").replace("?", "%s")

    def run(self, statement: str, params: Sequence[Any] = ()) -> Any:
        self.cursor.execute(self._dialect(statement), params)
        return self.cursor

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.run(statement, params).fetchall())

    def many(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:
            self.cursor.executemany(self._dialect(statement), batch)

    def where_in(self, statement: str, values: Sequence[Any]) -> list[Any]:
        """`statement` with `{marks}` for an IN list, run over chunks of `values`."""
        found: list[Any] = []
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            found += self.rows(statement.format(marks=",".join("?" * len(chunk))), chunk)
        return found

    def delete_in(self, statement: str, values: Sequence[Any]) -> None:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            self.run(statement.format(marks=",".join("?" * len(chunk))), chunk)

    def create(self) -> None:
        for statement in SCHEMA:
            self.run(statement)

    def drop(self) -> None:
        for table in TABLES:
            self.run(f"DROP TABLE IF EXISTS {table}")

    def meta(self, key: str) -> str | None:
        found = self.rows("SELECT value FROM rm_meta WHERE key = ?", (key,))
        return str(found[0]["value"]) if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.run(
            "INSERT INTO rm_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
