"""The read-model rows of a chunk of incidents: computed from their events, then written.

Computing reads the ledger (through the index) and touches no read-model table, so chunks can
be computed in parallel worker processes; writing is one transaction in the catching-up one.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson

from ledger.durations import parse_duration
from ledger.events import IncidentGraded, LedgerEvent, incidents_named
from ledger.store.backend import Backend
from projections.analysis.assess import assess, judge
from projections.analysis.effective import effective_events
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.timeline import Entry, timelines
from projections.readmodels.tables import Sql, utc
from projections.related import related_events


@dataclass
class ChunkRows:
    """Everything a chunk writes: plain tuples, so they cross process boundaries."""

    incidents: list[str] = field(default_factory=list)  # whose rows are replaced
    gone: list[str] = field(default_factory=list)  # incidents whose every event was retracted
    summaries: list[tuple[Any, ...]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    findings: list[tuple[Any, ...]] = field(default_factory=list)
    timeline: list[tuple[str, int, str, str]] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # "#id" views now owned by an incident
    unplaced: list[str] = field(default_factory=list)  # "#id" views replaced
    unplaced_rows: list[tuple[str, int, str | None]] = field(default_factory=list)


def compute_incidents(
    backend: Backend,
    policy: Policy,
    clock: datetime,
    incidents: Sequence[str],
    unplaced: Collection[str] = frozenset(),
    cache: dict[int, LedgerEvent] | None = None,
) -> ChunkRows:
    """The rows of these incidents at the clock: one fold for timelines, states and findings."""
    rows = ChunkRows(incidents=list(incidents))
    lines: dict[str, bytes] = {}
    events = related_events(backend, incidents, cache=cache, lines=lines)
    effective = effective_events(events, at=clock)
    present = {name for item in effective for name in incidents_named(item.event)}
    entries, states = timelines(effective, events, [i for i in incidents if i in present], policy)
    found = judge(effective, states, policy, clock, unplaced=False)
    by_incident: dict[str | None, list[Finding]] = {}
    for finding in found:
        by_incident.setdefault(finding.incident, []).append(finding)
    for incident in incidents:
        state = states.get(incident)
        if state is None:  # every event naming it was retracted
            rows.gone.append(incident)
            continue
        mine = by_incident.get(incident, [])
        rows.findings += _finding_rows(incident, mine)
        rows.timeline += [
            (incident, position, _json(entry.row()), _body(entry, lines))
            for position, entry in enumerate(entries.get(incident, []))
        ]
        units = sorted({entry.unit for entry in state.unit_log})
        rows.units += [(unit, incident) for unit in units]
        first = state.first_call
        rows.summaries.append(
            (
                incident,
                first.at.isoformat() if first else None,
                utc(first.at) if first else None,
                state.grade.grade if state.grade else None,
                state.status,
                len(state.events),
                len(state.calls),
                ",".join(units),
                len(mine),
                stale_after(policy, clock, [item.event for item in state.events]),
            )
        )
        # Events once unplaced may belong to an incident now that its call or message came.
        if unplaced:
            rows.placed += [o for item in state.events if (o := f"#{item.event.id}") in unplaced]
    return rows


def compute_unplaced(
    backend: Backend,
    policy: Policy,
    clock: datetime,
    event_ids: Collection[str],
    cache: dict[int, LedgerEvent] | None = None,
) -> ChunkRows:
    """The views of events that belong to no incident (yet): their findings of no incident."""
    result = assess(
        related_events(backend, [], event_ids, cache=cache), policy, clock, incidents=None
    )
    rows = ChunkRows(unplaced=[f"#{event_id}" for event_id in event_ids])
    # One revisit time for the chunk: the earliest any of its deadlines passes (conservative).
    stale = stale_after(policy, clock, result.events)
    mine: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.incident is None and finding.evidence:
            mine.setdefault(finding.evidence[0], []).append(finding)
    for event_id in event_ids:
        listed = mine.get(event_id, [])
        rows.findings += _finding_rows(f"#{event_id}", listed)
        if stale is not None:
            # A row of its own, hidden from `ledger incidents`, so the clock can revisit it.
            rows.unplaced_rows.append((f"#{event_id}", len(listed), stale))
    return rows


def write(sql: Sql, rows: ChunkRows) -> None:
    """Replace the chunk's rows in one transaction (the caller's)."""
    for table, column in (
        ("rm_findings", "owner"),
        ("rm_incident_units", "incident"),
        ("rm_timeline", "incident"),
    ):
        sql.delete_in(f"DELETE FROM {table} WHERE {column} IN ({{marks}})", rows.incidents)
    for owners in (rows.placed, rows.unplaced, rows.gone):
        sql.delete_in("DELETE FROM rm_findings WHERE owner IN ({marks})", owners)
        sql.delete_in("DELETE FROM rm_incidents WHERE incident IN ({marks})", owners)
    sql.many(
        "INSERT INTO rm_timeline (incident, position, row, body) VALUES (?, ?, ?, ?)", rows.timeline
    )
    sql.many(
        "INSERT INTO rm_findings (owner, position, start_utc, incident, code, severity, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows.findings,
    )
    sql.many("INSERT INTO rm_incident_units (unit, incident) VALUES (?, ?)", rows.units)
    sql.many(
        "INSERT INTO rm_incidents (incident, first_call, first_call_utc, grade, status,"
        " events, calls, units, findings, stale_after_utc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident) DO UPDATE SET"
        " first_call = excluded.first_call, first_call_utc = excluded.first_call_utc,"
        " grade = excluded.grade, status = excluded.status, events = excluded.events,"
        " calls = excluded.calls, units = excluded.units, findings = excluded.findings,"
        " stale_after_utc = excluded.stale_after_utc",
        rows.summaries,
    )
    sql.many(
        "INSERT INTO rm_incidents (incident, status, events, calls, units, findings,"
        " stale_after_utc) VALUES (?, 'unplaced', 0, 0, '', ?, ?)",
        rows.unplaced_rows,
    )


def _finding_rows(owner: str, findings: Sequence[Finding]) -> list[tuple[Any, ...]]:
    return [
        (
            owner,
            position,
            utc(finding.start),
            finding.incident or "",  # sorts first, as findings of no incident should
            finding.code,
            finding.severity,
            json.dumps(finding.to_json(), ensure_ascii=False),
        )
        for position, finding in enumerate(findings)
    ]


def _body(entry: Entry, lines: dict[str, bytes]) -> str:
    """The event as `timeline --format json` shows it: as imported, or with its corrections."""
    line = lines.get(entry.event.id)
    if line is not None and not entry.item.corrected_by:
        return line.decode()
    return _json(entry.to_json())


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def stale_after(policy: Policy, clock: datetime, events: Sequence[LedgerEvent]) -> str | None:
    """The first instant after the clock at which a deadline over these events passes."""
    if not events:
        return None
    dues = [due for event in events if (due := getattr(event, "due", None)) is not None]
    own = [_target(e) for e in events if isinstance(e, IncidentGraded) and e.target]
    latest = max(event.at for event in events)
    if latest + max([_LONGEST[policy], *own]) <= clock and all(due <= clock for due in dues):
        return None  # every deadline has passed: only new events can change these views
    spans = {
        policy.reallocation_grace,
        policy.ack_timeout,
        policy.ack_timeout * 2,
        policy.callback_window,
        policy.triage_grace,
        *(target for _, target in policy.grades if target is not None),
        *own,
        timedelta(0),
    }
    candidates = [event.at + span for event in events for span in spans] + dues
    future = [moment for moment in candidates if moment > clock]
    return utc(min(future)) if future else None


class _Longest(dict[Policy, timedelta]):
    """The longest deadline span a policy sets (grading targets in events aside)."""

    def __missing__(self, policy: Policy) -> timedelta:
        spans = [
            policy.reallocation_grace,
            policy.ack_timeout * 2,
            policy.callback_window,
            policy.triage_grace,
            *(t for _, t in policy.grades if t is not None),
        ]
        self[policy] = longest = max(spans)
        return longest


_LONGEST = _Longest()


def _target(event: IncidentGraded) -> timedelta:
    assert event.target is not None
    return parse_duration(event.target)
