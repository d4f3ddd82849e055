"""The embedded backend: one SQLite file, through eventsourcing's SQLite recorders."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.errors import StoreError
from ledger.store.backend import (
    CHAIN_TABLE,
    OLD_REFS_TABLE,
    REFS_TABLE,
    ChainLink,
    NewEvent,
    StoredLine,
    WriteSession,
)
from ledger.store.chain import GENESIS, link

EVENTS_TABLE = "stored_events"
_CHUNK = 500  # stays under SQLite's limit on bound parameters
_WINDOWS = 60  # (ref, from, to) windows per query
WRITE_CACHE_KIB = 32 * 1024
RECORDER_TOPIC = "ledger.store.sqlite_recorder:LedgerSQLiteRecorder"


def _lines(cursor: sqlite3.Cursor, sql: str, params: Sequence[Any]) -> list[StoredLine]:
    return [StoredLine(r[0], r[1], r[2], bytes(r[3])) for r in cursor.execute(sql, params)]


def _by_refs(cursor: sqlite3.Cursor, refs: Iterable[str]) -> list[StoredLine]:
    wanted = sorted(set(refs))
    found: dict[int, StoredLine] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in _lines(
            cursor,
            f"SELECT e.rowid, e.originator_id, e.topic, e.state FROM {EVENTS_TABLE} e "
            f"WHERE e.rowid IN (SELECT notification_id FROM {REFS_TABLE} WHERE ref IN ({marks}))",
            chunk,
        ):
            found[row.notification_id] = row
    return [found[key] for key in sorted(found)]


def _by_ids(cursor: sqlite3.Cursor, ids: Iterable[str]) -> list[StoredLine]:
    wanted = sorted(set(ids))
    found: list[StoredLine] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found += _lines(
            cursor,
            f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
            f"WHERE originator_id IN ({marks})",
            chunk,
        )
    return sorted(found, key=lambda row: row.notification_id)


class _Write:
    """One BEGIN IMMEDIATE transaction: the write lock is held from the first read of the head."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor
        # A long import inserts all over three indexes: a bigger page cache keeps them in memory
        # instead of spilling half-built pages to the log (bounded, so memory stays flat).
        cursor.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
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

    def append(self, events: Sequence[NewEvent]) -> list[int]:
        seq, previous = self.head
        rows: list[tuple[int, str, int, str, bytes]] = []
        links: list[tuple[int, int, bytes]] = []
        refs: list[tuple[str, int, int]] = []
        ids: list[int] = []
        for event in events:
            seq += 1
            nid = self.next_id
            self.next_id += 1
            ids.append(nid)
            previous = link(previous, event.line)
            # Each event is its own one-version stream: the primary key makes ids unique.
            rows.append((nid, event.event_id, 1, event.type, event.line))
            links.append((seq, nid, previous))
            refs.extend((ref, at, nid) for ref, at in event.refs)
        self.cursor.executemany(
            f"INSERT INTO {EVENTS_TABLE} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        self.cursor.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)", links)
        self.add_refs(refs)
        self.head = (seq, previous)
        return ids

    def add_refs(self, rows: Sequence[tuple[str, int, int]]) -> None:
        # Inserting in key order keeps the index's pages warm.
        self.cursor.executemany(
            f"INSERT OR IGNORE INTO {REFS_TABLE} (ref, at, notification_id) VALUES (?, ?, ?)",
            sorted(rows),
        )

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]:
        return _by_refs(self.cursor, refs)

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]:
        return _by_ids(self.cursor, ids)

    def lines(self, after: int, limit: int) -> list[StoredLine]:
        return _lines(
            self.cursor,
            f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )


class SQLiteBackend:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"sqlite:///{path}"
        self._factory: Any = None
        self._recorder: Any = None

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

    def _open(self, *, create: bool) -> Any:
        """eventsourcing's recorder for this file (imported here: reads of views never need it)."""
        if self._recorder is None:
            from eventsourcing.persistence import PersistenceError
            from eventsourcing.sqlite import SQLiteFactory
            from eventsourcing.utils import Environment

            from ledger.store.sqlite_recorder import LedgerSQLiteRecorder

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
                    "PROCESS_RECORDER_TOPIC": RECORDER_TOPIC,
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

    def index_outdated(self) -> bool:
        with self.reader() as cursor:
            names = {
                row[0]
                for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        return OLD_REFS_TABLE in names or REFS_TABLE not in names

    def upgrade_index(self, refill: Callable[[WriteSession], object]) -> None:
        self.close()
        self._open(create=True)  # creates the current index (and its guards) beside the old one
        with self.writing() as session:
            session.cursor.execute(f"DROP TABLE IF EXISTS {OLD_REFS_TABLE}")
            refill(session)

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
    def reader(self) -> Iterator[Any]:
        """A plain read-only connection in one snapshot, rows readable by column name."""
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {self.description}: {error}") from error
        connection.row_factory = sqlite3.Row
        try:
            cursor = connection.cursor()
            cursor.execute("BEGIN")
            yield cursor
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.description}: {error}") from error
        finally:
            connection.close()

    @contextmanager
    def writing(self) -> Iterator[_Write]:
        with self._transaction(write=True) as cursor:
            yield _Write(cursor)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._transaction(write=True) as cursor:
            yield cursor

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        notifications = self._open(create=False).select_notifications(
            after, limit, inclusive_of_start=False
        )
        return [StoredLine(n.id, str(n.originator_id), n.topic, n.state) for n in notifications]

    def chain(self, after_seq: int = 0, limit: int = 5000) -> list[ChainLink]:
        with self.reader() as cursor:
            return [
                ChainLink(row[0], row[1], bytes(row[2]))
                for row in cursor.execute(
                    f"SELECT seq, notification_id, hash FROM {CHAIN_TABLE} "
                    "WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after_seq, limit),
                )
            ]

    def by_refs(self, refs: Iterable[str]) -> list[StoredLine]:
        with self.reader() as cursor:
            return _by_refs(cursor, refs)

    def by_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[StoredLine]:
        wanted = list(dict.fromkeys(windows))
        found: dict[int, StoredLine] = {}
        with self.reader() as cursor:
            # A few dozen windows a query: SQLite answers each OR term from the index.
            for start in range(0, len(wanted), _WINDOWS):
                chunk = wanted[start : start + _WINDOWS]
                terms = " OR ".join("(ref = ? AND at BETWEEN ? AND ?)" for _ in chunk)
                for row in _lines(
                    cursor,
                    f"SELECT e.rowid, e.originator_id, e.topic, e.state FROM {EVENTS_TABLE} e "
                    f"WHERE e.rowid IN (SELECT notification_id FROM {REFS_TABLE} WHERE {terms})",
                    [value for window in chunk for value in window],
                ):
                    found[row.notification_id] = row
        return [found[key] for key in sorted(found)]

    def next_after(self, probes: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
        wanted = list(dict.fromkeys(probes))
        found: dict[tuple[str, int], int] = {}
        with self.reader() as cursor:
            for start in range(0, len(wanted), _WINDOWS):
                chunk = wanted[start : start + _WINDOWS]
                probe = (
                    f"SELECT (SELECT at FROM {REFS_TABLE} WHERE ref = ? AND at > ? "
                    "ORDER BY at LIMIT 1)"
                )
                rows = cursor.execute(
                    " UNION ALL ".join(probe for _ in chunk),
                    [value for item in chunk for value in item],
                ).fetchall()
                for item, row in zip(chunk, rows, strict=True):
                    if row[0] is not None:
                        found[item] = int(row[0])
        return found

    def by_ids(self, ids: Iterable[str]) -> list[StoredLine]:
        with self.reader() as cursor:
            return _by_ids(cursor, ids)

    def by_nids(self, nids: Iterable[int]) -> list[StoredLine]:
        wanted = sorted(set(nids))
        found: list[StoredLine] = []
        with self.reader() as cursor:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                found += _lines(
                    cursor,
                    f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
                    f"WHERE rowid IN ({','.join('?' * len(chunk))}) ORDER BY rowid",
                    chunk,
                )
        return found

    def writable(self) -> bool:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        return os.access(self.path, os.W_OK) and os.access(folder, os.W_OK)

    def filed(self, refs: Iterable[str]) -> set[str]:
        with self.reader() as cursor:
            return {
                ref
                for ref in dict.fromkeys(refs)
                if cursor.execute(
                    f"SELECT 1 FROM {REFS_TABLE} WHERE ref = ? LIMIT 1", (ref,)
                ).fetchone()
            }

    def ids_under(self, ref: str, after: int, upto: int) -> list[tuple[int, str]]:
        with self.reader() as cursor:
            return [
                (row[0], row[1])
                for row in cursor.execute(
                    f"SELECT r.notification_id, e.originator_id FROM {REFS_TABLE} r "
                    f"JOIN {EVENTS_TABLE} e ON e.rowid = r.notification_id "
                    "WHERE r.ref = ? AND r.notification_id > ? AND r.notification_id <= ? "
                    "ORDER BY r.notification_id",
                    (ref, after, upto),
                )
            ]

    def named_in_order(self, prefix: str, upto: int) -> list[str]:
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with self.reader() as cursor:
            return [
                row[0][len(prefix) :]
                for row in cursor.execute(
                    f"SELECT ref, MIN(at) AS first FROM {REFS_TABLE} "
                    "WHERE ref >= ? AND ref < ? AND notification_id <= ? "
                    "GROUP BY ref ORDER BY first, ref",
                    (prefix, end, upto),
                )
            ]

    def last_at(self, ref: str) -> int | None:
        with self.reader() as cursor:
            row = cursor.execute(
                f"SELECT at FROM {REFS_TABLE} WHERE ref = ? ORDER BY at DESC LIMIT 1", (ref,)
            ).fetchone()
        return None if row is None else int(row[0])

    def top(self) -> int:
        with self.reader() as cursor:
            row = cursor.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def lock(self, name: str, timeout: float) -> Iterator[bool]:
        """An flock on a file beside the database: released by the kernel if we die."""
        path = Path(f"{self.path}.{name}.lock")
        try:
            handle = path.open("a+b")
        except OSError:
            yield False  # a read-only directory: nobody can write read models here
            return
        with handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.05)  # another process holds it: poll until it lets go
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def head(self) -> tuple[int, bytes]:
        with self.reader() as cursor:
            row = cursor.execute(
                f"SELECT seq, hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return (row[0], bytes(row[1])) if row else (0, GENESIS)

    def tracked(self, cursor: Any, name: str) -> int:
        # eventsourcing's tracking records: the position and the view commit together.
        return self._open(create=False)._max_tracking_id(name, cursor) or 0

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        from eventsourcing.persistence import Tracking

        self._open(create=False)._insert_tracking(cursor, Tracking(name, notification_id))

    def untrack(self, cursor: Any, name: str) -> None:
        table = "tracking"
        cursor.execute(f"DELETE FROM {table} WHERE application_name = ?", (name,))

    def behind(self, name: str) -> bool:
        with self.reader() as cursor:
            top = cursor.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()[0] or 0
            try:
                row = cursor.execute(
                    "SELECT notification_id FROM tracking WHERE application_name = ?", (name,)
                ).fetchone()
            except sqlite3.OperationalError:  # no tracking table yet
                return True
        return row is None or row[0] < top

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
