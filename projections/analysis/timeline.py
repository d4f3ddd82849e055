"""One incident's timeline: each event in time order, in words, with what it changed.

The same steps drive `ledger timeline`, `ledger replay` and the reports. Views can be taken
at a moment (`at`: the world up to then) or as known at a moment (`as_known_at`: only what
had been recorded by then, which is what the control room could have known).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ledger.events import EventCorrected, LedgerEvent, dump, incidents_named
from projections.analysis.describe import describe_event, when
from projections.analysis.effective import Effective, effective_events
from projections.analysis.policy import Policy
from projections.analysis.state import IncidentState, relevant_events, step


@dataclass(frozen=True)
class Correction:
    field: str
    old: Any
    new: Any
    by: str | None
    correction: str  # the EventCorrected's id
    reason: str


@dataclass(frozen=True)
class Entry:
    """One line of a timeline, and the incident's state just after it."""

    item: Effective
    what: str
    change: str
    state: IncidentState
    corrections: tuple[Correction, ...] = field(default=())

    @property
    def event(self) -> LedgerEvent:
        return self.item.event

    @property
    def at(self) -> datetime:
        return self.item.event.at

    @property
    def approximate(self) -> bool:
        return self.item.event.approximate

    def row(self) -> dict[str, str]:
        """The entry for people: when, who, what happened (with corrections), what it changed."""
        what = self.what
        for fix in self.corrections:
            who = f" by {fix.by}" if fix.by else ""
            what += f"\n  corrected{who}: {fix.field} {fix.old!r} → {fix.new!r} ({fix.reason})"
        return {
            "time": when(self.event),
            "who": self.event.by or "",
            "what happened": what,
            "what it changed": self.change,
        }

    def to_json(self) -> dict[str, Any]:
        """The event with its envelope and fields as imported, corrections applied (cli.md)."""
        body = dump(self.item.event)
        if self.item.corrected_by:
            body["corrected_by"] = list(self.item.corrected_by)
        return body


def steps(
    events: Sequence[LedgerEvent],
    incident: str,
    policy: Policy,
    *,
    at: datetime | None = None,
    as_known_at: datetime | None = None,
) -> Iterator[Entry]:
    """The incident's timeline entries, each with the state it leads to."""
    effective = effective_events(events, at=at, as_known_at=as_known_at)
    corrections = {e.id: e for e in events if isinstance(e, EventCorrected)}
    state = IncidentState(incident)
    for item in relevant_events(effective, [incident], policy)[incident]:
        state, change = step(state, item, policy)
        yield Entry(
            item, describe_event(item.event), change, state, _corrections(item, corrections)
        )


def timelines(
    effective: Sequence[Effective],
    events: Sequence[LedgerEvent],
    incidents: Sequence[str],
    policy: Policy,
) -> tuple[dict[str, list[Entry]], dict[str, IncidentState]]:
    """Many incidents' timelines and final states from one fold (as the read models keep)."""
    corrections = {e.id: e for e in events if isinstance(e, EventCorrected)}
    result: dict[str, list[Entry]] = {}
    states: dict[str, IncidentState] = {}
    for incident, items in relevant_events(effective, incidents, policy).items():
        state = IncidentState(incident)
        entries = result[incident] = []
        for item in items:
            state, change = step(state, item, policy)
            if _shown(item, incident, change):
                what = describe_event(item.event)
                entries.append(Entry(item, what, change, state, _corrections(item, corrections)))
        states[incident] = state
    return result, states


def _shown(item: Effective, incident: str, change: str) -> bool:
    """Its own events, and another incident's event only where it changed this one
    (a unit sent elsewhere has left): not every later job of every unit it once had."""
    return (
        bool(change) or incident in incidents_named(item.event) or not incidents_named(item.event)
    )


def timeline(
    events: Sequence[LedgerEvent],
    incident: str,
    policy: Policy,
    *,
    at: datetime | None = None,
    as_known_at: datetime | None = None,
) -> list[Entry]:
    return list(steps(events, incident, policy, at=at, as_known_at=as_known_at))


def _corrections(item: Effective, corrections: dict[str, EventCorrected]) -> tuple[Correction, ...]:
    """Each corrected field as old → new, with who corrected it and why."""
    found: list[Correction] = []
    before = dump(item.original)
    for correction_id in item.corrected_by:
        correction = corrections.get(correction_id)
        if correction is None:
            continue
        for name, new in correction.changes.items():
            found.append(
                Correction(
                    name, before.get(name), new, correction.by, correction.id, correction.reason
                )
            )
            before[name] = new
    return tuple(found)
