"""eventsourcing's SQLite recorder, with the ledger's chain, index and append-only triggers."""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteProcessRecorder

from ledger.store.backend import CHAIN_TABLE, IMMUTABLE_MESSAGE, REFS_TABLE
from ledger.store.sqlite_rows import EVENTS_TABLE


class LedgerSQLiteRecorder(SQLiteProcessRecorder):
    """eventsourcing's recorder, plus the chain, the reference index and append-only triggers."""

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements += [
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
            "seq INTEGER PRIMARY KEY, notification_id INTEGER NOT NULL UNIQUE, "
            "hash BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {REFS_TABLE} ("
            "ref TEXT NOT NULL, at INTEGER NOT NULL, notification_id INTEGER NOT NULL, "
            "PRIMARY KEY (ref, at, notification_id)) WITHOUT ROWID",
        ]
        for table in (EVENTS_TABLE, CHAIN_TABLE, REFS_TABLE):
            for action in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} "
                    f"BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
                )
        return statements
