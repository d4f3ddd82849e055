"""How each event type changes an incident's state, and the phrase that says so.

One handler per event type: `(state, event, policy) -> (new state, phrase, own)`, where `own`
says whether the event belongs in the incident's story (`IncidentState.events`). Handlers
never mutate: they build new containers for what changes and share the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from ledger import events as ev
from ledger.contacts import call_keys, subject_key
from ledger.durations import describe, parse_duration
from projections.analysis.policy import Policy
from projections.analysis.state_model import (
    COMMITTED,
    CallState,
    Classification,
    Commitment,
    FollowUp,
    GradeEntry,
    IncidentState,
    Link,
    MarkerMatch,
    MarkerRecord,
    StatusChange,
    Transfer,
    Transmission,
    UnitState,
    UnitStatus,
    evolve,
)

Outcome = tuple[IncidentState, str, bool]  # new state, phrase, whether the event is the incident's


def _call_received(state: IncidentState, event: ev.CallReceived, policy: Policy) -> Outcome:
    if event.incident != state.incident or state.call(event.call) is not None:
        return state, "", False
    ended = state.pending.get(("call", event.call))
    call = CallState(event.call, event, ended if isinstance(ended, ev.CallEnded) else None)
    matches = tuple(
        MarkerMatch(event, record)
        for key in sorted(call_keys(event, policy.country_code))
        for record in state.known_markers.get(key, {}).values()
    )
    new = evolve(state, calls=(*state.calls, call), markers=(*state.markers, *matches))
    phrase = f"{'first call' if not state.calls else 'call'} {event.call} ({event.channel})"
    for match in matches:
        record = match.record
        if record.active:
            phrase += f"; marker {record.marker} active on {record.key}"
        elif record.removed is not None:
            ago = describe(event.at - record.removed.at)
            phrase += f"; marker {record.marker} on {record.key} was removed {ago} before"
    return new, phrase, True


def _call_ended(state: IncidentState, event: ev.CallEnded, policy: Policy) -> Outcome:
    call = state.call(event.call)
    if call is None:
        return _pend(state, ("call", event.call), event)
    if call.ended is not None:
        return state, "", True
    calls = tuple(replace(c, ended=event) if c.call == event.call else c for c in state.calls)
    if event.how == "completed":
        return evolve(state, calls=calls), f"call {event.call} ended", True
    return evolve(state, calls=calls), f"call {event.call} cut off ({event.how})", True


def _graded(state: IncidentState, event: ev.IncidentGraded, policy: Policy) -> Outcome:
    if event.incident != state.incident:
        return state, "", False
    target = parse_duration(event.target) if event.target else policy.target(event.grade)
    new = evolve(state, grades=(*state.grades, GradeEntry(event.grade, event, target)))
    before = state.grade
    if before is None:
        goal = f" (target {describe(target)})" if target else ""
        return new, f"graded {event.grade}{goal}", True
    if before.grade == event.grade:
        return new, f"grade {event.grade} unchanged", True
    old, now = policy.urgency(before.grade), policy.urgency(event.grade)
    change = ""
    if old is not None and now is not None:
        change = " (downgrade)" if now > old else " (upgrade)"
    return new, f"grade {before.grade} → {event.grade}{change}", True


def _classified(state: IncidentState, event: ev.IncidentClassified, policy: Policy) -> Outcome:
    if event.incident != state.incident:
        return state, "", False
    entry = Classification(event.category, bool(event.domestic), tuple(event.flags or ()), event)
    new = evolve(state, classifications=(*state.classifications, entry))
    before = state.classification
    if before is None:
        return new, f"classified {entry.category}" + (", domestic" if entry.domestic else ""), True
    parts = []
    if before.category != entry.category:
        parts.append(f"category {before.category} → {entry.category}")
    if before.domestic != entry.domestic:
        parts.append("now domestic" if entry.domestic else "no longer domestic")
    return new, "; ".join(parts), True


_OWN_STATUS: dict[type[ev.LedgerEvent], UnitStatus] = {
    ev.UnitAllocated: "allocated",
    ev.UnitEnRoute: "en-route",
    ev.UnitArrived: "at-scene",
    ev.UnitDeallocated: "deallocated",
    ev.UnitCleared: "cleared",
}
_STATUS_PHRASE = {"en-route": "en route", "at-scene": "now at scene"}  # others as they are
_MOVES = (ev.UnitAllocated, ev.UnitEnRoute, ev.UnitArrived)


def _unit_event(state: IncidentState, event: Any, policy: Policy) -> Outcome:
    unit: str = event.unit
    if event.incident == state.incident:
        status = _OWN_STATUS[type(event)]
        new, suffix = _set_unit(state, unit, status, event)
        phrase = f"{unit} {_STATUS_PHRASE.get(status, status)}"
        if isinstance(event, ev.UnitArrived):
            new = evolve(new, arrivals=(*new.arrivals, event))
            first = state.first_call
            if not state.arrivals:
                after = f", {describe(event.at - first.at)} after the call" if first else ""
                phrase += f" (first arrival{after})"
        return new, phrase + suffix, True
    # Another incident's allocation, journey or arrival takes a unit committed here away
    # (findings.md ruling 3). It is not this incident's event: its timeline does not show it.
    if isinstance(event, _MOVES) and _committed(state, unit):
        new, _ = _set_unit(state, unit, "left-for-other-incident", event)
        return new, "", False
    return state, "", False


def _diverted(state: IncidentState, event: ev.UnitDiverted, policy: Policy) -> Outcome:
    here, unit = state.incident, event.unit
    if event.from_incident == here and event.to_incident != here:
        new, suffix = _set_unit(state, unit, "diverted-away", event)
        who = "by control" if event.initiated_by == "control" else "on its own initiative"
        return new, f"{unit} diverted to {event.to_incident} ({who}){suffix}", True
    if event.to_incident == here and event.from_incident != here:
        new, suffix = _set_unit(state, unit, "allocated", event)
        return new, f"{unit} diverted here from {event.from_incident}{suffix}", True
    if event.to_incident != here and _committed(state, unit):
        new, _ = _set_unit(state, unit, "left-for-other-incident", event)
        return new, "", False
    return state, "", False


def _committed(state: IncidentState, unit: str) -> bool:
    """Committed here, so that going elsewhere leaves us; after the closing nothing leaves."""
    current = state.units.get(unit)
    return current is not None and current.status in COMMITTED and state.status != "closed"


def _set_unit(
    state: IncidentState, unit: str, status: UnitStatus, event: ev.LedgerEvent
) -> tuple[IncidentState, str]:
    before = state.committed
    entry = UnitState(unit, status, event)
    after = before | {unit} if status in COMMITTED else before - {unit}
    changes: dict[str, object] = {
        "units": MappingProxyType({**state.units, unit: entry}),
        "unit_log": (*state.unit_log, entry),
        "committed": after,
    }
    if after == before:
        return evolve(state, **changes), ""
    new = evolve(state, commitments=(*state.commitments, Commitment(event, after)), **changes)
    if before and not after:
        return new, "; the incident now has no unit"
    return new, "; the incident has a unit again" if not before and state.commitments else ""


def _transmission(state: IncidentState, event: ev.RadioTransmission, policy: Policy) -> Outcome:
    if event.incident != state.incident or event.transmission in state.transmissions:
        return state, "", False
    ack = state.pending.get(("transmission", event.transmission))
    ack = ack if isinstance(ack, ev.RadioAcknowledged) else None
    entry = Transmission(event.transmission, event, ack)
    new = evolve(
        state, transmissions=MappingProxyType({**state.transmissions, event.transmission: entry})
    )
    waiting = " awaiting acknowledgement" if event.ack_required and entry.ack is None else ""
    return new, f"{event.from_} → {event.to}: message {event.transmission}{waiting}", True


def _acknowledged(state: IncidentState, event: ev.RadioAcknowledged, policy: Policy) -> Outcome:
    entry = state.transmissions.get(event.transmission)
    if entry is None:
        return _pend(state, ("transmission", event.transmission), event)
    if entry.ack is not None:
        return state, "", True
    acked = MappingProxyType({**state.transmissions, entry.transmission: replace(entry, ack=event)})
    return evolve(state, transmissions=acked), f"message {event.transmission} acknowledged", True


def _marker(
    state: IncidentState, event: ev.MarkerAdded | ev.MarkerRemoved, policy: Policy
) -> Outcome:
    key = subject_key(event.subject, policy.country_code)
    if not key:
        return state, "", False
    records = dict(state.known_markers.get(key, {}))
    old = records.get(event.marker)
    if isinstance(event, ev.MarkerAdded):
        records[event.marker] = MarkerRecord(key, event.marker, event, None)
    else:
        records[event.marker] = MarkerRecord(key, event.marker, old.added if old else None, event)
    known = MappingProxyType({**state.known_markers, key: MappingProxyType(records)})
    return evolve(state, known_markers=known), "", False


def _linked(state: IncidentState, event: ev.IncidentLinked, policy: Policy) -> Outcome:
    ends = (event.incident, event.linked)
    if state.incident not in ends or event.incident == event.linked:
        return state, "", False
    other = event.linked if event.incident == state.incident else event.incident
    link = Link(other, event.relation, event)
    return evolve(state, links=(*state.links, link)), f"linked to {other} ({event.relation})", True


def _transferred(state: IncidentState, event: ev.IncidentTransferred, policy: Policy) -> Outcome:
    outgoing = event.incident == state.incident
    if not outgoing and event.receiver != state.incident:
        return state, "", False
    transfer = Transfer(event, outgoing, state.grade if outgoing else None, len(state.events))
    new = evolve(state, transfers=(*state.transfers, transfer))
    other = event.receiver if outgoing else event.incident
    if other is not None:
        new = evolve(new, links=(*new.links, Link(other, "transfer", event)))
    if not outgoing:
        given = f"; graded {event.to_grade} here" if event.to_grade else ""
        return new, f"transferred here from {event.incident}{given}", True
    there = f" as {event.to_incident}" if event.to_incident else ""
    grades = [f"passed on as {event.grade}"] if event.grade else []
    grades += [f"graded {event.to_grade} there"] if event.to_grade else []
    phrase = f"handed to {event.to_agency}{there}" + "".join(f"; {g}" for g in grades)
    return new, phrase, True


def _noted(state: IncidentState, event: ev.IncidentNoted, policy: Policy) -> Outcome:
    if event.incident != state.incident:
        return state, "", False
    return evolve(state, notes=(*state.notes, event)), "", True


def _planned(state: IncidentState, event: ev.FollowUpPlanned, policy: Policy) -> Outcome:
    if event.incident != state.incident or event.plan in state.follow_ups:
        return state, "", False
    done = state.pending.get(("plan", event.plan))
    entry = FollowUp(event.plan, event, done if isinstance(done, ev.FollowUpDone) else None)
    plans = MappingProxyType({**state.follow_ups, event.plan: entry})
    due = policy.local(event.due)
    return evolve(state, follow_ups=plans), f"follow-up {event.plan} due {due}", True


def _done(state: IncidentState, event: ev.FollowUpDone, policy: Policy) -> Outcome:
    entry = state.follow_ups.get(event.plan)
    if entry is None:
        return _pend(state, ("plan", event.plan), event)
    if entry.done is not None:
        return state, "", True
    plans = MappingProxyType({**state.follow_ups, event.plan: replace(entry, done=event)})
    return evolve(state, follow_ups=plans), f"follow-up {event.plan} done", True


def _closed(
    state: IncidentState, event: ev.IncidentClosed | ev.IncidentReopened, policy: Policy
) -> Outcome:
    if event.incident != state.incident:
        return state, "", False
    change = StatusChange("closed" if isinstance(event, ev.IncidentClosed) else "reopened", event)
    new = evolve(state, status=change.status, status_log=(*state.status_log, change))
    if isinstance(event, ev.IncidentReopened):
        return new, "incident reopened", True
    # The closing releases every unit still committed (findings.md ruling 3).
    released = sorted(new.committed)
    for unit in released:
        new, _ = _set_unit(new, unit, "released-at-closing", event)
    phrase = f"incident closed ({event.outcome})"
    if released:
        phrase += f"; {', '.join(released)} released"
    return new, phrase, True


def _pend(state: IncidentState, ref: tuple[str, str], event: ev.LedgerEvent) -> Outcome:
    if ref in state.pending:
        return state, "", False
    return evolve(state, pending=MappingProxyType({**state.pending, ref: event})), "", False


HANDLERS: dict[type[ev.LedgerEvent], Callable[[IncidentState, Any, Policy], Outcome]] = {
    ev.CallReceived: _call_received,
    ev.CallEnded: _call_ended,
    ev.IncidentGraded: _graded,
    ev.IncidentClassified: _classified,
    ev.UnitAllocated: _unit_event,
    ev.UnitEnRoute: _unit_event,
    ev.UnitArrived: _unit_event,
    ev.UnitDeallocated: _unit_event,
    ev.UnitCleared: _unit_event,
    ev.UnitDiverted: _diverted,
    ev.RadioTransmission: _transmission,
    ev.RadioAcknowledged: _acknowledged,
    ev.MarkerAdded: _marker,
    ev.MarkerRemoved: _marker,
    ev.IncidentLinked: _linked,
    ev.IncidentNoted: _noted,
    ev.FollowUpPlanned: _planned,
    ev.FollowUpDone: _done,
    ev.IncidentClosed: _closed,
    ev.IncidentReopened: _closed,
    ev.IncidentTransferred: _transferred,
}
