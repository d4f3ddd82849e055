"""response-target-missed: no arrival by the call time plus the shortest target held.

The target is the shortest of any grade the incident has held (the grading's own `target`,
else the policy's for the grade); the stretch runs from that deadline to the first arrival,
or to the closing. A closing before the deadline means no finding.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.rules.base import closing_after, earliest, make
from projections.analysis.rules.context import Context
from projections.analysis.state import GradeEntry, IncidentState

CODE = "response-target-missed"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Finding]:
    call = state.first_call
    graded = [entry for entry in state.grades if entry.target is not None]
    if call is None or not graded:
        return []
    grading = min(graded, key=_target)  # the first of the shortest
    assert grading.target is not None
    deadline = call.at + grading.target
    arrival = state.first_arrival
    closing = closing_after(state, call.at)
    if arrival is not None and arrival.at <= deadline:
        return []
    if (closing is not None and closing.at <= deadline) or clock <= deadline:
        return []
    end = earliest(arrival, closing)
    graded_as = f"Graded {grading.grade} (target {describe(grading.target)})"
    took = describe((end.at if end else call.at) - call.at)
    if end is None:
        outcome = "no arrival"
    elif end is arrival:
        outcome = f"first arrival {took} after the call"
    else:
        outcome = f"closed {took} after the call with no arrival"
    evidence = (call, grading.event)
    return [
        make(
            CODE,
            state.incident,
            "high",
            deadline,
            end.at if end else None,
            evidence,
            f"{graded_as}; {outcome}",
        )
    ]


def _target(entry: GradeEntry) -> float:
    return entry.target.total_seconds() if entry.target is not None else float("inf")
