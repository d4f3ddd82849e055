"""The one pipeline: a group of owners' timelines and findings, from their events, for a view.

Every answer the ledger gives goes through `analyse`: the stored read models are a cache of it
at the ledger's own clock under the built-in policy; `--at`, `--as-known-at` and `--policy`
call it directly; one incident or all, through one command or an export (findings.md
ruling 1). Its input is the events the owners' views rest on (`projections.gather` reads
them through the index), in append order; its output depends on nothing else.

An owner is an incident, or a *loose* event: one that belongs to no incident (a call's end
whose call is not in the ledger, a message about no incident, a marker or a correction of
one). A loose owner's findings are the findings of no incident it triggers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ledger.corrections import META
from ledger.events import LedgerEvent, incidents_named
from projections.analysis.effective import effective_events
from projections.analysis.findings import Finding, Pending
from projections.analysis.rules.base import Outcome
from projections.analysis.state import IncidentState
from projections.analysis.timeline import Entry, timelines
from projections.analysis.view import View


@dataclass(frozen=True)
class IncidentView:
    incident: str
    state: IncidentState
    timeline: list[Entry]
    findings: list[Finding]
    pending: list[Pending]


@dataclass
class Analysis:
    clock: datetime
    incidents: dict[str, IncidentView] = field(default_factory=dict)  # those in view
    loose: dict[str, list[Finding]] = field(default_factory=dict)  # loose owners still loose
    loose_pending: dict[str, list[Pending]] = field(default_factory=dict)
    # Events naming no incident that belong to one here (a call's end, …): id -> incident.
    placed: dict[str, str] = field(default_factory=dict)

    def findings(self) -> list[Finding]:
        """Every finding of the group, in findings.md order."""
        found = [f for view in self.incidents.values() for f in view.findings]
        found += [f for listed in self.loose.values() for f in listed]
        return sorted(found, key=Finding.sort_key)

    def pending(self) -> list[Pending]:
        waiting = [p for view in self.incidents.values() for p in view.pending]
        waiting += [p for listed in self.loose_pending.values() for p in listed]
        return sorted(waiting, key=lambda p: (p.deadline, p.incident or "", p.code))


def analyse(
    events: Sequence[LedgerEvent],
    *,
    incidents: Collection[str],
    loose: Collection[str] = (),
    view: View,
    clock: datetime,
    lines: Mapping[str, bytes] | None = None,
) -> Analysis:
    """The timelines, findings and running deadlines of the owners at `clock`.

    `events` (append order) must hold everything the owners' views rest on; events of other
    owners among them are context. `lines` are the stored lines by id (to show events as
    imported). `clock` is `view.clock(ledger clock)`.
    """
    from projections.analysis.rules import RULES
    from projections.analysis.rules.context import build_context

    policy = view.policy
    recorded = [e for e in events if view.as_known_at is None or e.known_at <= view.as_known_at]
    effective = effective_events(events, at=view.at, as_known_at=view.as_known_at)
    named = {name for item in effective for name in item.named}
    present = [incident for incident in dict.fromkeys(incidents) if incident in named]
    entries, states = timelines(effective, recorded, present, policy, lines)
    metas = [e for e in recorded if isinstance(e, META) and (view.at is None or e.at <= view.at)]
    context = build_context(effective, states, policy, metas, {e.id: e for e in recorded})
    result = Analysis(clock)
    for incident in present:
        state = states[incident]
        found, waiting = _split(
            [o for rule in RULES for o in rule.find(state, context, policy, clock)]
        )
        result.incidents[incident] = IncidentView(
            incident, state, entries[incident], found, waiting
        )
    for incident in present:
        homed = [item.event for item in context.by_home.get(incident, ())]
        homed += context.metas_by_home.get(incident, ())
        result.placed.update((e.id, incident) for e in homed if not incidents_named(e))
    owners = set(loose)
    still_loose = {item.event.id for item in context.loose} | {
        meta.id for meta in context.metas_by_home.get(None, ())
    }
    for owner in owners & still_loose:
        result.loose[owner] = []
        result.loose_pending[owner] = []
    if owners & still_loose:
        for rule in RULES:
            if rule.find_unplaced is None:
                continue
            for outcome in rule.find_unplaced(context, policy, clock):
                owner = outcome.evidence[0] if isinstance(outcome, Finding) else outcome.event
                if owner in result.loose:
                    if isinstance(outcome, Finding):
                        result.loose[owner].append(outcome)
                    else:
                        result.loose_pending[owner].append(outcome)
    return result


def _split(outcomes: Sequence[Outcome]) -> tuple[list[Finding], list[Pending]]:
    found = sorted((o for o in outcomes if isinstance(o, Finding)), key=Finding.sort_key)
    waiting = [o for o in outcomes if isinstance(o, Pending)]
    return found, waiting


def ledger_clock_of(events: Sequence[LedgerEvent]) -> datetime:
    """The ledger's own clock over these events: the latest `at` or `recorded_at`."""
    if not events:
        raise ValueError("no events, so no clock: give one")
    return max(max(event.at, event.known_at) for event in events)


def analyse_all(
    events: Sequence[LedgerEvent],
    view: View,
    *,
    incidents: Collection[str] | None = None,
) -> Analysis:
    """`analyse` over every owner the events hold (every incident, every loose event), or
    over the named incidents alone, at the view's clock over these events."""
    named = list(dict.fromkeys(n for e in events for n in incidents_named(e)))
    chosen = named if incidents is None else list(incidents)
    loose = [] if incidents is not None else [e.id for e in events if not incidents_named(e)]
    now = view.clock(ledger_clock_of(events))
    assert now is not None
    return analyse(events, incidents=chosen, loose=loose, view=view, clock=now)
