"""The ledger's own tables read raw for verification: every value exactly as the database holds
it (a TEXT where bytes belong, a NULL, a string in a number's column), never converted.

Everything is read through one read transaction (a snapshot, so an import committing meanwhile
is either wholly seen or not at all) and streamed, a page at a time: memory stays flat.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from itertools import count
from typing import Any

from ledger.store.backend import CHAIN_TABLE, REFS_TABLE

PAGE = 5000
_names = count()  # PostgreSQL's server-side cursors need a name each


def _sqlite(cursor: Any) -> bool:
    return isinstance(cursor, sqlite3.Cursor)


def events_table(cursor: Any) -> tuple[str, str]:
    """(table, position column) of the events: eventsourcing names them per database."""
    return ("stored_events", "rowid") if _sqlite(cursor) else ("ledger_events", "notification_id")


def snapshot(cursor: Any) -> None:
    """Make every later read of this transaction see one state of the store."""
    if not _sqlite(cursor):  # SQLite's read transaction already is one snapshot
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def missing_tables(cursor: Any) -> list[str]:
    """The ledger's tables that are not there (dropped outside the ledger)."""
    wanted = [events_table(cursor)[0], CHAIN_TABLE, REFS_TABLE]
    if _sqlite(cursor):
        rows = cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        present = {row[0] for row in rows}
    else:  # the ledger's schema is first on the search path
        cursor.execute(
            "SELECT name FROM unnest(%s::text[]) AS t(name) WHERE to_regclass(name) IS NOT NULL",
            (wanted,),
        )
        present = {row["name"] for row in cursor.fetchall()}
    return [name for name in wanted if name not in present]


Rows = Generator[tuple[Any, ...], None, None]


def stream(cursor: Any, statement: str) -> Rows:
    """The rows of `statement` as tuples, fetched a page at a time."""
    if _sqlite(cursor):
        reading = cursor.connection.cursor()
        reading.row_factory = None
        reading.execute(statement)
    else:
        from psycopg.rows import tuple_row

        reading = cursor.connection.cursor(name=f"verify_{next(_names)}", row_factory=tuple_row)
        reading.execute(statement.replace("?", "%s"))
    try:
        while page := reading.fetchmany(PAGE):
            yield from (tuple(row) for row in page)
    finally:  # also when the caller stops early: see `closing` in the callers
        reading.close()


def event_rows(cursor: Any) -> Rows:
    """(position, originator id, version, topic, state) of every stored event, in order."""
    table, position = events_table(cursor)
    return stream(
        cursor,
        f"SELECT {position}, originator_id, originator_version, topic, state FROM {table} "
        f"ORDER BY {position}",
    )


def chain_rows(cursor: Any) -> Rows:
    """(seq, notification id, hash) of every chain entry, in order."""
    return stream(cursor, f"SELECT seq, notification_id, hash FROM {CHAIN_TABLE} ORDER BY seq")


def index_rows(cursor: Any) -> Rows:
    """(notification id, reference, instant) of every index row, by notification id."""
    return stream(
        cursor, f"SELECT notification_id, ref, at FROM {REFS_TABLE} ORDER BY notification_id"
    )


def kind(value: object) -> str:
    """How a stored value reads to a person: its SQL kind."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "TEXT"
    if isinstance(value, bytes | bytearray | memoryview):
        return "BLOB"
    return "a number" if isinstance(value, int | float) else type(value).__name__
