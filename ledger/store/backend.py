"""The interface every database backend offers the ledger, and the rows it deals in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

# One row of ledger tables on top of eventsourcing's stored events. The chain lives in its own
# table so that eventsourcing's rows stay exactly as its recorders write and read them.
CHAIN_TABLE = "ledger_chain"
REFS_TABLE = "ledger_refs"
IMMUTABLE_MESSAGE = "the ledger is append-only: events cannot be changed or removed"


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
    refs: tuple[str, ...]


class WriteSession(Protocol):
    """One write transaction, holding the ledger's write lock from start to commit."""

    head: tuple[int, bytes]

    def existing(self, ids: Sequence[str]) -> dict[str, bytes]:
        """The stored canonical line of each of `ids` the ledger already holds."""
        ...

    def append(self, events: Sequence[NewEvent]) -> None:
        """Append events, extending the chain from `head`."""
        ...


class Backend(Protocol):
    """A database holding one ledger."""

    description: str

    def exists(self) -> bool: ...

    def create(self) -> None: ...

    def writing(self) -> AbstractContextManager[WriteSession]: ...

    def events(self, after: int = 0, limit: int = 5000) -> list[StoredLine]:
        """Events in append order with notification id greater than `after`."""
        ...

    def chain(self, after_seq: int = 0, limit: int = 5000) -> list[ChainLink]: ...

    def by_refs(self, refs: Iterable[str]) -> list[StoredLine]:
        """Events carrying any of `refs`, in append order."""
        ...

    def by_prefix(self, prefix: str) -> list[StoredLine]:
        """Events carrying any reference that starts with `prefix`, in append order."""
        ...

    def by_ids(self, ids: Iterable[str]) -> list[StoredLine]: ...

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

    def discard_if_empty(self) -> None:
        """Remove a ledger that holds no events (one this process just created)."""
        ...

    def close(self) -> None: ...


def prefix_end(prefix: str) -> str:
    """The least string greater than every string starting with `prefix` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def iterate(backend: Backend, batch: int = 5000) -> Iterator[StoredLine]:
    """Every event in append order, a page at a time."""
    after = 0
    while True:
        page = backend.events(after, batch)
        if not page:
            return
        yield from page
        after = page[-1].notification_id
