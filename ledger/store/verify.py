"""Recomputing the chain: proof that the stored events are the ones appended, in order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest

from ledger.store.backend import ChainLink, StoredLine
from ledger.store.chain import GENESIS, link, parse
from ledger.store.ledger import Ledger


@dataclass(frozen=True)
class Verification:
    events: int
    incidents: int
    head: bytes
    problem: str | None = None  # the first inconsistency, naming the event

    @property
    def ok(self) -> bool:
        return self.problem is None


def _links(ledger: Ledger) -> Iterator[ChainLink]:
    after = 0
    while page := ledger.backend.chain(after):
        yield from page
        after = page[-1].seq


def verify(ledger: Ledger, *, expect_head: bytes | None = None) -> Verification:
    """Walk events and chain side by side; stop at the first row that does not add up."""
    previous, count = GENESIS, 0
    incidents: set[str] = set()
    stored: StoredLine | None
    chained: ChainLink | None
    for stored, chained in zip_longest(ledger.lines(), _links(ledger)):
        count += 1
        problem = _check(count, previous, stored, chained)
        if problem is not None:
            return Verification(count - 1, len(incidents), previous, problem)
        assert stored is not None
        assert chained is not None
        previous = chained.hash
        incidents.update(_incidents(stored.line))
    if expect_head is not None and previous != expect_head:
        problem = (
            f"chain head is {previous.hex()} but {expect_head.hex()} was expected: "
            "events were removed from the end, or this is another ledger"
        )
        return Verification(count, len(incidents), previous, problem)
    return Verification(count, len(incidents), previous)


def _check(
    seq: int, previous: bytes, stored: StoredLine | None, chained: ChainLink | None
) -> str | None:
    if stored is None:
        assert chained is not None
        return f"event #{seq} (notification {chained.notification_id}) is missing: it was removed"
    name = f"event #{seq} {stored.event_id!r}"
    if chained is None:
        return f"{name} has no chain entry: it was added outside the ledger"
    if chained.seq != seq:
        return f"{name}: chain entry #{seq} is missing (found #{chained.seq}): rows were removed"
    if chained.notification_id != stored.notification_id:
        return (
            f"{name}: the chain expects notification {chained.notification_id} here, "
            f"found {stored.notification_id}: events were removed or reordered"
        )
    if link(previous, stored.line) != chained.hash:
        return (
            f"{name}: content does not match its chain hash: the event was altered, "
            "or rows before it were removed or reordered"
        )
    return None


def _incidents(line: bytes) -> set[str]:
    obj = parse(line)
    return {
        value
        for key in ("incident", "from_incident", "to_incident", "linked")
        if isinstance(value := obj.get(key), str)
    }
