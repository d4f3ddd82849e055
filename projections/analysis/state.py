"""One incident's state, folded from the effective events: the projection every view shares.

`step` applies one event and says in a short phrase what it changed for people ("grade S → E
(downgrade)", "KD21 now at scene", "…; the incident now has no unit"). `fold` picks the
events that matter to an incident by itself (its own; the end of each of its calls, the
acknowledgement of each of its messages, the completion of each of its plans; other
incidents' allocations, arrivals and diversions of its units, since a unit that goes elsewhere
has left; the markers on its callers' numbers and addresses) and steps through them.
The state's shape is in `state_model`, the handlers in `state_steps`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from ledger.contacts import call_keys, subject_key
from ledger.events import (
    CallEnded,
    CallReceived,
    FollowUpDone,
    FollowUpPlanned,
    LedgerEvent,
    MarkerAdded,
    MarkerRemoved,
    RadioAcknowledged,
    RadioTransmission,
    UnitAllocated,
    UnitArrived,
    UnitDiverted,
    UnitEnRoute,
)
from projections.analysis.effective import Effective
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
    Status,
    StatusChange,
    Transfer,
    Transmission,
    UnitState,
    UnitStatus,
    evolve,
)
from projections.analysis.state_steps import HANDLERS

__all__ = [
    "COMMITTED",
    "CallState",
    "Classification",
    "Commitment",
    "FollowUp",
    "GradeEntry",
    "IncidentState",
    "Link",
    "MarkerMatch",
    "MarkerRecord",
    "Status",
    "StatusChange",
    "Transfer",
    "Transmission",
    "UnitState",
    "UnitStatus",
    "fold",
    "fold_all",
    "relevant_events",
    "step",
]


def step(state: IncidentState, item: Effective, policy: Policy) -> tuple[IncidentState, str, bool]:
    """Apply one effective event: the new state, what it changed for people ("" if nothing),
    and whether the event is the incident's own (names it, or completes its call, message or
    plan), which its story (`IncidentState.events`) then holds."""
    handler = HANDLERS.get(type(item.event))
    if handler is None:
        return state, "", False
    new, phrase, own = handler(state, item.event, policy)
    if own:
        new = evolve(new, events=(*new.events, item))
    return new, phrase, own


def fold(effective: Sequence[Effective], incident: str, policy: Policy) -> IncidentState:
    """The incident's state after every relevant event of `effective` (in its order)."""
    return fold_all(effective, [incident], policy)[incident]


def fold_all(
    effective: Sequence[Effective], incidents: Iterable[str], policy: Policy
) -> dict[str, IncidentState]:
    """`fold` for many incidents with one pass over the events."""
    states: dict[str, IncidentState] = {}
    for incident, items in relevant_events(effective, incidents, policy).items():
        state = IncidentState(incident)
        for item in items:
            state = step(state, item, policy)[0]
        states[incident] = state
    return states


def relevant_events(
    effective: Sequence[Effective], incidents: Iterable[str], policy: Policy
) -> dict[str, list[Effective]]:
    """For each incident, the events its state depends on, in the order of `effective`."""
    own: dict[str, list[int]] = {name: [] for name in incidents}
    by_ref: dict[tuple[str, str], list[int]] = {}  # ("call", id) etc.: what completes what
    by_unit: dict[str, list[int]] = {}  # allocations, arrivals, diversions of each unit
    by_key: dict[str, list[int]] = {}  # marker events by subject key
    for index, item in enumerate(effective):
        event = item.event
        for name in item.named:
            if name in own:
                own[name].append(index)
        for ref in _completes(event):
            by_ref.setdefault(ref, []).append(index)
        if isinstance(event, UnitAllocated | UnitEnRoute | UnitArrived | UnitDiverted):
            by_unit.setdefault(event.unit, []).append(index)
        if isinstance(event, MarkerAdded | MarkerRemoved):
            key = subject_key(event.subject, policy.country_code)
            by_key.setdefault(key, []).append(index)
    result: dict[str, list[Effective]] = {}
    for name, indexes in own.items():
        chosen = set(indexes)
        spans: dict[str, tuple[int, int]] = {}  # unit: its first and last event here
        keys: set[str] = set()
        for index in indexes:
            event = effective[index].event
            for ref in _refs(event):
                chosen.update(by_ref.get(ref, ()))
            unit = getattr(event, "unit", None)
            if isinstance(unit, str):
                spans[unit] = (spans.get(unit, (index, index))[0], index)
            if isinstance(event, CallReceived):
                keys.update(call_keys(event, policy.country_code))
        for unit, (first, last) in spans.items():
            # A unit leaves us only while committed here: its moves elsewhere from its first
            # event here up to the first move after its last one; not its whole career.
            moves = by_unit.get(unit, [])
            chosen.update(moves[bisect_left(moves, first) : bisect_right(moves, last) + 1])
        for key in keys:
            # Every marker on a subject one of its calls matches (ruling 10): a call matches
            # markers as they stand at it, and the timeline shows them all.
            chosen.update(by_key.get(key, ()))
        result[name] = [effective[index] for index in sorted(chosen)]
    return result


def _completes(event: LedgerEvent) -> tuple[tuple[str, str], ...]:
    if isinstance(event, CallEnded):
        return (("call", event.call),)
    if isinstance(event, RadioAcknowledged):
        return (("transmission", event.transmission),)
    if isinstance(event, FollowUpDone):
        return (("plan", event.plan),)
    return ()


def _refs(event: LedgerEvent) -> tuple[tuple[str, str], ...]:
    if isinstance(event, CallReceived):
        return (("call", event.call),)
    if isinstance(event, RadioTransmission):
        return (("transmission", event.transmission),)
    if isinstance(event, FollowUpPlanned):
        return (("plan", event.plan),)
    return ()
