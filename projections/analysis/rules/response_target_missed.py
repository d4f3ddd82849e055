"""response-target-missed: no arrival by a grade's deadline.

Every grade the incident held that was given at or before its first arrival counts (every
grade while no unit has arrived): its deadline is the later of the first call plus that
grade's target (the grading's own `target`, else the policy's) and the moment the grade was
given, since a grade cannot be missed before it exists. The earliest such deadline passing
with no arrival is the finding: the stretch runs from that deadline to the first arrival, or
to the closing; a closing before the deadline means no finding. An incident handed over from
another one in the ledger counts from the earlier of its own first call and the sender's
(findings.md ruling 13): the caller has been waiting since then. Handing an incident on ends
its own wait as a closing does (ruling 13: attendance became the receiver's), whether or not
the sender closes it.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import CallReceived, IncidentTransferred
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.state import GradeEntry, IncidentState

CODE = "response-target-missed"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    call = first_call(state, ctx)
    arrival = state.first_arrival
    counted = [
        entry
        for entry in state.grades
        if entry.target is not None and (arrival is None or entry.at <= arrival.at)
    ]
    if call is None or not counted:
        return []
    deadline, grading = min((_deadline(call.at, entry), n) for n, entry in enumerate(counted))
    grading_entry = counted[grading]
    assert grading_entry.target is not None
    closing = earliest(closing_after(state, call.at), _handed_on(state, call.at))
    if arrival is not None and arrival.at <= deadline:
        return []
    if closing is not None and closing.at <= deadline:
        return []
    if clock <= deadline:
        return [waiting(CODE, state.incident, deadline, "response target passes", call)]
    end = earliest(arrival, closing)
    graded_as = f"Graded {grading_entry.grade} (target {describe(grading_entry.target)})"
    if grading_entry.at > later(call.at, grading_entry.target):
        graded_as += f", given {describe(grading_entry.at - call.at)} after the call"
    took = describe((end.at if end else call.at) - call.at)
    the_call = "the call" if call.incident == state.incident else f"the call to {call.incident}"
    if end is None:
        outcome = "no arrival"
    elif end is arrival:
        outcome = f"first arrival {took} after {the_call}"
    elif isinstance(end, IncidentTransferred):
        outcome = f"handed to {end.to_agency} {took} after {the_call} with no arrival"
    else:
        outcome = f"closed {took} after {the_call} with no arrival"
    return [
        make(
            CODE,
            state.incident,
            "high",
            deadline,
            end.at if end else None,
            (call, grading_entry.event, end),
            f"{graded_as}; {outcome}",
        )
    ]


def _handed_on(state: IncidentState, moment: datetime) -> IncidentTransferred | None:
    """The incident's first hand-over to another force at or after `moment`."""
    handed = [t.event for t in state.transfers if t.outgoing and t.event.at >= moment]
    return min(handed, key=lambda event: event.at, default=None)


def first_call(state: IncidentState, ctx: Context) -> CallReceived | None:
    """The incident's first call, or that of an incident that handed it over, if earlier."""
    senders = [t.event.incident for t in state.transfers if not t.outgoing]
    theirs = [ctx.calls_of[sender][0].event for sender in senders if ctx.calls_of.get(sender)]
    found = earliest(state.first_call, *theirs)
    assert found is None or isinstance(found, CallReceived)
    return found


def _deadline(call_at: datetime, entry: GradeEntry) -> datetime:
    assert entry.target is not None
    return max(later(call_at, entry.target), entry.at)
