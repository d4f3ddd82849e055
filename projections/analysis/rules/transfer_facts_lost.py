"""transfer-facts-lost: words of risk to life the sending incident had are not passed on.

A `risk_terms` word (whole words, any case) in a call summary or a note of the sending
incident that comes before the transfer in its story (at, then append order) and was in the
record by then (`recorded_at`, else `at`, no later than the transfer), and not in the
transfer's `summary`. A point at the transfer; the summary names the missing words, the
evidence cites the transfer and then each call or note that held one of them.
"""

from __future__ import annotations

from datetime import datetime

from ledger.events import CallReceived, LedgerEvent
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make
from projections.analysis.rules.context import Context
from projections.analysis.rules.words import terms_in, written
from projections.analysis.state import IncidentState, Transfer

CODE = "transfer-facts-lost"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for transfer in state.transfers:
        if not transfer.outgoing:
            continue
        event = transfer.event
        passed = set(terms_in(event.summary or "", policy.risk_terms))
        missing: dict[str, None] = {}
        sources: list[LedgerEvent] = []
        for source in _known_before(state, transfer):
            held = terms_in(written(source), policy.risk_terms)
            lost = [term for term in held if term not in passed]
            if lost:
                missing.update(dict.fromkeys(lost))
                sources.append(source)
        if not missing:
            continue
        words = ", ".join(f'"{term}"' for term in policy.risk_terms if term in missing)
        where = ", ".join(dict.fromkeys(_where(source) for source in sources))
        summary = f"Handed to {event.to_agency} without {words} (in {where})"
        evidence = (event, *sources)
        found.append(make(CODE, state.incident, "high", event.at, event.at, evidence, summary))
    return found


def _known_before(state: IncidentState, transfer: Transfer) -> list[LedgerEvent]:
    """The incident's events before the transfer in its story, in the record by its time."""
    moment = transfer.event.at
    before = state.events[: transfer.position]
    return [item.event for item in before if item.event.known_at <= moment]


def _where(event: LedgerEvent) -> str:
    return f"call {event.call} summary" if isinstance(event, CallReceived) else "a note"
