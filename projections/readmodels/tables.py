"""The read models' tables, kept in the store's own database beside the events.

They cache exactly what `projections.analysis.compute.analyse` gives at the ledger's own
clock under the built-in policy, one set of rows per owner (an incident, or a loose event:
`kind` says which, so no reference is reserved, findings.md ruling 12), with the references
each owner's views were read by (`rm_deps`). One module owns the SQL so both databases get
the same statements: SQLite takes `?` placeholders, psycopg `%s`; rows are read by name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

NAME = "projections"  # the tracking name of the read models
# Bumped whenever the tables or what goes in them change: a store whose read models were
# written by another version is rebuilt on its next read.
SCHEMA_VERSION = "11"

INCIDENT, EVENT = "incident", "event"  # owner kinds

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rm_owners ("
    " kind TEXT NOT NULL, owner TEXT NOT NULL, first_call TEXT, first_call_utc TEXT,"
    " grade TEXT, status TEXT NOT NULL, events INTEGER NOT NULL, calls INTEGER NOT NULL,"
    " units TEXT NOT NULL, findings INTEGER NOT NULL, stale_after_utc TEXT, error TEXT,"
    " PRIMARY KEY (kind, owner))",
    "CREATE INDEX IF NOT EXISTS rm_owners_stale ON rm_owners (stale_after_utc)",
    "CREATE INDEX IF NOT EXISTS rm_owners_first ON rm_owners (first_call_utc)",
    # Owners that could not be computed: every stored read looks for them, so an index of the
    # few (a partial index: the rest of the table is not in it).
    "CREATE INDEX IF NOT EXISTS rm_owners_errors ON rm_owners (kind, owner)"
    " WHERE error IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS rm_units ("
    " unit TEXT NOT NULL, incident TEXT NOT NULL, PRIMARY KEY (unit, incident))",
    "CREATE TABLE IF NOT EXISTS rm_findings ("
    " kind TEXT NOT NULL, owner TEXT NOT NULL, position INTEGER NOT NULL,"
    " start_utc TEXT NOT NULL, incident TEXT, code TEXT NOT NULL, severity TEXT NOT NULL,"
    " body TEXT NOT NULL, PRIMARY KEY (kind, owner, position))",
    # The order `ledger findings` lists them in: start instant, incident ('' for none), code.
    "CREATE INDEX IF NOT EXISTS rm_findings_order"
    " ON rm_findings (start_utc, incident, code, kind, owner, position)",
    "CREATE TABLE IF NOT EXISTS rm_pending ("
    " kind TEXT NOT NULL, owner TEXT NOT NULL, position INTEGER NOT NULL,"
    " deadline_utc TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, owner, position))",
    # An event's line is read from the events table unless a correction changed it (`body`).
    "CREATE TABLE IF NOT EXISTS rm_timeline ("
    " incident TEXT NOT NULL, position INTEGER NOT NULL, notification_id BIGINT NOT NULL,"
    " row TEXT NOT NULL, body TEXT, PRIMARY KEY (incident, position))",
    "CREATE TABLE IF NOT EXISTS rm_deps ("
    " ref TEXT NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL,"
    " kind TEXT NOT NULL, owner TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rm_deps_ref ON rm_deps (ref, hi)",
    # Events that name no incident but belong to one (a call's end, an acknowledgement): the
    # rest of them are loose owners of their own.
    "CREATE TABLE IF NOT EXISTS rm_placed ("
    " notification_id BIGINT NOT NULL, incident TEXT NOT NULL,"
    " PRIMARY KEY (incident, notification_id))",
    "CREATE INDEX IF NOT EXISTS rm_deps_owner ON rm_deps (kind, owner)",
    # A digest of each owner's rows of each served table: see projections.readmodels.seals.
    "CREATE TABLE IF NOT EXISTS rm_seals ("
    " kind TEXT NOT NULL, owner TEXT NOT NULL, part TEXT NOT NULL, seal TEXT NOT NULL,"
    " PRIMARY KEY (part, kind, owner))",
]
TABLES = (
    "rm_meta",
    "rm_owners",
    "rm_units",
    "rm_findings",
    "rm_pending",
    "rm_timeline",
    "rm_deps",
    "rm_placed",
    "rm_seals",
)
OWNED = (  # table -> its owner columns: an owner's rows are replaced whole
    ("rm_owners", "kind", "owner"),
    ("rm_findings", "kind", "owner"),
    ("rm_pending", "kind", "owner"),
    ("rm_deps", "kind", "owner"),
)
# Each table's columns, as written and read back; the owner's columns come first, so a row's
# owner is (row[0], row[1]), or (incident, row[0]) for the tables only incidents have.
COLUMNS: dict[str, tuple[str, ...]] = {
    "rm_owners": (
        "kind", "owner", "first_call", "first_call_utc", "grade", "status", "events", "calls",
        "units", "findings", "stale_after_utc", "error",
    ),
    "rm_findings": (
        "kind", "owner", "position", "start_utc", "incident", "code", "severity", "body",
    ),
    "rm_pending": ("kind", "owner", "position", "deadline_utc", "body"),
    "rm_deps": ("kind", "owner", "ref", "lo", "hi"),
    "rm_timeline": ("incident", "position", "notification_id", "row", "body"),
    "rm_units": ("incident", "unit"),
    "rm_placed": ("incident", "notification_id"),
}  # fmt: skip
INCIDENT_TABLES = ("rm_timeline", "rm_units", "rm_placed")
_CHUNK = 400


def tuples(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of either database (sqlite3.Row, psycopg's dicts) as plain tuples, in their
    columns' order."""
    return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]


def utc(moment: datetime) -> str:
    """A sortable UTC text form: the read models compare instants as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Sql:
    """A cursor of either database, spoken to in one placeholder style."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.sqlite = isinstance(cursor, sqlite3.Cursor)

    def _dialect(self, statement: str) -> str:
        # psycopg takes %s, and a literal % must be doubled.
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

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Many rows at once: PostgreSQL's COPY (one stream, not a round trip a row), SQLite's
        executemany."""
        if not rows:
            return
        names = ", ".join(columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            return
        with self.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def where_in(self, statement: str, values: Sequence[Any], *params: Any) -> list[Any]:
        """`statement` with `{marks}` for an IN list, run over chunks of `values`; `params`
        bind the placeholders that come before the list."""
        found: list[Any] = []
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            found += self.rows(statement.format(marks=marks), [*params, *chunk])
        return found

    def delete_in(self, statement: str, values: Sequence[Any], *params: Any) -> None:
        for start in range(0, len(values), _CHUNK):
            chunk = list(values[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            self.run(statement.format(marks=marks), [*params, *chunk])

    def create(self) -> None:
        for statement in SCHEMA:
            self.run(statement)

    def drop(self) -> None:
        for table in (*TABLES, "rm_incidents", "rm_incident_units"):  # and those of version 7
            self.run(f"DROP TABLE IF EXISTS {table}")

    def clear(self) -> None:
        """Empty every read model but the meta table (its rows say how far a build got)."""
        for table in TABLES:
            if table != "rm_meta":
                self.run(f"DELETE FROM {table}")
        self.run("DELETE FROM rm_meta WHERE key LIKE 'seal:%'")  # the totals of no seals

    def meta(self, key: str) -> str | None:
        found = self.rows("SELECT value FROM rm_meta WHERE key = ?", (key,))
        return str(found[0]["value"]) if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.run(
            "INSERT INTO rm_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def drop_meta(self, key: str) -> None:
        self.run("DELETE FROM rm_meta WHERE key = ?", (key,))
