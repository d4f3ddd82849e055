"""Opening a ledger by its store URL, and reading its events back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ledger.errors import StoreNotFound
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
        self._created = False

    @classmethod
    def open(cls, url: str | None = None, *, must_exist: bool = True) -> Ledger:
        """Open the store at `url`; reading one that was never written is an error."""
        url = url or DEFAULT_STORE
        backend = backend_for(parse_store_url(url))
        if must_exist and not backend.exists():
            raise StoreNotFound(
                f"no ledger at {backend.description}: import a stream first "
                "(ledger import FILE), or point --store / LEDGER_STORE at an existing ledger"
            )
        ledger = cls(backend, url)
        if backend.exists() and backend.index_outdated():
            from ledger.write.reindex import reindex

            backend.upgrade_index(reindex)  # a store of an older version: once, on first open
        return ledger

    @property
    def description(self) -> str:
        return self.backend.description

    def create(self) -> None:
        """Create the tables if they are missing (a store is created on first write)."""
        if not self._created:
            self.backend.create()
            self._created = True

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


def decode(stored: StoredLine) -> LedgerEvent:
    """The event model of a stored line, chosen by its stream type."""
    from ledger.events import EVENT_TYPES

    return EVENT_TYPES[stored.type].model_validate_json(stored.line)


def decode_all(stored: Iterable[StoredLine]) -> list[LedgerEvent]:
    return [decode(item) for item in stored]
