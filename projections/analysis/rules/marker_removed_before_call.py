"""marker-removed-before-call: a call matches a subject whose marker was recently removed.

A removal within `marker_lookback` before the call (the lookback includes its last instant)
of a marker still off at the call. One finding per incident and removal, at the first call
that matches it; the stretch runs from the removal to that call.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "marker-removed-before-call"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    seen: set[str] = set()
    for match in state.markers:
        removal, call = match.record.removed, match.call
        if removal is None or removal.id in seen:
            continue
        gap = call.at - removal.at
        if gap.total_seconds() < 0 or gap > policy.marker_lookback:
            continue
        seen.add(removal.id)
        summary = (
            f"Call {call.call} matches {match.record.key}, whose marker "
            f"{match.record.marker} was removed {describe(gap)} before the call"
        )
        found.append(
            make(CODE, state.incident, "medium", removal.at, call.at, (call, removal), summary)
        )
    return found
