"""Checking the reference index against the events: every reference an event should be filed
under, and none it should not.

The index decides what a look-up finds: an incident whose rows were removed would show only
some of its events, and `ledger rebuild` would cache that. The expected rows are recomputed as
the import files them (`ledger.index.refs_of`, and for a correction or retraction its fact's
versions, `ledger.write.meta.filed_refs`), and compared with the stored ones event by event,
both streamed in notification order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from itertools import groupby
from typing import Any

from ledger.store.backend import Backend
from ledger.store.verify_rows import event_rows, index_rows

Filed = set[tuple[Any, Any]]  # (reference, instant) as stored


def check_index(backend: Backend, cursor: Any) -> tuple[int, str | None]:
    """(index rows that match their events, the first problem or None). The events have
    verified against the chain already."""
    with closing(index_rows(cursor)) as rows, closing(event_rows(cursor)) as events:
        return _merge(backend, _grouped(rows), events)


def _merge(
    backend: Backend, groups: Iterator[tuple[Any, Filed]], events: Iterator[tuple[Any, ...]]
) -> tuple[int, str | None]:
    pending = next(groups, None)
    matched = 0
    for seq, (nid, event_id, _, topic, state) in enumerate(events, start=1):
        name = f"event #{seq} {event_id!r}"
        if pending is not None and _before(pending[0], nid):
            return matched, _orphan(pending)
        filed: Filed = set()
        if pending is not None and pending[0] == nid:
            filed, pending = pending[1], next(groups, None)
        try:
            expected = _expected(backend, nid, event_id, topic, bytes(state))
        except Exception as error:  # an event no version of the ledger could have filed
            return matched, f"{name} cannot be read to check its index rows: {error}"
        problem = _difference(name, expected, filed)
        if problem is not None:
            return matched, problem
        matched += len(filed)
    return matched, None if pending is None else _orphan(pending)


def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, Filed]]:
    for nid, group in groupby(rows, key=lambda row: row[0]):
        yield nid, {(row[1], row[2]) for row in group}


def _before(found: object, nid: int) -> bool:
    """True for index rows that sort before the event: they name no event."""
    return not isinstance(found, int) or found < nid


def _orphan(group: tuple[Any, Filed]) -> str:
    ref, at = sorted(group[1], key=repr)[0]
    return (
        f"index row ({ref!r}, {at!r}) names notification {group[0]!r}, which is no event: "
        "it was added outside the ledger, or its event was removed"
    )


def _expected(backend: Backend, nid: int, event_id: str, topic: str, line: bytes) -> Filed:
    from ledger.events import EVENT_TYPES
    from ledger.index import refs_of
    from ledger.write.meta import filed_refs

    event = EVENT_TYPES[topic].model_validate_json(line)
    if topic in ("EventCorrected", "EventRetracted"):
        found = filed_refs(backend, event_id, nid)
        if found is not None:
            return set(found[0]) | set(found[1])
    return set(refs_of(event))


def _difference(name: str, expected: Filed, filed: Filed) -> str | None:
    for rows, problem in (
        (expected - filed, "is not filed under {} (at {}) in the index: index rows were removed "
         "outside the ledger, so look-ups (and read models rebuilt from them) would miss it"),
        (filed - expected, "is filed under {} (at {}) in the index, which it does not name: "
         "index rows were added or edited outside the ledger"),
    ):  # fmt: skip
        if rows:
            ref, at = sorted(rows, key=repr)[0]
            return f"{name} " + problem.format(repr(ref), repr(at))
    return None
