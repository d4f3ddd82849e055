"""Filing a correction or retraction under the references of the event it changes.

Once an import has appended its events, each correction and retraction (in append order) is
also filed under the references of the fact it changes, as that fact reads just before it and
just after it (`ledger.index.meta_refs`). A look-up by a corrected phone number then finds the
correction (and through it the call), and whatever depended on the old value finds it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ledger.corrections import META, Corrections
from ledger.events import EVENT_TYPES, EventCorrected, EventRetracted, LedgerEvent
from ledger.index import Ref, meta_refs, refs_of
from ledger.store.backend import StoredLine, WriteSession


class Lines(Protocol):
    """What reading a meta-event's family needs: a write session, or a backend."""

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]: ...

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]: ...


MAX_DEPTH = 50  # retractions of retractions of …: deeper chains are not followed further


def file_meta_events(session: WriteSession, appended: Sequence[tuple[str, int]]) -> None:
    """File each appended (event id, notification id) meta-event under its fact's versions."""
    rows: list[tuple[str, int, int]] = []
    for event_id, nid in appended:
        found = filed_refs(session, event_id, nid)
        if found is not None:
            own = set(found[0])
            rows += [(ref, at, nid) for ref, at in found[1] if (ref, at) not in own]
    if rows:
        session.add_refs(rows)


def filed_refs(
    lines: Lines, event_id: str, nid: int
) -> tuple[tuple[Ref, ...], tuple[Ref, ...]] | None:
    """A meta-event's own references and all it is filed under (its fact's versions just
    before and just after it); None when it names no recorded fact."""
    family = _family(lines, event_id)
    meta = family.get(event_id)
    if meta is None:
        return None
    fact = _fact(meta[1], family)
    if fact is None:
        return None
    members = sorted(family.values(), key=lambda item: item[0])
    before = Corrections([event for n, event in members if n < nid or n == fact[0]])
    after = Corrections([event for n, event in members if n <= nid or n == fact[0]])
    versions = (before.effective(fact[1].id), after.effective(fact[1].id))
    return refs_of(meta[1]), meta_refs(meta[1], versions)


def _family(session: Lines, event_id: str) -> dict[str, tuple[int, LedgerEvent]]:
    """The meta-event, the fact at the end of its chain of targets, and every correction or
    retraction of any of them: by id, with notification ids."""
    found: dict[str, tuple[int, LedgerEvent]] = {}
    frontier = [_decode(line) for line in session.by_ids([event_id])]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        targets: list[str] = []
        for nid, event in frontier:
            found.setdefault(event.id, (nid, event))
            if isinstance(event, EventCorrected):
                targets.append(event.corrects)
            elif isinstance(event, EventRetracted):
                targets.append(event.retracts)
        lines = session.by_ids([t for t in targets if t not in found])
        lines += session.by_refs([f"e:{event_id}" for event_id in list(found)])
        frontier = [item for item in map(_decode, lines) if item[1].id not in found]
    return found


def _fact(
    meta: LedgerEvent, family: dict[str, tuple[int, LedgerEvent]]
) -> tuple[int, LedgerEvent] | None:
    current: LedgerEvent | None = meta
    for _ in range(MAX_DEPTH):
        if current is None or not isinstance(current, META):
            break
        target = current.corrects if isinstance(current, EventCorrected) else current.retracts
        entry = family.get(target)
        current = entry[1] if entry else None
    if current is None or isinstance(current, META):
        return None
    return family[current.id]


def _decode(line: StoredLine) -> tuple[int, LedgerEvent]:
    return line.notification_id, EVENT_TYPES[line.type].model_validate_json(line.line)
