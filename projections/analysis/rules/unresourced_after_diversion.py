"""unresourced-after-diversion: an open incident loses its last unit and gets none back.

Opens when the last committed unit leaves by a diversion, a deallocation, or being allocated
to, en route to or arriving at another incident (a unit that clears has finished, and the
closing releases every unit: neither is a loss), and no unit is committed again within
`reallocation_grace`. The stretch starts when the unit left and ends when a unit is committed
again or the incident closes; a closing within the grace means no finding.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import (
    IncidentClosed,
    LedgerEvent,
    UnitAllocated,
    UnitCleared,
    UnitDeallocated,
    UnitDiverted,
)
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import (
    Outcome,
    closed_before,
    closing_after,
    earliest,
    make,
    waiting,
)
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "unresourced-after-diversion"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    before: frozenset[str] = frozenset()
    for index, change in enumerate(state.commitments):
        lost = bool(before) and not change.units
        before = change.units
        cause = change.event
        if not lost or isinstance(cause, UnitCleared | IncidentClosed):
            continue
        if closed_before(state, cause.at):
            continue
        deadline = later(cause.at, policy.reallocation_grace)
        back = next((c.event for c in state.commitments[index + 1 :] if c.units), None)
        closing = closing_after(state, cause.at)
        if any(e is not None and e.at <= deadline for e in (back, closing)):
            continue  # resourced again, or closed, within the grace
        if clock <= deadline:
            found.append(waiting(CODE, state.incident, deadline, "reallocation grace ends", cause))
            continue
        end = earliest(back, closing)
        took = describe((end.at if end else cause.at) - cause.at)
        if end is None:
            outcome = "no unit committed since"
        elif end is back:
            outcome = f"no unit committed for {took}"
        else:
            outcome = f"closed {took} later with no unit committed"
        found.append(
            make(
                CODE,
                state.incident,
                "high",
                cause.at,
                end.at if end else None,
                (cause, _committed_by(state, cause), end),
                f"{_left(cause)}; {outcome}",
            )
        )
    return found


def _committed_by(state: IncidentState, cause: LedgerEvent) -> LedgerEvent | None:
    """The leaving unit's allocation to this incident (else what first committed it here)."""
    unit = getattr(cause, "unit", None)
    earlier: list[LedgerEvent] = []
    for entry in state.unit_log:
        if entry.event is cause:
            break
        if entry.unit == unit and entry.committed:
            earlier.append(entry.event)
    allocations = [event for event in earlier if isinstance(event, UnitAllocated)]
    return allocations[-1] if allocations else next(iter(earlier), None)


def _left(event: LedgerEvent) -> str:
    unit = getattr(event, "unit", "a unit")
    if isinstance(event, UnitDiverted):
        return f"Last unit {unit} diverted to {event.to_incident}"
    if isinstance(event, UnitDeallocated):
        return f"Last unit {unit} deallocated"
    elsewhere = getattr(event, "incident", "another incident")
    return f"Last unit {unit} went to {elsewhere}"
