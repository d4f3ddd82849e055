"""PostgreSQL, for many users and large ledgers, through eventsourcing's Postgres recorders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import PersistenceError, Tracking
from eventsourcing.postgres import PostgresFactory, PostgresProcessRecorder
from eventsourcing.utils import Environment

from ledger.errors import StoreError
from ledger.store.backend import (
    CHAIN_TABLE,
    IMMUTABLE_MESSAGE,
    OLD_REFS_TABLE,
    REFS_TABLE,
    ChainLink,
    NewEvent,
    StoredLine,
    WriteSession,
)
from ledger.store.chain import GENESIS, link
from ledger.store.urls import StoreUrl

EVENTS_TABLE = "ledger_events"  # eventsourcing names it after the application: "ledger"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:  # the optional extra is not installed
        raise StoreError(
            "PostgreSQL support is not installed: pip install 'incident-ledger[postgres]'"
        ) from error
    return psycopg


class LedgerPostgresRecorder(PostgresProcessRecorder):
    """eventsourcing's recorder, plus the chain, the reference index and append-only triggers."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        from psycopg.sql import SQL, Identifier

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


_BY_REFS = (
    "SELECT e.notification_id, e.originator_id, e.topic, e.state FROM {events} e "
    "WHERE e.notification_id IN (SELECT notification_id FROM {refs} WHERE ref = ANY(%s)) "
    "ORDER BY e.notification_id"
)


_BY_IDS = (
    "SELECT notification_id, originator_id, topic, state FROM {events} "
    "WHERE originator_id = ANY(%s) ORDER BY notification_id"
)


def _line(row: Any) -> StoredLine:
    return StoredLine(
        row["notification_id"], row["originator_id"], row["topic"], bytes(row["state"])
    )


class _Write:
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
        return ids

    def add_refs(self, rows: Sequence[tuple[str, int, int]]) -> None:
        with self.cursor.copy(
            f"COPY {self._t(REFS_TABLE)} (ref, at, notification_id) FROM STDIN"
        ) as copy:
            for row in dict.fromkeys(rows):
                copy.write_row(row)

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]:
        self.cursor.execute(_BY_IDS.format(events=self._t(EVENTS_TABLE)), (sorted(set(ids)),))
        return [_line(r) for r in self.cursor.fetchall()]

    def lines(self, after: int, limit: int) -> list[StoredLine]:
        self.cursor.execute(
            f"SELECT notification_id, originator_id, topic, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            (after, limit),
        )
        return [_line(r) for r in self.cursor.fetchall()]

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]:
        self.cursor.execute(
            _BY_REFS.format(events=self._t(EVENTS_TABLE), refs=self._t(REFS_TABLE)),
            (sorted(set(refs)),),
        )
        return [_line(r) for r in self.cursor.fetchall()]


class PostgresBackend:
    def __init__(self, url: StoreUrl) -> None:
        self.url = url
        self.description = url.display()
        self._factory: PostgresFactory | None = None
        self._recorder: LedgerPostgresRecorder | None = None

    def _connect(self) -> Any:
        psycopg = _psycopg()
        try:
            return psycopg.connect(
                host=self.url.host,
                port=self.url.port,
                user=self.url.user or None,
                password=self.url.password or None,
                dbname=self.url.dbname,
                connect_timeout=5,
                autocommit=True,
            )
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to {self.description}: {error}".strip()) from error

    def exists(self) -> bool:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = %s",
                (self.url.schema, CHAIN_TABLE),
            ).fetchone()
        return row is not None

    def _open(self, *, create: bool) -> LedgerPostgresRecorder:
        if self._recorder is None:
            if create:
                with self._connect() as conn:
                    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.url.schema}"')
            env = Environment(
                name="ledger",
                env={
                    "PERSISTENCE_MODULE": "eventsourcing.postgres",
                    "POSTGRES_DBNAME": self.url.dbname,
                    "POSTGRES_HOST": self.url.host,
                    "POSTGRES_PORT": str(self.url.port),
                    "POSTGRES_USER": self.url.user or "postgres",
                    "POSTGRES_PASSWORD": self.url.password,
                    "POSTGRES_SCHEMA": self.url.schema,
                    # An import streams in one transaction while it validates: no idle cut-off.
                    "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "0",
                    "POSTGRES_LOCK_TIMEOUT": "60",
                    "ORIGINATOR_ID_TYPE": "text",
                    "CREATE_TABLE": "yes" if create else "no",
                    "PROCESS_RECORDER_TOPIC": "ledger.store.postgres:LedgerPostgresRecorder",
                },
            )
            try:
                self._factory = PostgresFactory(env)
                recorder = self._factory.process_recorder()
            except PersistenceError as error:
                raise StoreError(f"cannot open {self.description}: {error}") from error
            assert isinstance(recorder, LedgerPostgresRecorder)
            self._recorder = recorder
        return self._recorder

    def create(self) -> None:
        self._open(create=True)

    def index_outdated(self) -> bool:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (self.url.schema,),
            ).fetchall()
        names = {row[0] for row in rows}
        return OLD_REFS_TABLE in names or REFS_TABLE not in names

    def upgrade_index(self, refill: Callable[[WriteSession], object]) -> None:
        self.close()
        self._open(create=True)  # creates the current index (and its guards) beside the old one
        with self.writing() as session:
            session.cursor.execute(f"DROP TABLE IF EXISTS {self._t(OLD_REFS_TABLE)}")
            refill(session)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        recorder = self._open(create=False)
        psycopg = _psycopg()
        try:
            with recorder.datastore.get_connection() as conn, conn.transaction():
                cursor = conn.cursor()
                # Read models are named without a schema: they live beside this ledger's events.
                cursor.execute(f'SET LOCAL search_path TO "{self.url.schema}"')
                yield cursor
        except psycopg.Error as error:
            raise StoreError(f"{self.description}: {error}") from error
        except PersistenceError as error:
            raise StoreError(f"{self.description}: {error}") from error

    @contextmanager
    def writing(self) -> Iterator[_Write]:
        recorder = self._open(create=False)
        with self._cursor() as cursor:
            yield _Write(recorder, cursor, self.url.schema)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._cursor() as cursor:
            yield cursor

    def _t(self, table: str) -> str:
        return f'"{self.url.schema}"."{table}"'

    def _select(self, sql: str, params: Sequence[Any]) -> list[StoredLine]:
        with self._cursor() as cursor:
            cursor.execute(sql, params)
            return [_line(r) for r in cursor.fetchall()]

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        notifications = self._open(create=False).select_notifications(
            after, limit, inclusive_of_start=False
        )
        return [StoredLine(n.id, str(n.originator_id), n.topic, n.state) for n in notifications]

    def chain(self, after_seq: int = 0, limit: int = 5000) -> list[ChainLink]:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT seq, notification_id, hash FROM {self._t(CHAIN_TABLE)} "
                "WHERE seq > %s ORDER BY seq LIMIT %s",
                (after_seq, limit),
            )
            return [
                ChainLink(r["seq"], r["notification_id"], bytes(r["hash"]))
                for r in cursor.fetchall()
            ]

    def by_refs(self, refs: Iterable[str]) -> list[StoredLine]:
        statement = _BY_REFS.format(events=self._t(EVENTS_TABLE), refs=self._t(REFS_TABLE))
        return self._select(statement, (sorted(set(refs)),))

    def by_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[StoredLine]:
        wanted = list(dict.fromkeys(windows))
        if not wanted:
            return []
        refs, los, his = (list(column) for column in zip(*wanted, strict=True))
        return self._select(
            f"SELECT e.notification_id, e.originator_id, e.topic, e.state "
            f"FROM {self._t(EVENTS_TABLE)} e WHERE e.notification_id IN ("
            f"SELECT r.notification_id FROM unnest(%s::text[], %s::bigint[], %s::bigint[]) "
            f"AS w(ref, lo, hi) JOIN {self._t(REFS_TABLE)} r "
            "ON r.ref = w.ref AND r.at BETWEEN w.lo AND w.hi) ORDER BY e.notification_id",
            (refs, los, his),
        )

    def next_after(self, probes: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
        wanted = list(dict.fromkeys(probes))
        if not wanted:
            return {}
        refs, afters = (list(column) for column in zip(*wanted, strict=True))
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT p.ref, p.after, n.at "
                "FROM unnest(%s::text[], %s::bigint[]) AS p(ref, after) "
                f"CROSS JOIN LATERAL (SELECT at FROM {self._t(REFS_TABLE)} r "
                "WHERE r.ref = p.ref AND r.at > p.after ORDER BY r.at LIMIT 1) n",
                (refs, afters),
            )
            return {(r["ref"], r["after"]): r["at"] for r in cursor.fetchall()}

    def by_ids(self, ids: Iterable[str]) -> list[StoredLine]:
        return self._select(_BY_IDS.format(events=self._t(EVENTS_TABLE)), (sorted(set(ids)),))

    def by_nids(self, nids: Iterable[int]) -> list[StoredLine]:
        return self._select(
            f"SELECT notification_id, originator_id, topic, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE notification_id = ANY(%s) ORDER BY notification_id",
            (sorted(set(nids)),),
        )

    def writable(self) -> bool:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT has_table_privilege(%s, 'INSERT') AS ok",
                (f'"{self.url.schema}"."{CHAIN_TABLE}"',),
            ).fetchone()
        return bool(row[0])

    def filed(self, refs: Iterable[str]) -> set[str]:
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT w.ref FROM unnest(%s::text[]) AS w(ref) WHERE EXISTS "
                f"(SELECT 1 FROM {self._t(REFS_TABLE)} r WHERE r.ref = w.ref)",
                (list(dict.fromkeys(refs)),),
            )
            return {row["ref"] for row in cursor.fetchall()}

    def ids_under(self, ref: str, after: int, upto: int) -> list[tuple[int, str]]:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT r.notification_id, e.originator_id FROM {self._t(REFS_TABLE)} r "
                f"JOIN {self._t(EVENTS_TABLE)} e ON e.notification_id = r.notification_id "
                "WHERE r.ref = %s AND r.notification_id > %s AND r.notification_id <= %s "
                "ORDER BY r.notification_id",
                (ref, after, upto),
            )
            return [(row["notification_id"], row["originator_id"]) for row in cursor.fetchall()]

    def named_in_order(self, prefix: str, upto: int) -> list[str]:
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT ref, MIN(at) AS first FROM {self._t(REFS_TABLE)} "
                "WHERE ref >= %s AND ref < %s AND notification_id <= %s "
                'GROUP BY ref ORDER BY first, ref COLLATE "C"',
                (prefix, end, upto),
            )
            return [row["ref"][len(prefix) :] for row in cursor.fetchall()]

    def last_at(self, ref: str) -> int | None:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT at FROM {self._t(REFS_TABLE)} WHERE ref = %s ORDER BY at DESC LIMIT 1",
                (ref,),
            )
            row = cursor.fetchone()
        return None if row is None else int(row["at"])

    def top(self) -> int:
        with self._cursor() as cursor:
            cursor.execute(f"SELECT MAX(notification_id) AS top FROM {self._t(EVENTS_TABLE)}")
            return int(cursor.fetchone()["top"] or 0)

    @contextmanager
    def lock(self, name: str, timeout: float) -> Iterator[bool]:
        """A session advisory lock on a connection of its own: released if we die."""
        key = f"{self.url.schema}.{name}"
        with self._connect() as conn:
            conn.execute(
                "SELECT set_config('lock_timeout', %s, false)", (f"{int(timeout * 1000)}ms",)
            )
            try:
                conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            except _psycopg().errors.LockNotAvailable:
                yield False
                return
            try:
                yield True
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    def head(self) -> tuple[int, bytes]:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT seq, hash FROM {self._t(CHAIN_TABLE)} ORDER BY seq DESC LIMIT 1"
            )
            row = cursor.fetchone()
        return (row["seq"], bytes(row["hash"])) if row else (0, GENESIS)

    def tracked(self, cursor: Any, name: str) -> int:
        # eventsourcing's tracking records: the position and the view commit together.
        return self._open(create=False)._max_tracking_id(name, cursor) or 0

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        self._open(create=False)._insert_tracking(cursor, Tracking(name, notification_id))

    def untrack(self, cursor: Any, name: str) -> None:
        table = self._t("ledger_tracking")
        cursor.execute(f"DELETE FROM {table} WHERE application_name = %s", (name,))

    def behind(self, name: str) -> bool:
        with self._connect() as conn:
            top = conn.execute(f"SELECT MAX(notification_id) FROM {self._t(EVENTS_TABLE)}")
            highest = top.fetchone()[0] or 0
            row = conn.execute(
                f"SELECT notification_id FROM {self._t('ledger_tracking')} "
                "WHERE application_name = %s",
                (name,),
            ).fetchone()
        return row is None or row[0] < highest

    @contextmanager
    def reader(self) -> Iterator[Any]:
        with self._cursor() as cursor:
            yield cursor

    def discard_if_empty(self) -> None:
        if self.head()[0] != 0:
            return
        self.close()
        tables = (EVENTS_TABLE, CHAIN_TABLE, REFS_TABLE, "ledger_tracking")
        with self._connect() as conn:
            conn.execute("DROP TABLE IF EXISTS " + ", ".join(self._t(t) for t in tables))

    def close(self) -> None:
        if self._factory is not None:
            self._factory.close()
        self._factory = self._recorder = None
