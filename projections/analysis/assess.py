"""States and findings together, from one fold: what the read models store per incident."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.events import LedgerEvent, incidents_named
from projections.analysis.effective import Effective, effective_events
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.state import IncidentState, fold_all


@dataclass(frozen=True)
class Assessment:
    events: Sequence[LedgerEvent]
    effective: Sequence[Effective]
    states: dict[str, IncidentState]
    findings: list[Finding]


def assess(
    events: Sequence[LedgerEvent],
    policy: Policy,
    clock: datetime,
    *,
    incidents: Collection[str] | None,
) -> Assessment:
    """Fold the incidents and run every rule at `clock` (later events have not happened)."""
    effective = effective_events(events, at=clock)
    existing = dict.fromkeys(name for item in effective for name in incidents_named(item.event))
    chosen = list(existing) if incidents is None else [i for i in incidents if i in existing]
    states = fold_all(effective, chosen, policy)
    found = judge(effective, states, policy, clock, unplaced=incidents is None)
    return Assessment(events, effective, states, found)


def judge(
    effective: Sequence[Effective],
    states: dict[str, IncidentState],
    policy: Policy,
    clock: datetime,
    *,
    unplaced: bool,
) -> list[Finding]:
    """Every rule over the folded states (and, with `unplaced`, the findings of no incident)."""
    from projections.analysis.rules import RULES
    from projections.analysis.rules.context import build_context

    context = build_context(effective, states, policy)
    found: list[Finding] = []
    for rule in RULES:
        for state in states.values():
            found.extend(rule.find(state, context, policy, clock))
        if unplaced and rule.find_unplaced is not None:
            found.extend(rule.find_unplaced(context, policy, clock))
    return sorted(found, key=Finding.sort_key)
