"""What a PostgreSQL schema holds, and making it a ledger, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Tracking
from psycopg.sql import SQL, Identifier

from ledger.store.backend import CHAIN_TABLE, OLD_REFS_TABLE, REFS_TABLE
from ledger.store.postgres_rows import EVENTS_TABLE, TRACKING_TABLE, LedgerPostgresRecorder

# What the schema holds: (schema exists, has the ledger's tables, has any table at all).
_STATE = (
    "SELECT n.oid IS NOT NULL AS schema, "
    "EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid "
    "AND c.relname IN (%s, %s) HAVING count(*) = 2) AS ledger, "
    "EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid "
    "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS tables "
    "FROM (SELECT %s::text AS name) wanted LEFT JOIN pg_namespace n ON n.nspname = wanted.name"
)


def schema_state(cursor: Any, schema: str) -> str:
    """ "ledger", "absent" (no schema, or one without tables) or "foreign". Dict rows."""
    cursor.execute(_STATE, (EVENTS_TABLE, CHAIN_TABLE, schema))
    row = cursor.fetchone()
    if row["ledger"]:
        return "ledger"
    return "foreign" if row["schema"] and row["tables"] else "absent"


def create_ledger(recorder: LedgerPostgresRecorder, cursor: Any, schema: str) -> None:
    """Make the ledger in this transaction: schema, type, tables, functions, triggers."""
    cursor.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
    statements = recorder.sql_create_statements
    types = [s for s in statements if "CREATE TYPE" in s.as_string()]
    others = [s for s in statements if "CREATE TYPE" not in s.as_string()]
    cursor.execute(
        "SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = %s AND t.typname = %s",
        (schema, recorder.stored_event_type_name),
    )
    if cursor.fetchone() is not None:
        types = []  # left by an earlier version's failed import: the same type
    for statement in [*types, *others]:  # the type first: the insert function uses it
        cursor.execute(statement, prepare=False)
    # As eventsourcing does when it makes the tracking table itself.
    recorder._insert_tracking(cursor, Tracking(recorder.table_migration_identifier, 1))


def index_outdated(conn: Any, schema: str) -> bool:
    """True for a ledger whose reference index an older version wrote."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
    ).fetchall()
    names = {row[0] if isinstance(row, tuple) else row["table_name"] for row in rows}
    return OLD_REFS_TABLE in names or REFS_TABLE not in names


def replace_index(recorder: LedgerPostgresRecorder, cursor: Any, schema: str) -> None:
    """The current index (and its guards) beside the old one; the old one dropped."""
    for statement in recorder.sql_create_statements:
        text = statement.as_string()
        if "CREATE TYPE" not in text and TRACKING_TABLE not in text:
            cursor.execute(statement, prepare=False)
    old = SQL("DROP TABLE IF EXISTS {}.{}").format(Identifier(schema), Identifier(OLD_REFS_TABLE))
    cursor.execute(old)
