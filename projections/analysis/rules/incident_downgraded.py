"""incident-downgraded: a regrading makes the incident less urgent than the grade it held.

The stretch starts at the regrade and ends at a regrade back to at least the old urgency,
or at the closing. A correction of a grading is not a regrade (corrections change the
grading in place). Grades the policy does not know are not compared.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "incident-downgraded"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for index in range(1, len(state.grades)):
        held, new = state.grades[index - 1], state.grades[index]
        old_rank, new_rank = policy.urgency(held.grade), policy.urgency(new.grade)
        if old_rank is None or new_rank is None or new_rank <= old_rank:
            continue
        back = next(
            (
                later.event
                for later in state.grades[index + 1 :]
                if (rank := policy.urgency(later.grade)) is not None and rank <= old_rank
            ),
            None,
        )
        end = earliest(back, closing_after(state, new.at))
        summary = f"Downgraded {held.grade} → {new.grade}"
        if end is not None:
            what = f"regraded {getattr(end, 'grade', '')}" if end is back else "closed"
            summary += f"; {what} {describe(end.at - new.at)} later"
        found.append(
            make(
                CODE,
                state.incident,
                "medium",
                new.at,
                end.at if end else None,
                (new.event, held.event, end),
                summary,
            )
        )
    return found
