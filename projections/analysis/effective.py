"""The events as the views see them: retractions removed, corrections applied, time-ordered.

The record keeps every event as appended; views and findings use the *effective* events.
Rules (stream.md, findings.md "The clock"):

- An `EventRetracted` removes its target; an `EventCorrected` merges its `changes` into its
  target (top-level fields replaced whole) and the result is validated again.
- Corrections and retractions are themselves events: a retracted correction no longer
  applies, a retracted retraction restores its target, and a corrected correction applies
  with its corrected `changes`. Corrections apply in append order.
- A correction whose result would be invalid (possible when several corrections combine, or
  when `as_known_at` leaves some out) is skipped, and the event keeps its earlier value.
- `as_known_at=T` keeps only events recorded by T (`recorded_at`, or `at` when none is given,
  of the event as recorded): later corrections and retractions are ignored.
- `at=T` keeps only events whose (corrected) `at` is no later than T. Corrections and
  retractions apply whenever they were made: `at` asks what had happened by T, as known now.
- The result omits the `EventCorrected`/`EventRetracted` events and is sorted by the instant
  of `at`, then by append position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pydantic_core
from pydantic import ValidationError

from ledger.events import EVENT_TYPES, EventCorrected, EventRetracted, LedgerEvent, dump


@dataclass(frozen=True)
class Effective:
    """One event as views see it."""

    event: LedgerEvent  # with corrections applied
    original: LedgerEvent  # as recorded
    seq: int  # append position: the index in the list given to effective_events
    corrected_by: tuple[str, ...]  # ids of the corrections applied, in append order

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def id(self) -> str:
        return self.event.id


_META = (EventCorrected, EventRetracted)


def effective_events(
    events: Sequence[LedgerEvent],
    *,
    at: datetime | None = None,
    as_known_at: datetime | None = None,
) -> list[Effective]:
    """The effective events, in (at, append) order; see the module docstring for the rules."""
    known = [
        (seq, event)
        for seq, event in enumerate(events)
        if as_known_at is None or event.known_at <= as_known_at
    ]
    resolver = _Resolver([event for _, event in known])
    result: list[Effective] = []
    for seq, event in known:
        if isinstance(event, _META) or resolver.retracted(event.id):
            continue
        current, applied = resolver.resolve(event.id)
        if at is not None and current.at > at:
            continue
        result.append(Effective(current, event, seq, applied))
    result.sort(key=lambda item: (item.event.at, item.seq))
    return result


class _Resolver:
    """Works out which events are retracted and what each one says after its corrections."""

    def __init__(self, events: Sequence[LedgerEvent]) -> None:
        self._by_id: dict[str, LedgerEvent] = {}
        self._retractions: dict[str, list[str]] = {}
        self._corrections: dict[str, list[str]] = {}
        for event in events:
            self._by_id.setdefault(event.id, event)
            if isinstance(event, EventRetracted):
                self._retractions.setdefault(event.retracts, []).append(event.id)
            elif isinstance(event, EventCorrected):
                self._corrections.setdefault(event.corrects, []).append(event.id)
        self._retracted: dict[str, bool] = {}
        self._resolved: dict[str, tuple[LedgerEvent, tuple[str, ...]]] = {}
        self._busy: set[str] = set()  # ids being worked out: breaks cycles of meta-events

    def retracted(self, event_id: str) -> bool:
        """True when some retraction of the event stands (is not itself retracted)."""
        if event_id in self._retracted:
            return self._retracted[event_id]
        if event_id in self._busy:
            return False
        self._busy.add(event_id)
        result = False
        for retraction_id in self._retractions.get(event_id, []):
            if self.retracted(retraction_id):
                continue
            retraction = self.resolve(retraction_id)[0]
            # A corrected retraction may now name another event: then it no longer counts here.
            if isinstance(retraction, EventRetracted) and retraction.retracts == event_id:
                result = True
                break
        self._busy.discard(event_id)
        self._retracted[event_id] = result
        return result

    def resolve(self, event_id: str) -> tuple[LedgerEvent, tuple[str, ...]]:
        """The event with its standing corrections applied, and the ids of those applied."""
        if event_id in self._resolved:
            return self._resolved[event_id]
        event = self._by_id[event_id]
        if event_id in self._busy:
            return event, ()
        self._busy.add(event_id)
        current, applied = event, []
        for correction_id in self._corrections.get(event_id, []):
            if self.retracted(correction_id):
                continue
            correction = self.resolve(correction_id)[0]
            if not isinstance(correction, EventCorrected) or correction.corrects != event_id:
                continue
            changed = _apply(current, correction)
            if changed is not None:
                current = changed
                applied.append(correction_id)
        self._busy.discard(event_id)
        self._resolved[event_id] = (current, tuple(applied))
        return self._resolved[event_id]


def _apply(event: LedgerEvent, correction: EventCorrected) -> LedgerEvent | None:
    """The event with the correction's changes, or None when that would not be valid."""
    merged = {**dump(event), **correction.changes}
    # Strict models take times only from JSON text, so validate the merged dict as JSON.
    try:
        changed = EVENT_TYPES[event.type].model_validate_json(pydantic_core.to_json(merged))
    except (ValidationError, ValueError):
        return None
    # The placing fields are checked when the correction is imported; check again so that a
    # corrected correction cannot move an event either.
    if any(getattr(changed, name, None) != getattr(event, name, None) for name in _PLACING):
        return None
    return changed


_PLACING = tuple(sorted(LedgerEvent.PLACING - {"id", "type"}))
