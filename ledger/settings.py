"""Settings a ledger keeps beside its events: its time zone, and a note of its grade codes.

A setting is not evidence: it is not chained, and it changes no view's content, only how it
is shown. It lives in a table of its own (`ledger_settings`), made on the first write of a
setting, so stores written before it existed read as having no settings. The zone is written
once and then kept (`keep_setting`): the first import that names one gives the ledger its
zone. The grade codes are a cache (`put_setting`), valid for the ledger's length it records.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ledger.store.backend import Backend

TABLE = "ledger_settings"
ZONE = "timezone"  # an IANA time zone name, e.g. Europe/London
GRADES = "grade_codes"  # JSON {"top": notification id, "codes": [...]}: see cli.grades


def read_setting(backend: Backend, key: str) -> str | None:
    """The value of `key`, or None when the ledger has none."""
    with backend.reader() as cursor:
        if not _table_exists(cursor):
            return None
        cursor.execute(_dialect(cursor, f"SELECT value FROM {TABLE} WHERE key = ?"), (key,))
        row = cursor.fetchone()
    return None if row is None else str(row["value"])


def keep_setting(backend: Backend, key: str, value: str) -> str:
    """Set `key` to `value` unless the ledger already has a value for it; the value it has now.

    Two imports racing to set it agree on one: the first to commit wins, the other learns it.
    """
    with backend.connection() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        cursor.execute(
            _dialect(
                cursor, f"INSERT INTO {TABLE} (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING"
            ),
            (key, value),
        )
        cursor.execute(_dialect(cursor, f"SELECT value FROM {TABLE} WHERE key = ?"), (key,))
        row = cursor.fetchone()
    return str(row["value"])


def put_setting(backend: Backend, key: str, value: str) -> None:
    """Set `key` to `value`, replacing any value it had."""
    with backend.connection() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        cursor.execute(
            _dialect(
                cursor,
                f"INSERT INTO {TABLE} (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ),
            (key, value),
        )


def _table_exists(cursor: Any) -> bool:
    if isinstance(cursor, sqlite3.Cursor):
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,))
    else:  # PostgreSQL: the ledger's schema is first on the search path
        cursor.execute("SELECT 1 WHERE to_regclass(%s) IS NOT NULL", (TABLE,))
    return cursor.fetchone() is not None


def _dialect(cursor: Any, statement: str) -> str:
    """SQLite takes `?` placeholders, psycopg `%s`."""
    return statement if isinstance(cursor, sqlite3.Cursor) else statement.replace("?", "%s")
