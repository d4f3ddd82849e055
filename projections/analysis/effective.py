"""The events as the views see them: retractions removed, corrections applied, time-ordered.

The record keeps every event as appended; views and findings use the *effective* events.
Rules (stream.md, findings.md "The clock"):

- Retractions remove, corrections change (`ledger.corrections` says exactly how: dotted
  keys, ledger order, the last to set a field wins, an invalid result skipped).
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

from ledger.corrections import META, Corrections
from ledger.events import LedgerEvent, incidents_named


@dataclass(frozen=True)
class Effective:
    """One event as views see it."""

    event: LedgerEvent  # with corrections applied
    original: LedgerEvent  # as recorded
    seq: int  # append position: the index in the list given to effective_events
    corrected_by: tuple[str, ...]  # ids of the corrections applied, in append order
    named: tuple[str, ...] = ()  # the incidents the event names (asked of every event, often)

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def id(self) -> str:
        return self.event.id


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
    if not any(isinstance(event, META) for _, event in known):  # nothing to resolve
        plain = [
            Effective(event, event, seq, (), incidents_named(event))
            for seq, event in known
            if at is None or event.at <= at
        ]
        plain.sort(key=lambda item: (item.event.at, item.seq))
        return plain
    resolver = Corrections([event for _, event in known])
    result: list[Effective] = []
    for seq, event in known:
        if isinstance(event, META) or resolver.retracted(event.id):
            continue
        current, applied = resolver.resolve(event.id)
        if at is not None and current.at > at:
            continue
        result.append(Effective(current, event, seq, applied, incidents_named(current)))
    result.sort(key=lambda item: (item.event.at, item.seq))
    return result
