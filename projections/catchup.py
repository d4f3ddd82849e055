"""Keeping the read models up to date with the event log, incrementally.

Each pass reads the events appended since the tracked position, works out which incidents
they can change (those they name, those whose calls, messages, plans or events they complete
or correct, those sharing a unit that day, a caller or address, or a chain of links), and
recomputes only those. The ledger's clock (the latest time in it) moves too, and a finding can
appear by the clock alone (a timeout passing); so each incident remembers the next instant at
which that could happen (`stale_after`), and passing it marks the incident for recomputation.
The tracking position moves only once every touched incident has been rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from ledger.backends.base import Backend
from ledger.durations import parse_duration
from ledger.events import IncidentGraded, IncidentLinked, LedgerEvent, incidents_named
from ledger.refs import refs_of
from ledger.store import Ledger, decode
from projections.assess import Assessment, assess, judge
from projections.effective import effective_events
from projections.findings import Finding
from projections.policy import DEFAULT_POLICY, Policy
from projections.related import related_events
from projections.tables import NAME, SCHEMA_VERSION, Sql, utc
from projections.timeline import Entry, timelines

PAGE = 5000  # events read per page
CHUNK = 400  # incidents recomputed per transaction
_RESOLVABLE = ("c:", "t:", "p:", "e:")


@dataclass(frozen=True)
class CatchUp:
    events: int  # applied in this pass
    recomputed: int  # incidents (and unplaced events) whose views were rewritten


def catch_up(
    ledger: Ledger, policy: Policy = DEFAULT_POLICY, *, everything: bool = False
) -> CatchUp:
    """Apply every event appended since the last pass; return what was done.

    Three steps: read the new events a page at a time, gathering the incidents they touch
    (memory grows with incidents touched, not events); recompute those incidents a chunk at
    a time, each chunk one transaction; then move the clock and the tracking position in a
    last transaction. Recomputing is idempotent, so a pass cut short is simply done again by
    the next one, which starts from the same tracked position.
    """
    backend = ledger.backend
    with backend.connection() as cursor:
        sql = Sql(cursor)
        sql.create()
        position = backend.tracked(cursor, NAME)
        clock = ledger_clock(sql)
    # From nothing, every incident is recomputed anyway: no need to look for neighbours.
    everything = everything or position == 0
    incidents: dict[str, None] = {}  # in the order first touched: neighbours share chunks
    orphans: set[str] = set()
    applied, last = 0, position
    while rows := backend.events(last, PAGE):
        events = [decode(row) for row in rows]
        clock = _latest(clock, events)
        found, unplaced = touched(backend, events, neighbours=not everything)
        incidents.update(dict.fromkeys(sorted(found)))
        orphans |= unplaced
        applied += len(rows)
        last = rows[-1].notification_id
    if not applied:
        return CatchUp(0, 0)
    assert clock is not None
    with backend.connection() as cursor:
        sql = Sql(cursor)
        incidents.update(dict.fromkeys(sorted(_stale(sql, clock))))
        unplaced = {
            row["owner"]
            for row in sql.rows(
                "SELECT owner FROM rm_findings WHERE owner LIKE '#%' "
                "UNION SELECT incident FROM rm_incidents WHERE incident LIKE '#%'"
            )
        }
    cache: dict[int, LedgerEvent] = {}
    ordered = list(incidents)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        with backend.connection() as cursor:
            recompute(
                backend, Sql(cursor), policy, clock, chunk, (), cache=cache, unplaced=unplaced
            )
    spare = sorted(orphans)
    for start in range(0, len(spare), CHUNK):
        chunk = spare[start : start + CHUNK]
        with backend.connection() as cursor:
            recompute(backend, Sql(cursor), policy, clock, (), chunk, cache=cache)
    with backend.connection() as cursor:
        Sql(cursor).set_meta("clock", clock.isoformat())
        Sql(cursor).set_meta("schema", SCHEMA_VERSION)
        # Another reader may have caught up first: the views it wrote are the same.
        if backend.tracked(cursor, NAME) < last:
            backend.track(cursor, NAME, last)
    return CatchUp(applied, len(incidents) + len(orphans))


def rebuild(ledger: Ledger, policy: Policy = DEFAULT_POLICY) -> CatchUp:
    """Drop every read model and build it again from the first event."""
    with ledger.backend.connection() as cursor:
        Sql(cursor).drop()
        ledger.backend.untrack(cursor, NAME)
    return catch_up(ledger, policy, everything=True)


def ledger_clock(sql: Sql) -> datetime | None:
    value = sql.meta("clock")
    return datetime.fromisoformat(value) if value else None


def _latest(clock: datetime | None, events: Sequence[LedgerEvent]) -> datetime | None:
    """The latest `at` or `recorded_at` of any event, kept with its own UTC offset."""
    for event in events:
        for moment in (event.at, event.known_at):
            if clock is None or moment > clock:
                clock = moment
    return clock


def touched(
    backend: Backend, events: Sequence[LedgerEvent], *, neighbours: bool = True
) -> tuple[set[str], set[str]]:
    """Incidents the events can change, and the ids of events that belong to none (yet).

    Without `neighbours` (a rebuild, where every incident is recomputed anyway) only the
    incidents the events belong to are found.
    """
    incidents: set[str] = set()
    unresolved: dict[str, set[str]] = {}  # event id -> refs that may lead to an incident
    near: list[str] = []
    for event in events:
        named = incidents_named(event)
        incidents.update(named)
        if named and not neighbours:
            continue
        refs = refs_of(event)
        if not named:
            unresolved[event.id] = {ref for ref in refs if ref.startswith(_RESOLVABLE)}
        if neighbours:
            # Same unit that day or the day before, same caller or address: views shift there.
            near += [ref for ref in refs if ref.startswith(("ud:", "k:"))]
            near += [_previous_day(ref) for ref in refs if ref.startswith("ud:")]
            if isinstance(event, IncidentLinked):
                near += [f"l:{event.incident}", f"l:{event.linked}"]
    if neighbours:
        for event in _by_refs(backend, near):
            incidents.update(incidents_named(event))
        incidents |= _link_components(backend, incidents)
    placed = _resolve(backend, unresolved)
    for found in placed.values():
        incidents |= found
    return incidents, {event_id for event_id, found in placed.items() if not found}


def _previous_day(ref: str) -> str:
    unit_part, day = ref.rsplit(":", 1)
    return f"{unit_part}:{(datetime.fromisoformat(day) - timedelta(days=1)).date()}"


def _by_refs(backend: Backend, refs: Iterable[str]) -> list[LedgerEvent]:
    wanted = list(dict.fromkeys(refs))
    return [decode(row) for row in backend.by_refs(wanted)] if wanted else []


def _resolve(backend: Backend, leads: dict[str, set[str]], depth: int = 3) -> dict[str, set[str]]:
    """For each event, the incidents its calls, messages, plans or targets lead to.

    Done for all events at once, a level at a time: one index read per level, not per event.
    """
    found: dict[str, set[str]] = {event_id: set() for event_id in leads}
    pending = {event_id: set(refs) for event_id, refs in leads.items() if refs}
    seen: dict[str, set[str]] = {event_id: set(refs) for event_id, refs in pending.items()}
    for _ in range(depth):
        if not pending:
            break
        wanted = {ref for refs in pending.values() for ref in refs}
        targets = {ref[2:] for ref in wanted if ref.startswith("e:")}
        by_ref: dict[str, list[LedgerEvent]] = {}
        for event in _by_refs(backend, wanted):
            for ref in refs_of(event):
                if ref in wanted:
                    by_ref.setdefault(ref, []).append(event)
        for row in backend.by_ids(targets) if targets else []:
            target = decode(row)
            by_ref.setdefault(f"e:{target.id}", []).append(target)
        following: dict[str, set[str]] = {}
        for event_id, refs in pending.items():
            more: set[str] = set()
            for ref in refs:
                for event in by_ref.get(ref, ()):
                    named = incidents_named(event)
                    found[event_id].update(named)
                    if not named:
                        more |= {r for r in refs_of(event) if r.startswith(_RESOLVABLE)}
            more -= seen[event_id]
            if more and not found[event_id]:
                seen[event_id] |= more
                following[event_id] = more
        pending = following
    return found


def _link_components(backend: Backend, incidents: Collection[str]) -> set[str]:
    """Incidents joined to these through chains of links (they judge repeat contacts)."""
    seen, frontier = set(incidents), list(incidents)
    while frontier:
        reached: list[str] = []
        for event in _by_refs(backend, (f"l:{name}" for name in frontier)):
            reached += [name for name in incidents_named(event) if name not in seen]
        seen.update(reached)
        frontier = reached
    return seen - set(incidents)


def _stale(sql: Sql, clock: datetime) -> set[str]:
    rows = sql.rows(
        "SELECT incident FROM rm_incidents WHERE stale_after_utc IS NOT NULL "
        "AND stale_after_utc <= ?",
        (utc(clock),),
    )
    return {row["incident"] for row in rows}


def recompute(
    backend: Backend,
    sql: Sql,
    policy: Policy,
    clock: datetime,
    incidents: Collection[str],
    orphans: Collection[str],
    *,
    cache: dict[int, LedgerEvent] | None = None,
    unplaced: Collection[str] = frozenset(),
) -> int:
    """Rewrite the views of these incidents (and unplaced events) at the clock.

    `unplaced` names the views of events that had no incident so far ("#id"): those whose
    incident is now known are removed.
    """
    orphan_ids = set(orphans) | {name[1:] for name in incidents if name.startswith("#")}
    real = [name for name in incidents if not name.startswith("#")]
    if real:
        events = related_events(backend, real, cache=cache)
        effective = effective_events(events, at=clock)
        present = {name for item in effective for name in incidents_named(item.event)}
        chosen = [name for name in real if name in present]
        # One fold gives both the timelines and the states the rules judge.
        entries, states = timelines(effective, events, chosen, policy)
        found = judge(effective, states, policy, clock, unplaced=False)
        result = Assessment(events, effective, states, found)
        _write_incidents(sql, policy, clock, result, real, unplaced, entries)
    if orphan_ids:
        events = related_events(backend, [], orphan_ids, cache=cache)
        result = assess(events, policy, clock, incidents=None)
        _write_unplaced(sql, policy, clock, result, orphan_ids)
    return len(real) + len(orphan_ids)


def _write_incidents(
    sql: Sql,
    policy: Policy,
    clock: datetime,
    result: Assessment,
    incidents: Sequence[str],
    unplaced: Collection[str],
    entries: dict[str, list[Entry]],
) -> None:
    sql.delete_in("DELETE FROM rm_findings WHERE owner IN ({marks})", list(incidents))
    sql.delete_in("DELETE FROM rm_incident_units WHERE incident IN ({marks})", list(incidents))
    sql.delete_in("DELETE FROM rm_timeline WHERE incident IN ({marks})", list(incidents))
    sql.many(
        "INSERT INTO rm_timeline (incident, position, row, body) VALUES (?, ?, ?, ?)",
        [
            (incident, position, _json(entry.row()), _json(entry.to_json()))
            for incident, listed in entries.items()
            for position, entry in enumerate(listed)
        ],
    )
    # Events once unplaced may belong to an incident now that its call or message has arrived.
    if unplaced:
        placed = [
            owner
            for state in result.states.values()
            for item in state.events
            if (owner := f"#{item.event.id}") in unplaced
        ]
        sql.delete_in("DELETE FROM rm_findings WHERE owner IN ({marks})", placed)
        sql.delete_in("DELETE FROM rm_incidents WHERE incident IN ({marks})", placed)
    by_incident: dict[str | None, list[Finding]] = {}
    for finding in result.findings:
        by_incident.setdefault(finding.incident, []).append(finding)
    for incident in incidents:
        state = result.states.get(incident)
        if state is None:  # every event naming it was retracted
            sql.delete_in("DELETE FROM rm_incidents WHERE incident IN ({marks})", [incident])
            continue
        findings = by_incident.get(incident, [])
        _write_findings(sql, incident, findings)
        first = state.first_call
        units = sorted({entry.unit for entry in state.unit_log})
        sql.run(
            "INSERT INTO rm_incidents (incident, first_call, first_call_utc, grade, status,"
            " events, calls, units, findings, stale_after_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident) DO UPDATE SET"
            " first_call = excluded.first_call, first_call_utc = excluded.first_call_utc,"
            " grade = excluded.grade, status = excluded.status, events = excluded.events,"
            " calls = excluded.calls, units = excluded.units, findings = excluded.findings,"
            " stale_after_utc = excluded.stale_after_utc",
            (
                incident,
                first.at.isoformat() if first else None,
                utc(first.at) if first else None,
                state.grade.grade if state.grade else None,
                state.status,
                len(state.events),
                len(state.calls),
                ",".join(units),
                len(findings),
                _stale_after(policy, clock, [item.event for item in state.events]),
            ),
        )
        sql.many(
            "INSERT INTO rm_incident_units (unit, incident) VALUES (?, ?)",
            [(unit, incident) for unit in units],
        )


def _write_unplaced(
    sql: Sql, policy: Policy, clock: datetime, result: Assessment, event_ids: Collection[str]
) -> None:
    owners = [f"#{event_id}" for event_id in event_ids]
    sql.delete_in("DELETE FROM rm_findings WHERE owner IN ({marks})", owners)
    sql.delete_in("DELETE FROM rm_incidents WHERE incident IN ({marks})", owners)
    # One revisit time for the chunk: the earliest any of its deadlines passes (conservative).
    stale = _stale_after(policy, clock, result.events)
    unplaced: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.incident is None and finding.evidence:
            unplaced.setdefault(finding.evidence[0], []).append(finding)
    for event_id in event_ids:
        mine = unplaced.get(event_id, [])
        _write_findings(sql, f"#{event_id}", mine)
        if stale is not None:
            # A row of its own, hidden from `ledger incidents`, so the clock can revisit it.
            sql.run(
                "INSERT INTO rm_incidents (incident, status, events, calls, units, findings,"
                " stale_after_utc) VALUES (?, 'unplaced', 0, 0, '', ?, ?)",
                (f"#{event_id}", len(mine), stale),
            )


def _write_findings(sql: Sql, owner: str, findings: Sequence[Finding]) -> None:
    rows = []
    for position, finding in enumerate(findings):
        body = finding.to_json()
        text = json.dumps(body, ensure_ascii=False)
        rows.append(
            (
                owner,
                position,
                utc(finding.start),
                finding.incident or "",  # sorts first, as findings of no incident should
                finding.code,
                finding.severity,
                text,
            )
        )
    sql.many(
        "INSERT INTO rm_findings (owner, position, start_utc, incident, code, severity, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def _stale_after(policy: Policy, clock: datetime, events: Sequence[LedgerEvent]) -> str | None:
    """The first instant after the clock at which a deadline over these events passes."""
    if not events:
        return None
    dues = [due for event in events if (due := getattr(event, "due", None)) is not None]
    latest = max(event.at for event in events)
    own = [_target(e) for e in events if isinstance(e, IncidentGraded) and e.target]
    if latest + max([_LONGEST[policy], *own]) <= clock and all(due <= clock for due in dues):
        return None  # every deadline has passed: only new events can change these views
    spans = {
        policy.reallocation_grace,
        policy.ack_timeout,
        policy.ack_timeout * 2,
        policy.callback_window,
        policy.triage_grace,
        *(target for _, target in policy.grades if target is not None),
        *(_target(event) for event in events if isinstance(event, IncidentGraded) and event.target),
        timedelta(0),
    }
    candidates = [event.at + span for event in events for span in spans]
    candidates += dues
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
