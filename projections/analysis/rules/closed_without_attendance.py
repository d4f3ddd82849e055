"""closed-without-attendance: an incident whose grade needs attendance closes unattended.

The grade is the one in force at the closing; it must be in `attendance_required`. A point
at each such closing with no arrival before it. An incident never graded needs no attendance,
and one handed on to another force or control room before it closes needs none either: the
attendance became the receiver's (findings.md ruling 13).
"""

from __future__ import annotations

from datetime import datetime

from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "closed-without-attendance"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for closing in state.closings:
        in_force = [entry for entry in state.grades if entry.at <= closing.at]
        if not in_force or in_force[-1].grade not in policy.attendance_required:
            continue
        if any(arrival.at <= closing.at for arrival in state.arrivals):
            continue
        if any(t.outgoing and t.event.at <= closing.at for t in state.transfers):
            continue
        grading = in_force[-1]
        summary = f"Graded {grading.grade}; closed ({closing.outcome}) with no unit arriving"
        found.append(
            make(
                CODE,
                state.incident,
                "high",
                closing.at,
                closing.at,
                (closing, grading.event),
                summary,
            )
        )
    return found
