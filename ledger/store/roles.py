"""Who may do what, in PostgreSQL itself: `ledger_owner`, `ledger_writer`, `ledger_reader`.

Triggers refuse UPDATE, DELETE and TRUNCATE of events, but a table's owner may drop its
triggers. So the ledger's own tables (events, chain, index, checkpoints), its functions and its
schema belong to `ledger_owner`, a role for upgrades that day-to-day work never uses;
`ledger_writer` may only SELECT and INSERT them (append events and checkpoints) and owns the
read models it maintains; `ledger_reader` may only SELECT. The roles are cluster-wide and made
NOLOGIN: people log in as roles of their own that are members of one of them. Privileges are
granted per schema, so each ledger schema is set up by its own run; every step is idempotent,
and runs in one transaction under an advisory lock, so concurrent runs wait for each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.errors import StoreError, StoreReadOnly, UsageError
from ledger.store.backend import CHAIN_TABLE, REFS_TABLE
from ledger.store.checkpoints import CHECKPOINTS_TABLE, appending
from ledger.store.ledger import Ledger
from ledger.store.postgres_rows import EVENTS_TABLE, LOCK_FUNCTION
from ledger.store.urls import parse_store_url

OWNER, WRITER, READER = "ledger_owner", "ledger_writer", "ledger_reader"
ROLES = (OWNER, WRITER, READER)
LEDGER_TABLES = (EVENTS_TABLE, CHAIN_TABLE, REFS_TABLE, CHECKPOINTS_TABLE)
_LOCK_KEY = "incident-ledger:init-roles"  # one at a time, whatever the schema
_DENIED = "42501"


@dataclass(frozen=True)
class RolesDone:
    schema: str
    created: tuple[str, ...]  # the roles this run made (the others existed)
    ledger_tables: tuple[str, ...]
    read_models: tuple[str, ...]  # tables handed to ledger_writer


def init_roles(store: str) -> RolesDone:
    """Make the roles if absent and set the privileges of the ledger in `store`'s schema
    (making an empty ledger first if there is none)."""
    url = parse_store_url(store)
    if url.kind != "postgresql":
        raise UsageError(
            "init-roles: database roles exist on PostgreSQL only; a SQLite ledger is one file, "
            "guarded by the file system: make it writable only by the account that imports"
        )
    with Ledger.open(store, must_exist=False) as ledger:
        if not ledger.backend.exists():
            with ledger.backend.writing(create=True):
                pass  # an empty ledger, made by whoever runs this: then handed to ledger_owner
        with appending(ledger):
            pass  # the checkpoints table, made now so that ledger_owner owns it
    import psycopg

    try:
        with (
            psycopg.connect(
                host=url.host,
                port=url.port,
                user=url.user or None,
                password=url.password or None,
                dbname=url.dbname,
                connect_timeout=5,
            ) as conn,
            conn.transaction(),
        ):
            return _grant(conn.cursor(), url.schema)
    except psycopg.Error as error:
        if getattr(error, "sqlstate", None) == _DENIED:
            raise StoreReadOnly(
                f"init-roles needs a role that may create roles and owns the schema "
                f"(a superuser, or CREATEROLE and the schema's owner): {error}".strip()
            ) from error
        raise StoreError(f"init-roles on {url.display()}: {error}".strip()) from error


def _grant(cursor: Any, schema: str) -> RolesDone:
    from psycopg.sql import SQL, Identifier

    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_LOCK_KEY,))
    created = tuple(role for role in ROLES if _create_role(cursor, role))
    s = Identifier(schema)
    owner, writer, reader = (Identifier(role) for role in ROLES)

    def run(statement: str, **names: Any) -> None:
        cursor.execute(
            SQL(statement).format(s=s, owner=owner, writer=writer, reader=reader, **names)
        )

    run("ALTER SCHEMA {s} OWNER TO {owner}")
    run("REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
    run("GRANT USAGE ON SCHEMA {s} TO {writer}, {reader}")
    run("GRANT CREATE ON SCHEMA {s} TO {writer}")  # the read models are its own tables
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        (schema,),
    )
    tables = [row[0] for row in cursor.fetchall()]
    ledger_tables = tuple(t for t in tables if t in LEDGER_TABLES)
    read_models = tuple(t for t in tables if t not in LEDGER_TABLES)
    for table in ledger_tables:  # owned by the owner; appended to, never changed, by the writer
        t = Identifier(table)
        run("ALTER TABLE {s}.{t} OWNER TO {owner}", t=t)
        run("REVOKE ALL ON {s}.{t} FROM PUBLIC, {writer}, {reader}", t=t)
        run("GRANT SELECT, INSERT ON {s}.{t} TO {writer}", t=t)
        run("GRANT SELECT ON {s}.{t} TO {reader}", t=t)
    for table in read_models:  # a cache of the events: the writer's to rebuild
        t = Identifier(table)
        run("ALTER TABLE {s}.{t} OWNER TO {writer}", t=t)
        run("GRANT SELECT ON {s}.{t} TO {reader}", t=t)
    run("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {writer}")
    run(
        "CREATE OR REPLACE FUNCTION {s}.{lock}() RETURNS void LANGUAGE plpgsql "
        "SECURITY DEFINER SET search_path = pg_catalog "
        "AS $$ BEGIN LOCK TABLE {s}.{events} IN EXCLUSIVE MODE; END $$",
        lock=Identifier(LOCK_FUNCTION),
        events=Identifier(EVENTS_TABLE),
    )
    _own_functions_and_types(cursor, schema, run)
    run("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM PUBLIC")
    run("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {s} TO {writer}")
    for creator in (owner, writer):  # tables made later are readable by the reader too
        run(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {creator} IN SCHEMA {s} "
            "GRANT SELECT ON TABLES TO {reader}",
            creator=creator,
        )
    return RolesDone(schema, created, ledger_tables, read_models)


def _create_role(cursor: Any, role: str) -> bool:
    """Make `role` (NOLOGIN) unless it exists; True when this call made it."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    if cursor.fetchone() is not None:
        return False
    # Another database's run may make it between the look and the making (the advisory lock
    # is per database): a savepoint keeps that from failing the transaction.
    cursor.execute("SAVEPOINT create_role")
    try:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    except Exception as error:
        cursor.execute("ROLLBACK TO SAVEPOINT create_role")
        if getattr(error, "sqlstate", None) not in ("42710", "23505"):  # duplicate, unique
            raise
        return False
    cursor.execute("RELEASE SAVEPOINT create_role")
    return True


def _own_functions_and_types(cursor: Any, schema: str, run: Any) -> None:
    from psycopg.sql import SQL, Identifier

    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = %s",
        (schema,),
    )
    for (signature,) in cursor.fetchall():
        cursor.execute(
            SQL("ALTER FUNCTION {} OWNER TO {}").format(SQL(signature), Identifier(OWNER))
        )
    cursor.execute(
        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "LEFT JOIN pg_class c ON c.oid = t.typrelid WHERE n.nspname = %s AND t.typtype = 'c' "
        "AND c.relkind = 'c'",
        (schema,),
    )
    for (name,) in cursor.fetchall():
        run("ALTER TYPE {s}.{t} OWNER TO {owner}", t=Identifier(name))
