"""possible-domestic-not-flagged: words of a domestic relationship, no domestic classification.

A call's summary or an incident note contains a `domestic_terms` word (whole words, any
case), and the incident is not classified `domestic: true` at any moment within
`triage_grace` after it. One finding per incident, at the first such call or note; it ends
at a later domestic classification, or at the closing (a closing within the grace counts as
the classification not made).
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import CallReceived
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.rules.words import terms_pattern, written
from projections.analysis.state import IncidentState

CODE = "possible-domestic-not-flagged"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    pattern = terms_pattern(policy.domestic_terms)
    if pattern is None:
        return []
    for item in state.events:
        text = written(item.event)
        word = pattern.search(text) if text else None
        if word is None:
            continue
        trigger = item.event
        deadline = later(trigger.at, policy.triage_grace)
        if _domestic_within(state, trigger.at, deadline):
            continue
        closing = closing_after(state, trigger.at)
        closed_in_window = closing is not None and closing.at <= deadline
        if not closed_in_window and clock <= deadline:
            # Still within the grace: the first unflagged mention decides.
            return [
                waiting(CODE, state.incident, deadline, "grace to flag it domestic ends", trigger)
            ]
        flagged = next(
            (c.event for c in state.classifications if c.domestic and c.event.at > deadline),
            None,
        )
        end = earliest(flagged, closing)
        where = f"Call {trigger.call} summary" if isinstance(trigger, CallReceived) else "A note"
        took = describe((end.at if end else trigger.at) - trigger.at)
        if end is None:
            outcome = f"not classified domestic within {describe(policy.triage_grace)}"
        elif end is flagged:
            outcome = f"classified domestic {took} later"
        else:
            outcome = f"closed {took} later without a domestic classification"
        summary = f'{where} mentions "{word.group(0)}"; {outcome}'
        return [
            make(
                CODE,
                state.incident,
                "medium",
                trigger.at,
                end.at if end else None,
                (trigger, end),
                summary,
            )
        ]
    return []


def _domestic_within(state: IncidentState, start: datetime, deadline: datetime) -> bool:
    """True when the incident is classified domestic at some moment from `start` to `deadline`."""
    in_force = [c for c in state.classifications if c.event.at <= start]
    if in_force and in_force[-1].domestic:
        return True
    return any(c.domestic and start < c.event.at <= deadline for c in state.classifications)
