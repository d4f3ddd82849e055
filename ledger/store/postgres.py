"""PostgreSQL, for many users and large ledgers, through eventsourcing's Postgres recorders.

A ledger is a schema (`?schema=NAME`, else `public`). Every write transaction first takes a
transaction-scoped advisory lock named after the schema, then looks at what the schema holds:
a ledger is written to; nothing (no schema, or one without tables) is made into a ledger in
that same transaction, when the caller creates; anything else is another program's schema and
is refused. DDL is transactional in PostgreSQL, so a first import that fails leaves nothing of
what it made (schema, tables, type, functions, triggers), and a concurrent one waits on the
lock and then finds the ledger made. Lock waits are bounded by `lock_timeout()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import PersistenceError, Tracking
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment

from ledger.errors import NotALedger, StoreBusy, StoreError, StoreNotFound, StoreReadOnly
from ledger.store.backend import (
    CHAIN_TABLE,
    REFS_TABLE,
    ChainLink,
    StoredLine,
    WriteSession,
    lock_timeout,
)
from ledger.store.chain import GENESIS
from ledger.store.postgres_rows import (
    BY_IDS,
    BY_REFS,
    EVENTS_TABLE,
    TRACKING_TABLE,
    LedgerPostgresRecorder,
    Write,
    line_of,
)
from ledger.store.postgres_schema import (
    create_ledger,
    index_outdated,
    replace_index,
    schema_state,
)
from ledger.store.urls import StoreUrl
from ledger.testhooks import reached

_BUSY, _READ_ONLY, _DENIED = "55P03", "25006", "42501"  # SQLSTATEs: lock timeout, …


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:  # the optional extra is not installed
        raise StoreError(
            "PostgreSQL support is not installed: pip install 'incident-ledger[postgres]'"
        ) from error
    return psycopg


class PostgresBackend:
    def __init__(self, url: StoreUrl) -> None:
        self.url = url
        self.description = url.display()
        self.timeout = lock_timeout()
        # One advisory lock per schema: serialises writers, creation and upgrades.
        digest = hashlib.sha256(f"incident-ledger:{url.schema}".encode()).digest()
        self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
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

    def _not_a_ledger(self) -> NotALedger:
        return NotALedger(
            f"{self.description} is not a ledger store (schema {self.url.schema!r} holds another "
            "program's tables); nothing was changed: give the ledger a schema of its own, "
            "?schema=NAME"
        )

    def exists(self) -> bool:
        with self._connect() as conn:
            cursor = conn.cursor(row_factory=_psycopg().rows.dict_row)
            state = schema_state(cursor, self.url.schema)
        if state == "foreign":
            raise self._not_a_ledger()
        return state == "ledger"

    def writable(self) -> bool:
        events = self._t(EVENTS_TABLE)
        with self._connect() as conn:
            row = conn.execute(
                "SELECT NOT pg_is_in_recovery() "
                "AND current_setting('transaction_read_only') = 'off' "
                "AND CASE WHEN to_regclass(%s) IS NULL "
                "THEN has_database_privilege(current_database(), 'CREATE') "
                "ELSE has_table_privilege(to_regclass(%s), 'INSERT') "
                "AND has_schema_privilege(%s, 'CREATE') END",
                (events, events, self.url.schema),
            ).fetchone()
        return bool(row[0])

    def _open(self) -> LedgerPostgresRecorder:
        """eventsourcing's recorder; it never creates anything (`writing` does, under a lock)."""
        if self._recorder is None:
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
                    "POSTGRES_LOCK_TIMEOUT": str(self.timeout),
                    "ORIGINATOR_ID_TYPE": "text",
                    "CREATE_TABLE": "no",
                    "PROCESS_RECORDER_TOPIC": "ledger.store.postgres_rows:LedgerPostgresRecorder",
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

    def index_outdated(self) -> bool:
        with self._connect() as conn:
            return index_outdated(conn, self.url.schema)

    def upgrade_index(self, refill: Callable[[WriteSession], object]) -> None:
        with self.writing() as session:  # under the advisory lock: check again
            if not index_outdated(session.cursor.connection, self.url.schema):
                return
            replace_index(self._open(), session.cursor, self.url.schema)
            refill(session)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        recorder = self._open()
        psycopg = _psycopg()
        try:
            with recorder.datastore.get_connection() as conn, conn.transaction():
                cursor = conn.cursor()
                # Read models are named without a schema: they live beside this ledger's events.
                cursor.execute(f'SET LOCAL search_path TO "{self.url.schema}"')
                cursor.execute(f"SET LOCAL lock_timeout = '{self.timeout}s'")
                yield cursor
        except psycopg.Error as error:
            raise self._failure(error, getattr(error, "sqlstate", None)) from error
        except PersistenceError as error:
            cause = error.__cause__
            raise self._failure(error, getattr(cause, "sqlstate", None)) from error

    def _failure(self, error: Exception, sqlstate: str | None) -> StoreError:
        if sqlstate == _BUSY:
            return StoreBusy(
                f"{self.description} is busy: another process kept it locked for "
                f"{self.timeout} s (LEDGER_LOCK_TIMEOUT); try again when it has finished"
            )
        if sqlstate in (_READ_ONLY, _DENIED):
            return StoreReadOnly(
                f"{self.description} cannot be written here ({str(error).strip()}): "
                "reading it works; importing needs a role that may write to the schema"
            )
        return StoreError(f"{self.description}: {error}")

    @contextmanager
    def writing(self, *, create: bool = False) -> Iterator[Write]:
        recorder = self._open()
        reached("store.ready")
        with self._cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            state = schema_state(cursor, self.url.schema)
            if state == "foreign":
                raise self._not_a_ledger()
            if state == "absent":
                if not create:
                    raise StoreNotFound(f"no ledger at {self.description}")
                create_ledger(recorder, cursor, self.url.schema)
            yield Write(recorder, cursor, self.url.schema)

    def listener(self) -> Any:
        """A connection of its own, outside any transaction, to LISTEN on (ledger.store.notify)."""
        return self._connect()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._cursor() as cursor:
            yield cursor

    def _t(self, table: str) -> str:
        return f'"{self.url.schema}"."{table}"'

    def _select(self, sql: str, params: Sequence[Any]) -> list[StoredLine]:
        """The events a query gives, each once (a join may give one several times), in order."""
        with self._cursor() as cursor:
            cursor.execute(sql, params)
            found = {r["notification_id"]: r for r in cursor.fetchall()}
        return [line_of(row) for row in found.values()]

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        return self._select(
            f"SELECT notification_id, originator_id, topic, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            (after, limit),
        )

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
        statement = BY_REFS.format(events=self._t(EVENTS_TABLE), refs=self._t(REFS_TABLE))
        return self._select(statement, (sorted(set(refs)),))

    def by_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[StoredLine]:
        wanted = list(dict.fromkeys(windows))
        if not wanted:
            return []
        refs, los, his = (list(column) for column in zip(*wanted, strict=True))
        return self._select(
            "SELECT e.notification_id, e.originator_id, e.topic, e.state "
            "FROM unnest(%s::text[], %s::bigint[], %s::bigint[]) AS w(ref, lo, hi) "
            f"JOIN LATERAL (SELECT notification_id FROM {self._t(REFS_TABLE)} r "
            "WHERE r.ref = w.ref AND r.at BETWEEN w.lo AND w.hi) f ON true "
            f"JOIN {self._t(EVENTS_TABLE)} e ON e.notification_id = f.notification_id "
            "ORDER BY e.notification_id",
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
        return self._select(BY_IDS.format(events=self._t(EVENTS_TABLE)), (sorted(set(ids)),))

    def by_nids(self, nids: Iterable[int]) -> list[StoredLine]:
        return self._select(
            f"SELECT notification_id, originator_id, topic, state FROM {self._t(EVENTS_TABLE)} "
            "WHERE notification_id = ANY(%s) ORDER BY notification_id",
            (sorted(set(nids)),),
        )

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

    def refresh_statistics(self) -> None:
        with self._connect() as conn:
            for table in (EVENTS_TABLE, REFS_TABLE):
                conn.execute(f"ANALYZE {self._t(table)}")

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
        return self._open()._max_tracking_id(name, cursor) or 0

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        self._open()._insert_tracking(cursor, Tracking(name, notification_id))

    def untrack(self, cursor: Any, name: str) -> None:
        table = self._t(TRACKING_TABLE)
        cursor.execute(f"DELETE FROM {table} WHERE application_name = %s", (name,))

    def behind(self, name: str) -> bool:
        with self._connect() as conn:
            top = conn.execute(f"SELECT MAX(notification_id) FROM {self._t(EVENTS_TABLE)}")
            highest = top.fetchone()[0] or 0
            row = conn.execute(
                f"SELECT notification_id FROM {self._t(TRACKING_TABLE)} "
                "WHERE application_name = %s",
                (name,),
            ).fetchone()
        return row is None or row[0] < highest

    @contextmanager
    def reader(self) -> Iterator[Any]:
        with self._cursor() as cursor:
            yield cursor

    def close(self) -> None:
        if self._factory is not None:
            self._factory.close()
        self._factory = self._recorder = None
