"""Waiting for events other processes append: PostgreSQL `LISTEN/NOTIFY`; SQLite by polling.

Every write transaction on PostgreSQL sends `pg_notify(CHANNEL, schema)` (delivered when it
commits), so a waiting reader wakes at once. SQLite has no such signal between processes:
the reader looks at the notification log's last id every `POLL` seconds. Either way a wake-up
only says "look again": the reader reads from its own position, so a missed or duplicated
notification costs nothing.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from ledger.errors import StoreError
from ledger.store.backend import Backend

CHANNEL = "incident_ledger_appended"
POLL = 0.1  # seconds between looks at an SQLite ledger's last id


class Waiter(Protocol):
    def wait(self, position: int, timeout: float) -> bool:
        """Return True once events after `position` are there, False after `timeout` s."""
        ...

    def close(self) -> None: ...


class Polling:
    """SQLite: the notification log's last id, looked at every `POLL` seconds."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def wait(self, position: int, timeout: float) -> bool:
        until = time.monotonic() + max(timeout, 0.0)
        while True:
            if self.backend.top() > position:
                return True
            left = until - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(POLL, left))

    def close(self) -> None:
        pass


class Listening:
    """PostgreSQL: a connection of its own that LISTENs for this schema's appends."""

    def __init__(self, backend: Backend, connection: Any, schema: str) -> None:
        self.backend = backend
        self.connection = connection
        self.schema = schema
        connection.execute(f"LISTEN {CHANNEL}")  # before the first read: nothing slips by

    def wait(self, position: int, timeout: float) -> bool:
        if self.backend.top() > position:
            return True
        import psycopg  # only a PostgreSQL store has a Listening waiter

        until = time.monotonic() + max(timeout, 0.0)
        try:
            while (left := until - time.monotonic()) > 0:
                for notice in self.connection.notifies(timeout=left, stop_after=1):
                    if notice.payload == self.schema:
                        return True
        except psycopg.Error as error:  # the server went away, say
            raise StoreError(f"{self.backend.description}: stopped listening ({error})") from error
        return self.backend.top() > position

    def close(self) -> None:
        self.connection.close()


def waiter_for(backend: Backend) -> Waiter:
    """How to wait for appends to this store."""
    from ledger.store.postgres import PostgresBackend

    if isinstance(backend, PostgresBackend):
        return Listening(backend, backend.listener(), backend.url.schema)
    return Polling(backend)
