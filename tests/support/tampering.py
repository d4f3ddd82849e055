"""Raw access to a store's database, as someone with access to its file or server has."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ledger.store.urls import parse_store_url


@contextmanager
def raw(store_url: str) -> Iterator[tuple[Any, str]]:
    """A raw connection to the store's database and the events table's qualified name."""
    url = parse_store_url(store_url)
    if url.kind == "sqlite":
        conn = sqlite3.connect(str(url.path), isolation_level=None)
        try:
            yield conn, "stored_events"
        finally:
            conn.close()
        return
    import psycopg

    with psycopg.connect(store_url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{url.schema}"')
        yield conn, "ledger_events"


def drop_guards(conn: Any, table: str) -> None:
    """What someone with file access would do first: take the triggers away."""
    if isinstance(conn, sqlite3.Connection):
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in names:
            conn.execute(f"DROP TRIGGER {name}")
    else:
        for name in (table, "ledger_chain", "ledger_index"):
            conn.execute(f"ALTER TABLE {name} DISABLE TRIGGER USER")
