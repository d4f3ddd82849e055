"""marker-call-graded-below-policy: a marked caller's incident graded below the marker's minimum.

A call matches a subject with a marker active at the call that has a `marker_min_grade`,
and the incident's grade (in force at the call, or given after it) is less urgent than that
minimum. The stretch starts at the first such grading (or at the call, when the grading came
first) and ends at a grading at or above the minimum, or at the closing. One finding per
incident and marker name, at its first matching call.
"""

from __future__ import annotations

from datetime import datetime

from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make
from projections.analysis.rules.context import Context
from projections.analysis.state import GradeEntry, IncidentState, MarkerMatch

CODE = "marker-call-graded-below-policy"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    seen: set[str] = set()
    for match in state.markers:
        marker = match.record.marker
        if not match.record.active or marker not in policy.marker_min_grade or marker in seen:
            continue
        seen.add(marker)
        finding = _check(match, state, policy)
        if finding is not None:
            found.append(finding)
    return found


def _check(match: MarkerMatch, state: IncidentState, policy: Policy) -> Finding | None:
    call, marker = match.call, match.record.marker
    minimum = policy.marker_min_grade[marker]
    floor = policy.urgency(minimum)
    assert floor is not None  # the policy loader checks marker_min_grade names a grade
    before = [g for g in state.grades if g.at <= call.at]
    gradings = [*before[-1:], *(g for g in state.grades if g.at > call.at)]
    for index, grading in enumerate(gradings):
        if not _below(grading, floor, policy):
            continue
        start = max(grading.at, call.at)
        back = next((g.event for g in gradings[index + 1 :] if _at_least(g, floor, policy)), None)
        end = earliest(back, closing_after(state, start))
        summary = (
            f"Call {call.call} matches {match.record.key} with active marker {marker} "
            f"(minimum grade {minimum}); graded {grading.grade}"
        )
        if end is not None:
            summary += f"; {'regraded ' + getattr(end, 'grade', '') if end is back else 'closed'}"
        evidence = (call, match.record.added, grading.event, end)
        return make(CODE, state.incident, "high", start, end.at if end else None, evidence, summary)
    return None


def _below(grading: GradeEntry, floor: int, policy: Policy) -> bool:
    rank = policy.urgency(grading.grade)
    return rank is not None and rank > floor


def _at_least(grading: GradeEntry, floor: int, policy: Policy) -> bool:
    rank = policy.urgency(grading.grade)
    return rank is not None and rank <= floor
