"""What the commands ask of the read side: incidents, their timelines and findings, at a clock.

The default view (built-in policy, the ledger's own clock) is read from the persisted read
models, caught up first with whatever was appended since. Any other view (another policy,
`at`, `as_known_at`) is computed from the incidents' related events, read through the index.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.errors import UsageError
from ledger.events import LedgerEvent
from ledger.store import Ledger
from projections.assess import assess
from projections.catchup import catch_up, ledger_clock, utc
from projections.findings import Finding
from projections.policy import DEFAULT_POLICY, Policy
from projections.related import related_events
from projections.tables import Sql


@dataclass(frozen=True)
class Clock:
    """How a view is taken: at a moment, or as known at a moment, or now (the ledger's clock)."""

    at: datetime | None = None
    as_known_at: datetime | None = None

    @property
    def default(self) -> bool:
        return self.at is None and self.as_known_at is None


@dataclass(frozen=True)
class IncidentRow:
    incident: str
    first_call: str | None
    grade: str | None
    status: str
    events: int
    calls: int
    units: tuple[str, ...]
    findings: int


def refresh(ledger: Ledger) -> None:
    """Bring the read models up to date with events another writer may have added."""
    catch_up(ledger)


def current_clock(ledger: Ledger) -> datetime | None:
    with ledger.backend.connection() as cursor:
        return ledger_clock(Sql(cursor))


def incidents(
    ledger: Ledger,
    *,
    open_only: bool = False,
    grade: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
) -> list[IncidentRow]:
    """One row per incident, by first call time (filters as `ledger incidents` takes them)."""
    clauses, params = ["incident NOT LIKE '#%'"], []
    if open_only:
        clauses.append("status <> 'closed'")
    if grade is not None:
        clauses.append("grade = ?")
        params.append(grade)
    if since is not None:
        clauses.append("first_call_utc >= ?")
        params.append(utc(since))
    if until is not None:
        clauses.append("first_call_utc <= ?")
        params.append(utc(until))
    if unit is not None:
        clauses.append("incident IN (SELECT incident FROM rm_incident_units WHERE unit = ?)")
        params.append(unit)
    statement = (
        "SELECT * FROM rm_incidents WHERE "
        + " AND ".join(clauses)
        + " ORDER BY first_call_utc IS NULL, first_call_utc, incident"
    )
    with ledger.backend.connection() as cursor:
        rows = Sql(cursor).rows(statement, params)
    return [
        IncidentRow(
            r["incident"],
            r["first_call"],
            r["grade"],
            r["status"],
            r["events"],
            r["calls"],
            tuple(u for u in r["units"].split(",") if u),
            r["findings"],
        )
        for r in rows
    ]


def check_incidents(ledger: Ledger, wanted: Sequence[str]) -> None:
    """UsageError naming the closest known references for any incident the ledger lacks."""
    with ledger.backend.connection() as cursor:
        sql = Sql(cursor)
        found = {
            r["incident"]
            for r in sql.where_in(
                "SELECT incident FROM rm_incidents WHERE incident IN ({marks})", list(wanted)
            )
        }
        missing = [name for name in wanted if name not in found]
        if not missing:
            return
        known = [r["incident"] for r in sql.rows("SELECT incident FROM rm_incidents")]
    known = [name for name in known if not name.startswith("#")]
    raise UsageError(_unknown("incident", missing[0], known))


def check_unit(ledger: Ledger, unit: str) -> None:
    with ledger.backend.connection() as cursor:
        sql = Sql(cursor)
        if sql.rows("SELECT 1 FROM rm_incident_units WHERE unit = ? LIMIT 1", (unit,)):
            return
        known = [r["unit"] for r in sql.rows("SELECT DISTINCT unit FROM rm_incident_units")]
    raise UsageError(_unknown("unit", unit, known))


def _unknown(kind: str, name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if not close:
        lowered = name.casefold()
        close = sorted(k for k in known if lowered in k.casefold())[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {kind} {name!r} in the ledger{hint}"


def events_of(ledger: Ledger, incident_refs: Collection[str]) -> list[LedgerEvent]:
    """Everything the views of these incidents rest on, through the index."""
    return related_events(ledger.backend, incident_refs)


def findings(
    ledger: Ledger,
    *,
    policy: Policy | None = None,
    clock: Clock = Clock(),
    only: Collection[str] | None = None,
) -> list[Finding]:
    """Findings of the named incidents, or of the whole ledger; sorted as findings.md says."""
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
    statement = "SELECT body FROM rm_findings"
    with ledger.backend.connection() as cursor:
        sql = Sql(cursor)
        if only is None:
            rows = sql.rows(statement + " ORDER BY start_utc, incident, code")
        else:
            rows = sql.where_in(statement + " WHERE owner IN ({marks})", list(only))
    found = [finding_from_json(json.loads(row["body"])) for row in rows]
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
