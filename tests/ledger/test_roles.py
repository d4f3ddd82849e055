"""`ledger init-roles`: what ledger_writer, ledger_reader and ledger_owner may not do, shown by
connecting as each (PostgreSQL; roles are cluster-wide, so every test makes login roles of its
own, members of the three, and drops them again)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.store.roles import ROLES, init_roles
from ledger.store.urls import parse_store_url
from tests.ledger.signing_support import imported, key_pair, ledger_cli
from tests.streams_factory import event

on_postgres = pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

LEDGER_TABLES = ("ledger_events", "ledger_chain", "ledger_index", "ledger_checkpoints")
MORE = [event("w-1", "IncidentNoted", "2018-06-02T09:00:00Z", incident="CAD-1", text="Later.")]


@pytest.fixture
def logins(store_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A ledger set up by init-roles, and a store URL logging in as a member of each role."""
    import psycopg

    imported(store_url, tmp_path)
    result = ledger_cli(store_url, "init-roles")
    assert result.exit_code == 0, result.output
    base = store_url.split("?")[0]
    schema = parse_store_url(store_url).schema
    suffix = uuid.uuid4().hex[:10]
    names = {role: f"t_{suffix}_{role.removeprefix('ledger_')}" for role in ROLES}
    with psycopg.connect(base, autocommit=True) as conn:
        for role, name in names.items():
            conn.execute(f'CREATE ROLE "{name}" LOGIN IN ROLE "{role}"')
            conn.execute(f'ALTER ROLE "{name}" SET role = "{role}"')  # act as the group role
    yield {
        role: f"postgresql://{name}@{base.split('@', 1)[1]}?schema={schema}"
        for role, name in names.items()
    }
    with psycopg.connect(base, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def _refused(url: str, statement: str) -> str:
    """The error PostgreSQL gives this login for `statement` (the test fails if none)."""
    import psycopg

    schema = parse_store_url(url).schema
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(statement)
    return str(caught.value)


@on_postgres
def test_the_writer_appends_events_and_checkpoints(
    logins: dict[str, str], store_url: str, tmp_path: Path
) -> None:
    """As ledger_writer: import (read models kept) and checkpoint work; verify agrees."""
    writer = logins["ledger_writer"]
    imported(writer, tmp_path, MORE)
    key, public = key_pair(tmp_path)
    result = ledger_cli(writer, "checkpoint", "--key", str(key))
    assert result.exit_code == 0, result.output
    assert ledger_cli(writer, "incidents").exit_code == 0
    verified = ledger_cli(store_url, "verify", "--public-key", str(public))
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("ok: 8 events")


@on_postgres
@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_the_writer_cannot_change_history_whatever_the_triggers(
    logins: dict[str, str], table: str, tmp_path: Path
) -> None:
    """No UPDATE, DELETE or TRUNCATE, and no dropping or disabling the guards: not the owner."""
    writer = logins["ledger_writer"]
    key, _ = key_pair(tmp_path)
    assert ledger_cli(writer, "checkpoint", "--key", str(key)).exit_code == 0
    column = {"ledger_events": "topic", "ledger_chain": "hash", "ledger_index": "ref"}
    statements = [
        f"DELETE FROM {table}",
        f"TRUNCATE {table}",
        f"UPDATE {table} SET {column.get(table, 'statement')} = {column.get(table, 'statement')}",
    ]
    for statement in statements:
        assert "permission denied" in _refused(writer, statement), statement
    for statement in (
        f"ALTER TABLE {table} DISABLE TRIGGER USER",
        f"DROP TABLE {table}",
    ):
        assert "must be owner" in _refused(writer, statement), statement


@on_postgres
def test_the_reader_only_reads(logins: dict[str, str], tmp_path: Path) -> None:
    """As ledger_reader: verify and views work; import, checkpoint and INSERT are refused."""
    reader = logins["ledger_reader"]
    verified = ledger_cli(reader, "verify")
    assert verified.exit_code == 0, verified.output
    assert ledger_cli(reader, "timeline", "CAD-1").exit_code == 0
    stream = tmp_path / "more.jsonl"
    stream.write_text('{"id":"r-1","type":"IncidentNoted","at":"2018-06-02T09:00:00Z"}\n')
    refused = ledger_cli(reader, "import", str(stream))
    assert refused.exit_code == 3, refused.output
    key, _ = key_pair(tmp_path)
    assert ledger_cli(reader, "checkpoint", "--key", str(key)).exit_code == 3
    assert "permission denied" in _refused(
        reader, "INSERT INTO ledger_chain VALUES (99, 99, '\\x00')"
    )
    assert "permission denied" in _refused(reader, "CREATE TABLE rm_mine (x int)")


@on_postgres
def test_the_owner_owns_the_ledger_tables_and_no_one_else_does(
    logins: dict[str, str], store_url: str
) -> None:
    """Ledger tables belong to ledger_owner, read models to ledger_writer; no role-making."""
    import psycopg

    schema = parse_store_url(store_url).schema
    with psycopg.connect(store_url.split("?")[0]) as conn:
        owners = dict(
            conn.execute(
                "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s", (schema,)
            ).fetchall()
        )
    assert {owners[table] for table in LEDGER_TABLES} == {"ledger_owner"}
    assert {owner for table, owner in owners.items() if table.startswith("rm_")} == {
        "ledger_writer"
    }
    assert "permission denied" in _refused(logins["ledger_owner"], "CREATE ROLE t_not_allowed")


@on_postgres
def test_init_roles_runs_again_and_concurrently(store_url: str, tmp_path: Path) -> None:
    """Idempotent: a second run changes nothing; two schemas set up at once both succeed."""
    import psycopg

    imported(store_url, tmp_path)
    base = store_url.split("?")[0]
    others = [f"{base}?schema=t_roles_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    errors: list[BaseException] = []

    def run(url: str) -> None:
        try:
            init_roles(url)
        except BaseException as error:  # reported to the test's own thread below
            errors.append(error)

    try:
        threads = [threading.Thread(target=run, args=(url,)) for url in [store_url, *others]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        again = init_roles(store_url)
        assert again.created == ()
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            for url in others:
                conn.execute(f'DROP SCHEMA IF EXISTS "{parse_store_url(url).schema}" CASCADE')


def test_init_roles_on_sqlite_is_bad_usage(tmp_path: Path) -> None:
    """SQLite has no roles: exit 2 saying so, and no file is made."""
    store = tmp_path / "ledger.db"
    result = ledger_cli(f"sqlite:///{store}", "init-roles")
    assert result.exit_code == 2, result.output
    assert "database roles exist on PostgreSQL only" in result.stderr
    assert not store.exists()
