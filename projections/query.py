"""What the commands ask of the read side: incidents, their timelines and findings, at a clock.

The default view (built-in policy, the ledger's own clock) is read from the persisted read
models, caught up first with whatever was appended since. Any other view (another policy,
`at`, `as_known_at`) is computed from the incidents' related events, read through the index.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from ledger.events import LedgerEvent
from ledger.store.ledger import Ledger
from projections.analysis.assess import assess
from projections.analysis.findings import Finding
from projections.analysis.policy import DEFAULT_POLICY, Policy
from projections.readmodels.catchup import ledger_clock
from projections.readmodels.stored import (
    Clock,
    IncidentRow,
    check_incidents,
    check_unit,
    finding_bodies,
    incidents,
    refresh,
)
from projections.readmodels.tables import Sql
from projections.related import related_events

__all__ = [
    "Clock",
    "IncidentRow",
    "check_incidents",
    "check_unit",
    "current_clock",
    "events_of",
    "finding_from_json",
    "findings",
    "incidents",
    "refresh",
]


def current_clock(ledger: Ledger) -> datetime | None:
    with ledger.backend.reader() as cursor:
        return ledger_clock(Sql(cursor))


def events_of(ledger: Ledger, incident_refs: Collection[str]) -> list[LedgerEvent]:
    """Everything the views of these incidents rest on, through the index."""
    return related_events(ledger.backend, incident_refs)


def findings(
    ledger: Ledger,
    *,
    policy: Policy | None = None,
    clock: Clock | None = None,
    only: Collection[str] | None = None,
) -> list[Finding]:
    """Findings of the named incidents, or of the whole ledger; sorted as findings.md says."""
    clock = clock or Clock()
    if policy is None and clock.default:
        return _stored_findings(ledger, only)
    chosen = list(only) if only is not None else [row.incident for row in incidents(ledger)]
    events = related_events(ledger.backend, chosen)
    if not events:
        return []
    now = clock.at or clock.as_known_at or current_clock(ledger)
    assert now is not None
    if clock.as_known_at is not None:
        events = [e for e in events if e.known_at <= clock.as_known_at]
    result = assess(events, policy or DEFAULT_POLICY, now, incidents=chosen)
    return result.findings


def _stored_findings(ledger: Ledger, only: Collection[str] | None) -> list[Finding]:
    found = [finding_from_json(json.loads(body)) for body in finding_bodies(ledger, only)]
    return sorted(found, key=Finding.sort_key)


def finding_from_json(body: dict[str, Any]) -> Finding:
    return Finding(
        code=body["code"],
        incident=body["incident"],
        severity=body["severity"],
        start=datetime.fromisoformat(body["start"]),
        end=datetime.fromisoformat(body["end"]) if body["end"] else None,
        evidence=tuple(body["evidence"]),
        approximate=body["approximate"],
        summary=body["summary"],
    )
