"""diversion-unknown-to-control: a unit leaves on its own initiative and control is not told.

Leaving on its own initiative: a `UnitDiverted` with `initiated_by: unit`, or the unit being
allocated to, en route to or arriving at another incident with no diversion or deallocation
recorded. A diversion by control is known to control (findings.md ruling 4): never a finding,
on the incident it leaves nor on any other.
Control was told when the `via` message, or any message from that unit sent within
`ack_timeout` before or after the leaving, was acknowledged within `ack_timeout` of being
sent. That is settled once the last such message could no longer be sent or acknowledged:
the finding exists from then on. The stretch starts when the unit left and ends at a later
control action on the incident (a deallocation, a diversion by control, an allocation) or
at its closing; a closing before it is settled means no finding.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import (
    LedgerEvent,
    UnitAllocated,
    UnitArrived,
    UnitDeallocated,
    UnitDiverted,
    UnitEnRoute,
)
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import (
    Outcome,
    closing_after,
    earliest,
    later_in_story,
    make,
    waiting,
)
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState, UnitState

CODE = "diversion-unknown-to-control"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for entry in state.unit_log:
        if _own_initiative(entry) and not _recorded_as_well(entry, state):
            finding = _check(entry, state, ctx, policy, clock)
            if finding is not None:
                found.append(finding)
    return found


def _own_initiative(entry: UnitState) -> bool:
    event = entry.event
    if entry.status == "diverted-away":
        return isinstance(event, UnitDiverted) and event.initiated_by == "unit"
    return entry.status == "left-for-other-incident" and isinstance(
        event, UnitAllocated | UnitEnRoute | UnitArrived
    )


def _recorded_as_well(entry: UnitState, state: IncidentState) -> bool:
    """A unit turning up elsewhere whose deallocation or diversion from here was recorded for
    the same instant (the two lines can come in either order): not its own initiative."""
    if isinstance(entry.event, UnitDiverted):
        return False
    return any(
        other.unit == entry.unit
        and other.event.at == entry.event.at
        and other.status in ("deallocated", "diverted-away")
        for other in state.unit_log
    )


def _check(
    entry: UnitState, state: IncidentState, ctx: Context, policy: Policy, clock: datetime
) -> Outcome | None:
    left, timeout = entry.event, policy.ack_timeout
    via_id = left.via if isinstance(left, UnitDiverted) else None
    via = ctx.transmissions.get(via_id) if via_id else None
    nearby = [t for t in ctx.sent_by.get(entry.unit, ()) if abs(t.at - left.at) <= timeout]
    by_id = {m.transmission: m for m in [*([via] if via else []), *nearby]}
    messages = list(by_id.values())  # the via message first, then the others in time order
    if any(ctx.acknowledged_within(message, timeout) for message in messages):
        return None
    settled = max([later(left.at, timeout), *(later(m.at, timeout) for m in messages)])
    closing = closing_after(state, left.at)
    if closing is not None and closing.at <= settled:
        return None
    if clock <= settled:
        return waiting(CODE, state.incident, settled, "window to tell control ends", left)
    action = next((e for e in later_in_story(state, left) if _control_action(e, state)), None)
    end = earliest(action, closing)
    where = _where(left)
    told = f"{len(messages)} message(s), none acknowledged" if messages else "no message"
    summary = f"{entry.unit} left for {where} on its own initiative; control not told ({told})"
    if end is not None:
        summary += f"; control acted {describe(end.at - left.at)} later"
    return make(
        CODE,
        state.incident,
        "high",
        left.at,
        end.at if end else None,
        (left, *messages, end),
        summary,
    )


def _control_action(event: LedgerEvent, state: IncidentState) -> bool:
    if isinstance(event, UnitDeallocated | UnitAllocated):
        return event.incident == state.incident
    return (
        isinstance(event, UnitDiverted)
        and event.initiated_by == "control"
        and state.incident in (event.from_incident, event.to_incident)
    )


def _where(event: LedgerEvent) -> str:
    if isinstance(event, UnitDiverted):
        return event.to_incident
    return str(getattr(event, "incident", "another incident"))
