"""Opening a ledger by its store URL, and reading its events back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ledger.errors import StoreNotFound, StoreReadOnly
from ledger.store.backend import Backend, StoredLine, iterate
from ledger.store.urls import DEFAULT_STORE, StoreUrl, parse_store_url

if TYPE_CHECKING:  # the event models load on first decode: read-model commands never need them
    from ledger.events import LedgerEvent


def backend_for(url: StoreUrl) -> Backend:
    if url.kind == "sqlite":
        from ledger.store.sqlite import SQLiteBackend

        assert url.path is not None
        return SQLiteBackend(url.path)
    from ledger.store.postgres import PostgresBackend

    return PostgresBackend(url)


class Ledger:
    """One ledger: the events, their chain and their reference index, in one database."""

    def __init__(self, backend: Backend, url: str = DEFAULT_STORE) -> None:
        self.backend = backend
        self.url = url  # as given: worker processes open the same store by it

    @classmethod
    def open(cls, url: str | None = None, *, must_exist: bool = True) -> Ledger:
        """Open the store at `url`; reading one that was never written is an error.

        Something at that place that is not a ledger is NotALedger (and left untouched); a
        store is created by the first import (`backend.writing(create=True)`), never here.
        """
        url = url or DEFAULT_STORE
        backend = backend_for(parse_store_url(url))
        try:
            present = backend.exists()
            if must_exist and not present:
                raise StoreNotFound(
                    f"no ledger at {backend.description}: import a stream first "
                    "(ledger import FILE), or point --store / LEDGER_STORE at an existing ledger"
                )
            if present and backend.index_outdated():
                _upgrade(backend)  # a store of an older version: once, on first open
        except BaseException:
            backend.close()
            raise
        return cls(backend, url)

    @property
    def description(self) -> str:
        return self.backend.description

    def head(self) -> tuple[int, bytes]:
        return self.backend.head()

    def lines(self) -> Iterator[StoredLine]:
        """Every stored event in append order."""
        return iterate(self.backend)

    def events(self) -> Iterator[LedgerEvent]:
        for stored in self.lines():
            yield decode(stored)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _upgrade(backend: Backend) -> None:
    from ledger.write.reindex import reindex

    try:
        backend.upgrade_index(reindex)
    except StoreReadOnly as error:
        raise StoreReadOnly(
            f"{error}; this ledger was written by an older version and must be opened once "
            "where it can be written, to upgrade its index"
        ) from error


def decode(stored: StoredLine) -> LedgerEvent:
    """The event model of a stored line, chosen by its stream type."""
    from ledger.events import EVENT_TYPES

    return EVENT_TYPES[stored.type].model_validate_json(stored.line)


def decode_all(stored: Iterable[StoredLine]) -> list[LedgerEvent]:
    return [decode(item) for item in stored]
