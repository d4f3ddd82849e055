"""Which events an incident's state depends on: its own, and the few others that touch it.

A state needs more than the events that name its incident: the end of each of its calls,
the acknowledgement of each of its messages, the completion of each of its plans, other
incidents' allocations, arrivals and diversions of its units (a unit that goes elsewhere has
left), and the markers on its callers' numbers and addresses. One pass indexes them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    incidents_named,
)
from projections.effective import Effective
from projections.matching import call_keys, subject_key
from projections.policy import Policy


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
        for name in incidents_named(event):
            if name in own:
                own[name].append(index)
        for ref in _completes(event):
            by_ref.setdefault(ref, []).append(index)
        if isinstance(event, UnitAllocated | UnitArrived | UnitDiverted):
            by_unit.setdefault(event.unit, []).append(index)
        if isinstance(event, MarkerAdded | MarkerRemoved):
            key = subject_key(event.subject, policy.country_code)
            by_key.setdefault(key, []).append(index)
    result: dict[str, list[Effective]] = {}
    for name, indexes in own.items():
        chosen = set(indexes)
        for index in indexes:
            event = effective[index].event
            for ref in _refs(event):
                chosen.update(by_ref.get(ref, ()))
            unit = getattr(event, "unit", None)
            if isinstance(unit, str):
                chosen.update(by_unit.get(unit, ()))
            if isinstance(event, CallReceived):
                for key in call_keys(event, policy.country_code):
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
