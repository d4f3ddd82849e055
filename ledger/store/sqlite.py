"""The embedded backend: one SQLite file, through eventsourcing's SQLite recorders.

The file is found, made and removed by `ledger.store.sqlite_file` (never half made, never
removed from under another process). Reads use plain read-only connections, so a ledger in a
folder the user cannot write to can still be read and verified; writes go through
eventsourcing's recorder in `BEGIN IMMEDIATE` transactions, waiting for another writer at most
the lock timeout.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.errors import StoreBusy, StoreError, StoreNotFound, StoreReadOnly
from ledger.store.backend import (
    CHAIN_TABLE,
    OLD_REFS_TABLE,
    REFS_TABLE,
    ChainLink,
    StoredLine,
    WriteSession,
    lock_timeout,
)
from ledger.store.chain import GENESIS
from ledger.store.sqlite_file import LedgerFile, uri
from ledger.store.sqlite_rows import EVENTS_TABLE, Write, by_ids, by_refs, lines_of
from ledger.testhooks import reached

_CHUNK = 500  # stays under SQLite's limit on bound parameters
_WINDOWS = 60  # (ref, from, to) windows per query

RECORDER_TOPIC = "ledger.store.sqlite_recorder:LedgerSQLiteRecorder"


class SQLiteBackend:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"sqlite:///{path}"
        self.timeout = lock_timeout()
        self._file = LedgerFile(path, self.timeout)
        self._factory: Any = None
        self._recorder: Any = None

    def exists(self) -> bool:
        return self._file.find()

    def writable(self) -> bool:
        return self._file.writable()

    def _env(self, dbname: str, *, create: bool) -> Any:
        from eventsourcing.utils import Environment

        return Environment(
            name="ledger",
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": dbname,
                "SQLITE_LOCK_TIMEOUT": str(self.timeout),
                "ORIGINATOR_ID_TYPE": "text",
                "CREATE_TABLE": "yes" if create else "no",
                "PROCESS_RECORDER_TOPIC": RECORDER_TOPIC,
            },
        )

    def _open(self) -> Any:
        """eventsourcing's recorder for the file (imported here: reads of views never need it)."""
        if self._recorder is None:
            if not self._file.find():
                raise StoreNotFound(f"no ledger at {self.description}")
            from eventsourcing.persistence import PersistenceError
            from eventsourcing.sqlite import SQLiteFactory

            try:
                self._factory = SQLiteFactory(
                    self._env(uri(self.path, writable=True), create=False)
                )
                self._recorder = self._factory.process_recorder()
            except (PersistenceError, sqlite3.Error) as error:
                raise StoreError(f"cannot open {self.description}: {error}") from error
        return self._recorder

    def _build(self, path: Path) -> None:
        """An empty ledger in a new file: eventsourcing's tables and the ledger's, with guards."""
        from eventsourcing.persistence import PersistenceError
        from eventsourcing.sqlite import SQLiteFactory

        factory = SQLiteFactory(self._env(str(path), create=True))
        try:
            factory.process_recorder()
        except (PersistenceError, sqlite3.Error) as error:
            raise StoreError(f"cannot create the ledger at {self.path}: {error}") from error
        finally:
            factory.close()

    def index_outdated(self) -> bool:
        with self.reader() as cursor:
            return _outdated(cursor)

    def upgrade_index(self, refill: Callable[[WriteSession], object]) -> None:
        with self.writing() as session:  # the write lock serialises upgrades: check again
            if not _outdated(session.cursor):
                return
            for statement in self._open().create_table_statements:
                if "TABLE IF NOT EXISTS tracking" not in statement:
                    session.cursor.execute(statement)  # the current index, beside the old one
            session.cursor.execute(f"DROP TABLE IF EXISTS {OLD_REFS_TABLE}")
            refill(session)

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Cursor]:
        recorder = self._open()
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
            raise self._failure(error) from error

    def _failure(self, error: sqlite3.Error) -> StoreError:
        message = str(error)
        if "locked" in message or "busy" in message:
            return StoreBusy(
                f"{self.description} is busy: another process kept writing to it for "
                f"{self.timeout} s (LEDGER_LOCK_TIMEOUT); try again when it has finished"
            )
        if "readonly" in message or "unable to open" in message:
            return StoreReadOnly(
                f"{self.description} cannot be written here ({message}): "
                "reading it works; importing needs write access to the file and its folder"
            )
        return StoreError(f"{self.description}: {message}")

    @contextmanager
    def reader(self) -> Iterator[Any]:
        """A plain read-only connection in one snapshot, rows readable by column name."""
        if not self._file.find():
            raise StoreNotFound(f"no ledger at {self.description}")
        try:
            connection = sqlite3.connect(
                uri(self.path, writable=False), uri=True, timeout=self.timeout
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {self.description}: {error}") from error
        connection.row_factory = sqlite3.Row
        try:
            cursor = connection.cursor()
            cursor.execute("BEGIN")
            yield cursor
        except sqlite3.DatabaseError as error:
            raise self._failure(error) from error
        finally:
            connection.close()

    @contextmanager
    def writing(self, *, create: bool = False) -> Iterator[Write]:
        """One write transaction; with `create`, the ledger is made first if there is none.

        If this call made the file and the transaction fails, the file (and any folders made
        for it) goes again, unless another process has opened it meanwhile.
        """
        if create:
            self._file.create(self._build)
        reached("store.ready")
        try:
            with self._transaction(write=True) as cursor:
                yield Write(cursor)
        except BaseException:
            if self._file.made:
                self._close_connections()
                self._file.discard()
            raise
        self._file.made = False  # it holds this import now: never removed by this process

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._transaction(write=True) as cursor:
            yield cursor

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        with self.reader() as cursor:
            return lines_of(
                cursor,
                f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
                "WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, limit),
            )

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
            return by_refs(cursor, refs)

    def by_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[StoredLine]:
        wanted = list(dict.fromkeys(windows))
        found: dict[int, StoredLine] = {}
        with self.reader() as cursor:
            # A few dozen windows a query: SQLite answers each OR term from the index.
            for start in range(0, len(wanted), _WINDOWS):
                chunk = wanted[start : start + _WINDOWS]
                terms = " OR ".join("(ref = ? AND at BETWEEN ? AND ?)" for _ in chunk)
                for row in lines_of(
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
            return by_ids(cursor, ids)

    def by_nids(self, nids: Iterable[int]) -> list[StoredLine]:
        wanted = sorted(set(nids))
        found: list[StoredLine] = []
        with self.reader() as cursor:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                found += lines_of(
                    cursor,
                    f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
                    f"WHERE rowid IN ({','.join('?' * len(chunk))}) ORDER BY rowid",
                    chunk,
                )
        return found

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

    def refresh_statistics(self) -> None:
        return None  # SQLite plans these look-ups from its indexes alone

    def top(self) -> int:
        with self.reader() as cursor:
            row = cursor.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def lock(self, name: str, timeout: float) -> Iterator[bool]:
        """An flock on a file beside the database: released by the kernel if we die."""
        # `<db>-views`: no longer a suffix than SQLite's own "-journal", so any name SQLite can use
        # leaves room for it.
        path = Path(f"{self.path}-{name}")
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
        return self._open()._max_tracking_id(name, cursor) or 0

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        from eventsourcing.persistence import Tracking

        self._open()._insert_tracking(cursor, Tracking(name, notification_id))

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

    def _close_connections(self) -> None:
        if self._factory is not None:
            self._factory.close()
        self._factory = self._recorder = None

    def close(self) -> None:
        self._close_connections()  # before the file's lock: see ledger.store.sqlite_file
        self._file.close()


def _outdated(cursor: Any) -> bool:
    names = {
        row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return OLD_REFS_TABLE in names or REFS_TABLE not in names
