"""What can go wrong, in the terms the command line reports (exit 2 for input, 3 for store)."""

from __future__ import annotations

from collections.abc import Sequence

from ledger.write.records import Problem


class LedgerError(Exception):
    """Base of every error the ledger reports to its user."""


class InvalidInput(LedgerError):
    """The input cannot be imported; nothing was written."""

    def __init__(self, problems: Sequence[Problem], *, more: bool = False) -> None:
        self.problems = list(problems)
        self.more = more
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)}{'+' if more else ''} {noun}; nothing was imported")


class UsageError(LedgerError):
    """A request that cannot be carried out as asked (an unknown reference, a bad option)."""


class StoreError(LedgerError):
    """The store cannot be opened, does not exist, or failed a check."""


class StoreNotFound(StoreError):
    """Reading a store that has never been written."""


class NotALedger(StoreError):
    """Something is at the store's place that the ledger did not make: it is left as it is."""


class StoreReadOnly(StoreError):
    """The store cannot be written here (permissions, a read-only folder or server): reading
    works; anything that writes, importing or caching read models, does not."""


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than the wait allowed."""


class IntegrityFailure(StoreError):
    """The store's content does not match its chain: it was altered outside the ledger."""
