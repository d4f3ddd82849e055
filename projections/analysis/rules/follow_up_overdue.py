"""follow-up-overdue: a planned follow-up not done by its due time.

The stretch starts at `due` and ends at the `FollowUpDone`; a promise outlives its incident,
so the closing does not end it. Done exactly at `due` is on time.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "follow-up-overdue"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for plan in state.follow_ups.values():
        due, done = plan.planned.due, plan.done
        if done is not None and done.at <= due:
            continue
        if clock <= due:
            found.append(
                waiting(CODE, state.incident, due, f"follow-up {plan.plan} falls due", plan.planned)
            )
            continue
        promised = f"Follow-up {plan.plan} ({plan.planned.action}) due {policy.local(due)}"
        outcome = "not done" if done is None else f"done {describe(done.at - due)} late"
        found.append(
            make(
                CODE,
                state.incident,
                "high",
                due,
                done.at if done else None,
                (plan.planned, done),
                f"{promised}: {outcome}",
            )
        )
    return found
