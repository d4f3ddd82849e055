"""The embedded backend: one SQLite file, through eventsourcing's SQLite recorders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eventsourcing.persistence import PersistenceError, Tracking
from eventsourcing.sqlite import SQLiteFactory, SQLiteProcessRecorder
from eventsourcing.utils import Environment

from ledger.backends.base import (
    CHAIN_TABLE,
    IMMUTABLE_MESSAGE,
    REFS_TABLE,
    ChainLink,
    NewEvent,
    StoredLine,
)
from ledger.chain import GENESIS, link
from ledger.errors import StoreError

EVENTS_TABLE = "stored_events"
_CHUNK = 500  # stays under SQLite's limit on bound parameters


class LedgerSQLiteRecorder(SQLiteProcessRecorder):
    """eventsourcing's recorder, plus the chain, the reference index and append-only triggers."""

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements += [
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
            "seq INTEGER PRIMARY KEY, notification_id INTEGER NOT NULL UNIQUE, "
            "hash BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {REFS_TABLE} ("
            "ref TEXT NOT NULL, notification_id INTEGER NOT NULL, "
            "PRIMARY KEY (ref, notification_id)) WITHOUT ROWID",
        ]
        for table in (EVENTS_TABLE, CHAIN_TABLE, REFS_TABLE):
            for action in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} "
                    f"BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
                )
        return statements


class _Write:
    """One BEGIN IMMEDIATE transaction: the write lock is held from the first read of the head."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor
        row = cursor.execute(
            f"SELECT seq, hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        self.head: tuple[int, bytes] = (row[0], bytes(row[1])) if row else (0, GENESIS)
        top = cursor.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()[0]
        self.next_id: int = (top or 0) + 1

    def existing(self, ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for event_id, state in self.cursor.execute(
                f"SELECT originator_id, state FROM {EVENTS_TABLE} "
                f"WHERE originator_id IN ({marks}) AND originator_version = 1",
                chunk,
            ):
                found[event_id] = bytes(state)
        return found

    def append(self, events: Sequence[NewEvent]) -> None:
        seq, previous = self.head
        rows: list[tuple[int, str, int, str, bytes]] = []
        links: list[tuple[int, int, bytes]] = []
        refs: list[tuple[str, int]] = []
        for event in events:
            seq += 1
            nid = self.next_id
            self.next_id += 1
            previous = link(previous, event.line)
            # Each event is its own one-version stream: the primary key makes ids unique.
            rows.append((nid, event.event_id, 1, event.type, event.line))
            links.append((seq, nid, previous))
            refs.extend((ref, nid) for ref in event.refs)
        self.cursor.executemany(
            f"INSERT INTO {EVENTS_TABLE} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        self.cursor.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)", links)
        self.cursor.executemany(f"INSERT OR IGNORE INTO {REFS_TABLE} VALUES (?, ?)", refs)
        self.head = (seq, previous)


class SQLiteBackend:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"sqlite:///{path}"
        self._factory: SQLiteFactory | None = None
        self._recorder: LedgerSQLiteRecorder | None = None

    def exists(self) -> bool:
        if not self.path.is_file():
            return False
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as probe:
                row = probe.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (CHAIN_TABLE,)
                ).fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a ledger store: {error}") from error
        return row is not None

    def _open(self, *, create: bool) -> LedgerSQLiteRecorder:
        if self._recorder is None:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            env = Environment(
                name="ledger",
                env={
                    "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    "SQLITE_DBNAME": str(self.path),
                    "SQLITE_LOCK_TIMEOUT": "30",
                    "ORIGINATOR_ID_TYPE": "text",
                    "CREATE_TABLE": "yes" if create else "no",
                    "PROCESS_RECORDER_TOPIC": "ledger.backends.sqlite:LedgerSQLiteRecorder",
                },
            )
            try:
                self._factory = SQLiteFactory(env)
                recorder = self._factory.process_recorder()
            except (PersistenceError, sqlite3.Error) as error:
                raise StoreError(f"cannot open {self.description}: {error}") from error
            assert isinstance(recorder, LedgerSQLiteRecorder)
            self._recorder = recorder
        return self._recorder

    def create(self) -> None:
        self._open(create=True)

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Cursor]:
        recorder = self._open(create=False)
        try:
            with recorder.datastore.get_connection(commit=write) as connection:
                cursor = connection.cursor().sqlite_cursor
                raw = cursor.connection
                cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield cursor
                except BaseException:
                    raw.rollback()
                    raise
                if write:
                    raw.commit()
                else:
                    raw.rollback()
        except sqlite3.OperationalError as error:
            raise StoreError(f"{self.description}: {error}") from error

    @contextmanager
    def writing(self) -> Iterator[_Write]:
        with self._transaction(write=True) as cursor:
            yield _Write(cursor)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._transaction(write=True) as cursor:
            yield cursor

    def _select(self, sql: str, params: Sequence[Any]) -> list[StoredLine]:
        with self._transaction(write=False) as cursor:
            return [
                StoredLine(row[0], row[1], row[2], bytes(row[3]))
                for row in cursor.execute(sql, params)
            ]

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        notifications = self._open(create=False).select_notifications(
            after, limit, inclusive_of_start=False
        )
        return [StoredLine(n.id, str(n.originator_id), n.topic, n.state) for n in notifications]

    def chain(self, after_seq: int = 0, limit: int = 5000) -> list[ChainLink]:
        with self._transaction(write=False) as cursor:
            return [
                ChainLink(row[0], row[1], bytes(row[2]))
                for row in cursor.execute(
                    f"SELECT seq, notification_id, hash FROM {CHAIN_TABLE} "
                    "WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after_seq, limit),
                )
            ]

    def by_refs(self, refs: Iterable[str]) -> list[StoredLine]:
        wanted = sorted(set(refs))
        found: dict[int, StoredLine] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self._select(
                f"SELECT DISTINCT e.rowid, e.originator_id, e.topic, e.state "
                f"FROM {REFS_TABLE} r JOIN {EVENTS_TABLE} e ON e.rowid = r.notification_id "
                f"WHERE r.ref IN ({marks})",
                chunk,
            ):
                found[row.notification_id] = row
        return [found[key] for key in sorted(found)]

    def by_ids(self, ids: Iterable[str]) -> list[StoredLine]:
        wanted = sorted(set(ids))
        found: list[StoredLine] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found += self._select(
                f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
                f"WHERE originator_id IN ({marks})",
                chunk,
            )
        return sorted(found, key=lambda row: row.notification_id)

    def head(self) -> tuple[int, bytes]:
        with self._transaction(write=False) as cursor:
            row = cursor.execute(
                f"SELECT seq, hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return (row[0], bytes(row[1])) if row else (0, GENESIS)

    def tracked(self, cursor: Any, name: str) -> int:
        # eventsourcing's tracking records: the position and the view commit together.
        return self._open(create=False)._max_tracking_id(name, cursor) or 0

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        self._open(create=False)._insert_tracking(cursor, Tracking(name, notification_id))

    def untrack(self, cursor: Any, name: str) -> None:
        table = "tracking"
        cursor.execute(f"DELETE FROM {table} WHERE application_name = ?", (name,))

    def discard_if_empty(self) -> None:
        if self.head()[0] != 0:
            return
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if self._factory is not None:
            self._factory.close()
        self._factory = self._recorder = None
