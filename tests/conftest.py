"""Fixtures shared by every test: a fresh store per test, on SQLite and on PostgreSQL.

PostgreSQL tests run against LEDGER_TEST_POSTGRES (set by .ci/run), each in a schema of its
own that is dropped afterwards. Without a server they skip, saying why, except in CI (CI=true),
where a missing server is a failure: those tests must run there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES = os.environ.get("LEDGER_TEST_POSTGRES", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _postgres_available() -> str | None:
    """None when the server answers, else why not."""
    if not POSTGRES:
        return "LEDGER_TEST_POSTGRES is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    try:
        import psycopg

        with psycopg.connect(POSTGRES.split("?")[0], connect_timeout=3):
            return None
    except Exception as error:  # any failure to connect means: no server for these tests
        return f"PostgreSQL at {POSTGRES} is not reachable: {error}"


_PG_PROBLEM = _postgres_available()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL for a ledger that does not exist yet, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    if _PG_PROBLEM is not None:
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests: {_PG_PROBLEM}")
        pytest.skip(_PG_PROBLEM)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES.split('?')[0]}?schema={schema}"
    import psycopg

    with psycopg.connect(POSTGRES.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def seed_stream() -> Path:
    """The reconstruction of the seed case (IOPC 2018/104370) that ships in examples/."""
    return EXAMPLES / "iopc-2018-104370.jsonl"
