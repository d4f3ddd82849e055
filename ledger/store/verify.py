"""Recomputing the chain: proof that the stored events are the ones appended, in order.

Every stored column that carries meaning is checked, not only the content the chain hashes:
an event's id and type are stored beside its canonical line (eventsourcing's `originator_id`
and `topic`), and its version; each must agree with the line, which the chain covers. The
position is covered by the chain itself: entry #n names the notification id of the n-th
event. Then the reference index is checked against the events (`verify_index`). Tampering of
any kind (a TEXT where bytes belong, a NULL, a missing row or table) is a problem found and
named, never a crash.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from ledger.errors import IntegrityFailure
from ledger.store.chain import GENESIS, link, parse
from ledger.store.ledger import Ledger
from ledger.store.verify_rows import chain_rows, event_rows, kind, missing_tables, snapshot

HASH_BYTES = 32


@dataclass(frozen=True)
class Verification:
    events: int
    incidents: int
    head: bytes
    problem: str | None = None  # the first inconsistency, naming the event
    index_rows: int = 0  # index rows found to match the events (0 when not checked)

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(ledger: Ledger, *, expect_head: bytes | None = None, index: bool = True) -> Verification:
    """Walk events and chain side by side, then the index; stop at the first row that does
    not add up. `index=False` checks the events and the chain alone."""
    with ledger.backend.reader() as cursor:
        snapshot(cursor)
        missing = missing_tables(cursor)
        if missing:
            return Verification(0, 0, GENESIS, f"table {missing[0]} is missing: it was dropped")
        result = _chain(cursor, expect_head)
        if not result.ok or not index:
            return result
        from ledger.store.verify_index import check_index

        rows, problem = check_index(ledger.backend, cursor)
    return Verification(result.events, result.incidents, result.head, problem, rows)


def _chain(cursor: Any, expect_head: bytes | None) -> Verification:
    previous, seq = GENESIS, 0
    incidents: set[str] = set()
    with closing(event_rows(cursor)) as events, closing(chain_rows(cursor)) as links:
        for stored, chained in zip_longest(events, links):
            seq += 1
            problem, obj = _check(seq, previous, stored, chained)
            if problem is not None:
                return Verification(seq - 1, len(incidents), previous, problem)
            assert chained is not None
            previous = chained[2]
            incidents.update(_incidents(obj))
    count = seq
    if expect_head is not None and previous != expect_head:
        problem = (
            f"chain head is {previous.hex()} but {expect_head.hex()} was expected: "
            "events were removed from the end, or this is another ledger"
        )
        return Verification(count, len(incidents), previous, problem)
    return Verification(count, len(incidents), previous)


def _check(
    seq: int, previous: bytes, stored: tuple[Any, ...] | None, chained: tuple[Any, ...] | None
) -> tuple[str | None, dict[str, Any]]:
    """The problem with the seq-th event and chain entry (None), and the event's content."""
    if stored is None:
        assert chained is not None
        return f"event #{seq} (notification {chained[1]}) is missing: it was removed", {}
    nid, event_id, version, topic, state = stored
    name = f"event #{seq} {event_id!r}"
    if chained is None:
        return f"{name} has no chain entry: it was added outside the ledger", {}
    if chained[0] != seq:
        return f"{name}: chain entry #{seq} is missing (found #{chained[0]}): rows were removed", {}
    if chained[1] != nid:
        return (
            f"{name}: the chain expects notification {chained[1]!r} here, "
            f"found {nid!r}: events were removed or reordered"
        ), {}
    if not isinstance(chained[2], bytes) or len(chained[2]) != HASH_BYTES:
        return f"{name}: its chain hash is {kind(chained[2])}, not a SHA-256: it was edited", {}
    if isinstance(state, memoryview | bytearray):
        state = bytes(state)
    if not isinstance(state, bytes):
        return (
            f"{name}: its content is stored as {kind(state)}, not as the bytes appended: "
            "it was edited outside the ledger"
        ), {}
    if link(previous, state) != chained[2]:
        return (
            f"{name}: content does not match its chain hash: the event was altered, "
            "or rows before it were removed or reordered"
        ), {}
    try:
        obj = parse(state)
    except ValueError:
        obj = None
    if not isinstance(obj, dict):  # chained so: the chain itself was recomputed over it
        return f"{name}: its content is not an event (not a JSON object)", {}
    return _columns(name, obj, event_id, version, topic)


def _columns(
    name: str, obj: dict[str, Any], event_id: object, version: object, topic: object
) -> tuple[str | None, dict[str, Any]]:
    """The stored columns beside the line must say what the (chained) line says."""
    if event_id != obj.get("id"):
        return (
            f"{name}: stored under id {event_id!r}, but the event's id is {obj.get('id')!r}: "
            "the id column was edited outside the ledger"
        ), obj
    if topic != obj.get("type"):
        return (
            f"{name}: stored with type {topic!r}, but the event is a {obj.get('type')!r}: "
            "the type column was edited outside the ledger"
        ), obj
    if version != 1:
        return (
            f"{name}: stored as version {version!r}, not 1: "
            "the version column was edited outside the ledger"
        ), obj
    return None, obj


def _incidents(obj: dict[str, Any]) -> set[str]:
    return {
        value
        for key in ("incident", "from_incident", "to_incident", "linked")
        if isinstance(value := obj.get(key), str)
    }


def require_verified(ledger: Ledger, doing: str) -> Verification:
    """The verification of a ledger about to be used as evidence (`doing`: "exported",
    "rebuilt"); IntegrityFailure naming the first bad event or row when it fails."""
    result = verify(ledger)
    if not result.ok:
        raise IntegrityFailure(
            f"the ledger fails verification: {result.problem}; nothing was {doing}: "
            "run `ledger verify` to see what is wrong"
        )
    return result
