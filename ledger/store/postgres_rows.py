"""PostgreSQL rows: eventsourcing's recorder with the ledger's tables, and an import's writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.postgres import PostgresProcessRecorder

from ledger.store.backend import CHAIN_TABLE, IMMUTABLE_MESSAGE, REFS_TABLE, NewEvent, StoredLine
from ledger.store.chain import GENESIS, link
from ledger.store.notify import CHANNEL

EVENTS_TABLE = "ledger_events"  # eventsourcing names it after the application: "ledger"
TRACKING_TABLE = "ledger_tracking"
LOCK_FUNCTION = "ledger_lock_events"  # made by `ledger init-roles` (ledger.store.roles)


class LedgerPostgresRecorder(PostgresProcessRecorder):
    """eventsourcing's recorder, plus the chain, the reference index and append-only triggers."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        from psycopg.sql import SQL, Identifier, Literal

        schema = Identifier(datastore.schema)
        guard = Identifier("ledger_refuse_change")
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{chain} (seq bigint PRIMARY KEY, "
                "notification_id bigint NOT NULL UNIQUE, hash bytea NOT NULL)"
            ).format(schema=schema, chain=Identifier(CHAIN_TABLE)),
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{refs} (ref text NOT NULL, "
                "at bigint NOT NULL, notification_id bigint NOT NULL, "
                "PRIMARY KEY (ref, at, notification_id))"
            ).format(schema=schema, refs=Identifier(REFS_TABLE)),
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{guard}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$"
            ).format(schema=schema, guard=guard, message=SQL(IMMUTABLE_MESSAGE)),
        ]
        for table in (EVENTS_TABLE, CHAIN_TABLE, REFS_TABLE):
            for name, when in (("immutable", "UPDATE OR DELETE"), ("no_truncate", "TRUNCATE")):
                level = "STATEMENT" if when == "TRUNCATE" else "ROW"
                self.sql_create_statements.append(
                    SQL(
                        "CREATE OR REPLACE TRIGGER {trigger} BEFORE {when} ON {schema}.{table} "
                        "FOR EACH {level} EXECUTE FUNCTION {schema}.{guard}()"
                    ).format(
                        trigger=Identifier(f"{table}_{name}"),
                        when=SQL(when),
                        level=SQL(level),
                        schema=schema,
                        table=Identifier(table),
                        guard=guard,
                    )
                )
        # PostgreSQL lets only a role that may UPDATE, DELETE or TRUNCATE a table lock it in
        # EXCLUSIVE mode; `ledger_writer` may do none of those, so `init-roles` gives it a
        # function, owned by `ledger_owner`, that takes the very same lock.
        self.lock_table_statements = [
            self.lock_table_statements[0],  # SET LOCAL lock_timeout
            SQL(
                "DO $$ BEGIN IF to_regprocedure({function}) IS NULL "
                "THEN LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE; "
                "ELSE PERFORM {schema}.{lock}(); END IF; END $$"
            ).format(
                function=Literal(f'"{datastore.schema}".{LOCK_FUNCTION}()'),
                schema=schema,
                events=Identifier(EVENTS_TABLE),
                lock=Identifier(LOCK_FUNCTION),
            ),
        ]

    def _lock_table(self, curs: Any) -> None:
        for statement in self.lock_table_statements:
            curs.execute(statement, prepare=False)  # a DO block cannot be prepared


# One index probe per reference, then each event by its id: the planner would otherwise scan a
# whole table once the list is long (a hash join over every event).
BY_REFS = (
    "SELECT e.notification_id, e.originator_id, e.topic, e.state FROM unnest(%s::text[]) AS w(ref) "
    "JOIN LATERAL (SELECT notification_id FROM {refs} r WHERE r.ref = w.ref) f ON true "
    "JOIN {events} e ON e.notification_id = f.notification_id ORDER BY e.notification_id"
)


BY_IDS = (
    "SELECT notification_id, originator_id, topic, state FROM {events} "
    "WHERE originator_id = ANY(%s) ORDER BY notification_id"
)


def line_of(row: Any) -> StoredLine:
    return StoredLine(
        row["notification_id"], row["originator_id"], row["topic"], bytes(row["state"])
    )


class Write:
    """One transaction holding eventsourcing's exclusive insert lock from the head read on."""

    def __init__(self, recorder: LedgerPostgresRecorder, cursor: Any, schema: str) -> None:
        self.cursor = cursor
        self.schema = schema
        recorder._lock_table(cursor)  # serialises writers: append order is commit order
        cursor.execute(f"SELECT seq, hash FROM {self._t(CHAIN_TABLE)} ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
        self.head: tuple[int, bytes] = (row["seq"], bytes(row["hash"])) if row else (0, GENESIS)
        cursor.execute(
            f"SELECT pg_get_serial_sequence('{self._t(EVENTS_TABLE)}', 'notification_id') AS s"
        )
        self.sequence = cursor.fetchone()["s"]

    def _t(self, table: str) -> str:
        return f'"{self.schema}"."{table}"'

    def existing(self, ids: Sequence[str]) -> dict[str, bytes]:
        self.cursor.execute(
            f"SELECT originator_id, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE originator_id = ANY(%s) AND originator_version = 1",
            (list(ids),),
        )
        return {row["originator_id"]: bytes(row["state"]) for row in self.cursor.fetchall()}

    def append(self, events: Sequence[NewEvent]) -> list[int]:
        if not events:
            return []
        self.cursor.execute(
            "SELECT nextval(%s) AS id FROM generate_series(1, %s)", (self.sequence, len(events))
        )
        ids = [row["id"] for row in self.cursor.fetchall()]
        seq, previous = self.head
        with self.cursor.copy(
            f"COPY {self._t(EVENTS_TABLE)} "
            "(originator_id, originator_version, topic, state, notification_id) FROM STDIN"
        ) as copy:
            for event, nid in zip(events, ids, strict=True):
                copy.write_row((event.event_id, 1, event.type, event.line, nid))
        with self.cursor.copy(f"COPY {self._t(CHAIN_TABLE)} FROM STDIN") as copy:
            for event, nid in zip(events, ids, strict=True):
                seq += 1
                previous = link(previous, event.line)
                copy.write_row((seq, nid, previous))
        self.add_refs(
            [
                (ref, at, nid)
                for event, nid in zip(events, ids, strict=True)
                for ref, at in dict.fromkeys(event.refs)
            ]
        )
        self.head = (seq, previous)
        # Watchers of this ledger wake when the transaction commits (ledger.store.notify).
        self.cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, self.schema))
        return ids

    def add_refs(self, rows: Sequence[tuple[str, int, int]]) -> None:
        with self.cursor.copy(
            f"COPY {self._t(REFS_TABLE)} (ref, at, notification_id) FROM STDIN"
        ) as copy:
            for row in dict.fromkeys(rows):
                copy.write_row(row)

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]:
        self.cursor.execute(BY_IDS.format(events=self._t(EVENTS_TABLE)), (sorted(set(ids)),))
        return [line_of(r) for r in self.cursor.fetchall()]

    def lines(self, after: int, limit: int) -> list[StoredLine]:
        self.cursor.execute(
            f"SELECT notification_id, originator_id, topic, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            (after, limit),
        )
        return [line_of(r) for r in self.cursor.fetchall()]

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]:
        self.cursor.execute(
            BY_REFS.format(events=self._t(EVENTS_TABLE), refs=self._t(REFS_TABLE)),
            (sorted(set(refs)),),
        )
        found = {r["notification_id"]: r for r in self.cursor.fetchall()}  # each event once
        return [line_of(row) for row in found.values()]
