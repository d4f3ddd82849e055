"""Findings: the gaps the ledger exposes (findings.md), evaluated at a clock.

`evaluate` turns the events into effective events (corrections applied, retractions gone,
filtered by `at`/`as_known_at`), folds each incident's state, and runs every rule of
`projections.analysis.rules` over it. Findings are derived, never stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.events import LedgerEvent, incidents_named
from projections.analysis.effective import effective_events
from projections.analysis.policy import Policy
from projections.analysis.state import fold_all

SEVERITY_ORDER = ("info", "medium", "high")


@dataclass(frozen=True, order=False)
class Finding:
    code: str
    incident: str | None
    severity: str  # "high" | "medium" | "info"
    start: datetime
    end: datetime | None  # None while still open at the clock
    evidence: tuple[str, ...]  # event ids: the trigger first, then what it was compared with
    approximate: bool
    summary: str

    def to_json(self) -> dict[str, object]:
        """The findings.md shape; times keep the offset of the event they came from."""
        return {
            "code": self.code,
            "incident": self.incident,
            "severity": self.severity,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end is not None else None,
            "evidence": list(self.evidence),
            "approximate": self.approximate,
            "summary": self.summary,
        }

    def sort_key(self) -> tuple[datetime, str, str, tuple[str, ...]]:
        """Start instant, then incident (none first), then code; evidence breaks ties."""
        return (self.start, self.incident or "", self.code, self.evidence)


def default_clock(events: Sequence[LedgerEvent]) -> datetime:
    """The latest `at` or `recorded_at` of any event; ValueError for no events."""
    if not events:
        raise ValueError("an empty ledger has no clock: give one")
    return max(max(event.at, event.known_at) for event in events)


def evaluate(
    events: Sequence[LedgerEvent],
    policy: Policy,
    *,
    clock: datetime | None = None,
    at: datetime | None = None,
    as_known_at: datetime | None = None,
    incidents: Collection[str] | None = None,
) -> list[Finding]:
    """The findings at the clock, sorted by start instant, incident and code.

    `events` are in append order: the whole ledger, or a subset holding everything relevant
    to `incidents` (then pass `clock=default_clock(whole ledger)` to keep the ledger's clock).
    The clock is `at`, else `as_known_at`, else `clock`, else `default_clock(events)`. A
    `clock` earlier than some events evaluates as `at=clock` does: later events have not
    happened yet. `incidents=None` gives every incident's findings and those of no incident.
    """
    # Imported here: the rules import Finding from this module.
    from projections.analysis.rules import RULES
    from projections.analysis.rules.context import build_context

    if not events:
        return []
    if at is not None:
        now, cutoff = at, at
    elif as_known_at is not None:
        now, cutoff = as_known_at, None
    elif clock is not None:
        now, cutoff = clock, clock
    else:
        now, cutoff = default_clock(events), None
    effective = effective_events(events, at=cutoff, as_known_at=as_known_at)
    existing = dict.fromkeys(name for item in effective for name in incidents_named(item.event))
    chosen = list(existing) if incidents is None else [i for i in incidents if i in existing]
    states = fold_all(effective, chosen, policy)

    context = build_context(effective, states, policy)
    found: list[Finding] = []
    for rule in RULES:
        for state in states.values():
            found.extend(rule.find(state, context, policy, now))
        if incidents is None and rule.find_unplaced is not None:
            found.extend(rule.find_unplaced(context, policy, now))
    return sorted(found, key=Finding.sort_key)
