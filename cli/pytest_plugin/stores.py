"""Fresh stores for tests: SQLite always, PostgreSQL too when LEDGER_TEST_POSTGRES names a
server (each store then a schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POSTGRES_VARIABLE = "LEDGER_TEST_POSTGRES"
SQLITE = "sqlite"
POSTGRES = "postgres"


def postgres_server() -> str | None:
    """The server LEDGER_TEST_POSTGRES names (postgresql://USER@HOST:PORT/DB), if any."""
    return os.environ.get(POSTGRES_VARIABLE) or None


def stream_backends() -> tuple[str, ...]:
    """Where recorded streams are checked: SQLite, and PostgreSQL when a server is named
    (findings must not depend on the backend, findings.md ruling 1)."""
    return (SQLITE, POSTGRES) if postgres_server() else (SQLITE,)


def default_backend() -> str:
    """The backend of the `ledger_store` fixture: PostgreSQL when a server is named."""
    return POSTGRES if postgres_server() else SQLITE


@contextmanager
def fresh_store(backend: str, folder: Path | None = None) -> Iterator[str]:
    """The URL of a store that does not exist yet: an SQLite file in a new folder (under
    `folder` when given, kept with it; else temporary), or a new PostgreSQL schema."""
    if backend == SQLITE:
        if folder is not None:
            yield f"sqlite:///{Path(tempfile.mkdtemp(prefix='store-', dir=folder)) / 'ledger.db'}"
            return
        with tempfile.TemporaryDirectory(prefix="ledger-test-") as temporary:
            yield f"sqlite:///{Path(temporary) / 'ledger.db'}"
        return
    server = postgres_server()
    if server is None:
        raise RuntimeError(f"a PostgreSQL store needs {POSTGRES_VARIABLE} to name a server")
    base = server.split("?")[0]
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{base}?schema={schema}"
    finally:
        _drop_schema(base, schema)


def _drop_schema(server: str, schema: str) -> None:
    import psycopg  # the postgres extra; the store itself needed it already

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
