"""The interface every database backend offers the ledger, and the rows it deals in."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

# One row of ledger tables on top of eventsourcing's stored events. The chain lives in its own
# table so that eventsourcing's rows stay exactly as its recorders write and read them.
CHAIN_TABLE = "ledger_chain"
REFS_TABLE = "ledger_index"  # (ref, at, notification_id): see ledger.index
OLD_REFS_TABLE = "ledger_refs"  # the index of format 1, without times: rebuilt on open
IMMUTABLE_MESSAGE = "the ledger is append-only: events cannot be changed or removed"
LOCK_TIMEOUT_ENV = "LEDGER_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60  # seconds a writer waits for another before it gives up, saying so


def lock_timeout() -> int:
    """Seconds to wait for another process's lock: LEDGER_LOCK_TIMEOUT, else 60."""
    text = os.environ.get(LOCK_TIMEOUT_ENV, "")
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_LOCK_TIMEOUT


@dataclass(frozen=True, slots=True)
class StoredLine:
    """One event as stored: its place in the notification log, id, type and canonical line."""

    notification_id: int
    event_id: str
    type: str
    line: bytes


@dataclass(frozen=True, slots=True)
class ChainLink:
    seq: int
    notification_id: int
    hash: bytes


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event ready to append: validated, canonical, with the references that find it."""

    event_id: str
    type: str
    line: bytes
    refs: tuple[tuple[str, int], ...]  # (reference, instant): ledger.index.refs_of


class WriteSession(Protocol):
    """One write transaction, holding the ledger's write lock from start to commit."""

    head: tuple[int, bytes]

    def existing(self, ids: Sequence[str]) -> dict[str, bytes]:
        """The stored canonical line of each of `ids` the ledger already holds."""
        ...

    def append(self, events: Sequence[NewEvent]) -> list[int]:
        """Append events, extending the chain from `head`; their notification ids, in order."""
        ...

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]:
        """The events with these ids, as this transaction sees them."""
        ...

    def lines(self, after: int, limit: int) -> list[StoredLine]:
        """Events in append order with notification id greater than `after`."""
        ...

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]:
        """Events filed under any of `refs` (at any time), as this transaction sees them."""
        ...

    def add_refs(self, rows: Sequence[tuple[str, int, int]]) -> None:
        """File more (reference, instant, notification id) rows: a correction's, once its
        target's versions are known."""
        ...


class Backend(Protocol):
    """A database holding one ledger.

    Errors are `ledger.errors.StoreError`s: `NotALedger` for a file or schema the ledger did
    not make, `StoreReadOnly` for a store that cannot be written here (reading still works),
    `StoreBusy` when another process held a lock longer than `lock_timeout()`.
    """

    description: str

    def exists(self) -> bool:
        """True for a ledger, False for nothing there; NotALedger for anything else."""
        ...

    def writable(self) -> bool:
        """False when writing here would fail for want of permission (a read-only folder,
        file, server or role): read from the events instead of caching read models."""
        ...

    def index_outdated(self) -> bool:
        """True for a store whose reference index was written by an older version."""
        ...

    def upgrade_index(self, refill: Callable[[WriteSession], object]) -> None:
        """Replace an older index with an empty current one and `refill` it, in one transaction
        that holds the write lock (a process that finds it already done does nothing)."""
        ...

    def writing(self, *, create: bool = False) -> AbstractContextManager[WriteSession]:
        """One write transaction holding the write lock. With `create`, a ledger is made if
        there is none, safely under concurrency; if the transaction then fails, exactly what
        this call made is removed again (never anything another process is using)."""
        ...

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        """Events in append order with notification id greater than `after`."""
        ...

    def chain(self, after_seq: int = 0, limit: int = 5000) -> list[ChainLink]: ...

    def by_refs(self, refs: Iterable[str]) -> list[StoredLine]:
        """Events filed under any of `refs` at any time, in append order."""
        ...

    def by_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[StoredLine]:
        """Events filed under `ref` at an instant within [lo, hi], for any (ref, lo, hi)."""
        ...

    def next_after(self, probes: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
        """For each (ref, instant), the first instant after it at which `ref` is filed
        (absent from the result when there is none)."""
        ...

    def by_ids(self, ids: Iterable[str]) -> list[StoredLine]: ...

    def by_nids(self, nids: Iterable[int]) -> list[StoredLine]:
        """The events with these notification ids, in append order."""
        ...

    def filed(self, refs: Iterable[str]) -> set[str]:
        """Those of `refs` some event is filed under (one index probe each)."""
        ...

    def ids_under(self, ref: str, after: int, upto: int) -> list[tuple[int, str]]:
        """(notification id, event id) of the events filed under `ref` appended in
        (after, upto], in append order."""
        ...

    def named_in_order(self, prefix: str, upto: int) -> list[str]:
        """The references starting with `prefix` (e.g. every `i:` incident) filed for events up
        to notification `upto`, by the instant of their earliest event, then by name."""
        ...

    def last_at(self, ref: str) -> int | None:
        """The latest instant `ref` is filed at (None when it is filed nowhere)."""
        ...

    def refresh_statistics(self) -> None:
        """Let the database's planner know the tables' sizes (after a large import), so that
        look-ups by reference use the index rather than a scan."""
        ...

    def top(self) -> int:
        """The notification id of the last event appended (0 for none)."""
        ...

    def lock(self, name: str, timeout: float) -> AbstractContextManager[bool]:
        """Hold a lock named `name` across processes (True), or not get it within `timeout`
        seconds or at all, e.g. on a read-only store (False)."""
        ...

    def head(self) -> tuple[int, bytes]:
        """(number of events, chain head)."""
        ...

    def connection(self) -> AbstractContextManager[Any]:
        """A raw DB-API cursor in a transaction, for read models kept beside the events."""
        ...

    def tracked(self, cursor: Any, name: str) -> int:
        """The last notification id the read model `name` has applied (0 for none)."""
        ...

    def track(self, cursor: Any, name: str, notification_id: int) -> None:
        """Record, in the read model's own transaction, that it applied up to this id."""
        ...

    def untrack(self, cursor: Any, name: str) -> None:
        """Forget the position of `name`, so it is rebuilt from the first event."""
        ...

    def behind(self, name: str) -> bool:
        """True when events were appended after the read model `name` last caught up."""
        ...

    def reader(self) -> AbstractContextManager[Any]:
        """A read-only cursor in one snapshot, rows readable by column name."""
        ...

    def close(self) -> None: ...


def iterate(backend: Backend, batch: int = 5000) -> Iterator[StoredLine]:
    """Every event in append order, a page at a time."""
    after = 0
    while True:
        page = backend.events(after, batch)
        if not page:
            return
        yield from page
        after = page[-1].notification_id
