"""An incident's timeline: its events in time order, in words, with what each changed.

What a timeline holds (findings.md ruling 10), however it is asked: the events that name the
incident (a diversion or a link naming it from the other side too), the events that complete
its calls, messages and plans, and the markers whose subject matches one of its calls. Never
another incident's allocation of a unit that once served it: that changes the incident's
state (the unit has left) but is not its event. The same entries drive `ledger timeline`,
`ledger replay` and the reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from ledger.corrections import apply_changes
from ledger.events import EventCorrected, LedgerEvent, MarkerAdded, MarkerRemoved, dump
from projections.analysis.describe import describe_event, when
from projections.analysis.effective import Effective
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
    line: bytes | None = None  # the event as imported, when known

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
        """The event with its envelope and fields as imported (an offset written `+00:00` stays
        so), corrected values applied and the corrections listed (cli.md)."""
        if self.line is not None:
            body: dict[str, Any] = orjson.loads(self.line)
            for fix in self.corrections:
                body = apply_changes(body, {fix.field: fix.new})
        else:
            body = dump(self.item.event)
        if self.item.corrected_by:
            body["corrected_by"] = list(self.item.corrected_by)
        return body


def timelines(
    effective: Sequence[Effective],
    recorded: Sequence[LedgerEvent],
    incidents: Sequence[str],
    policy: Policy,
    lines: Mapping[str, bytes] | None = None,
) -> tuple[dict[str, list[Entry]], dict[str, IncidentState]]:
    """Each incident's timeline and final state, from one fold over `effective`.

    `recorded` are the events as recorded (corrections among them, to show what each
    changed); `lines` the stored line of each event by id, to give it back as imported.
    """
    corrections = {e.id: e for e in recorded if isinstance(e, EventCorrected)}
    result: dict[str, list[Entry]] = {}
    states: dict[str, IncidentState] = {}
    for incident, items in relevant_events(effective, incidents, policy).items():
        state = IncidentState(incident)
        entries = result[incident] = []
        for item in items:
            state, change, own = step(state, item, policy)
            if own or isinstance(item.event, MarkerAdded | MarkerRemoved):
                entries.append(
                    Entry(
                        item,
                        describe_event(item.event),
                        change,
                        state,
                        _corrections(item, corrections),
                        (lines or {}).get(item.event.id),
                    )
                )
        states[incident] = state
    return result, states


def _corrections(item: Effective, corrections: dict[str, EventCorrected]) -> tuple[Correction, ...]:
    """Each corrected field as old → new, with who corrected it and why."""
    if not item.corrected_by:
        return ()
    found: list[Correction] = []
    before = dump(item.original)
    for correction_id in item.corrected_by:
        correction = corrections.get(correction_id)
        if correction is None:
            continue
        for name, new in correction.changes.items():
            old = _get(before, name)
            found.append(
                Correction(name, old, new, correction.by, correction.id, correction.reason)
            )
            before = apply_changes(before, {name: new})
    return tuple(found)


def _get(obj: Mapping[str, Any], dotted: str) -> Any:
    current: Any = obj
    for part in dotted.split("."):
        current = current.get(part) if isinstance(current, Mapping) else None
    return current
