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

import multiprocessing
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from ledger.events import IncidentLinked, LedgerEvent, incidents_named
from ledger.index import instant, refs_of
from ledger.store.backend import Backend, StoredLine
from ledger.store.chain import parse
from ledger.store.ledger import Ledger, decode
from ledger.testhooks import reached
from projections.analysis.policy import DEFAULT_POLICY, Policy
from projections.readmodels.chunks import ChunkRows, compute_incidents, compute_unplaced, write
from projections.readmodels.tables import NAME, SCHEMA_VERSION, Sql, utc

PAGE = 5000  # events read per page
CHUNK = 400  # incidents recomputed per transaction
PARALLEL_FROM = 6  # chunks: below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
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
        if everything:
            # Every incident will be recomputed: read only what names them, without models.
            clock, named, events = _skim(clock, rows)
            incidents.update(dict.fromkeys(named))
        else:
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
    named = [name for name in incidents if not name.startswith("#")]
    spare = sorted(orphans | {name[1:] for name in incidents if name.startswith("#")})
    work = [("incidents", named[i : i + CHUNK]) for i in range(0, len(named), CHUNK)]
    work += [("unplaced", spare[i : i + CHUNK]) for i in range(0, len(spare), CHUNK)]
    for computed in _computed(ledger, policy, clock, work, frozenset(unplaced)):
        with backend.connection() as cursor:
            write(Sql(cursor), computed)
        reached("catchup.rows-written")  # a test may kill here (ledger.testhooks)
    with backend.connection() as cursor:
        Sql(cursor).set_meta("clock", clock.isoformat())
        Sql(cursor).set_meta("schema", SCHEMA_VERSION)
        # Another reader may have caught up first: the views it wrote are the same.
        if backend.tracked(cursor, NAME) < last:
            backend.track(cursor, NAME, last)
    return CatchUp(applied, len(incidents) + len(orphans))


def _computed(
    ledger: Ledger,
    policy: Policy,
    clock: datetime,
    work: list[tuple[str, list[str]]],
    unplaced: frozenset[str],
) -> Iterator[ChunkRows]:
    """Each chunk's rows; computed by worker processes when there are many chunks to do.

    Workers only read the ledger; the rows come back here, where they are written.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(work) < PARALLEL_FROM or workers < 2 or policy is not DEFAULT_POLICY:
        cache: dict[int, LedgerEvent] = {}
        for kind, names in work:
            yield _compute(ledger.backend, policy, clock, kind, names, unplaced, cache)
        return
    context = multiprocessing.get_context("spawn")  # no inherited connections or threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        jobs = [
            pool.submit(_work, ledger.url, clock.isoformat(), kind, names, unplaced)
            for kind, names in work
        ]
        for job in jobs:
            yield job.result()


def _compute(
    backend: Backend,
    policy: Policy,
    clock: datetime,
    kind: str,
    names: list[str],
    unplaced: frozenset[str],
    cache: dict[int, LedgerEvent],
) -> ChunkRows:
    if kind == "incidents":
        return compute_incidents(backend, policy, clock, names, unplaced, cache)
    return compute_unplaced(backend, policy, clock, names, cache)


_WORKER: dict[str, tuple[Ledger, dict[int, LedgerEvent]]] = {}


def _work(url: str, clock: str, kind: str, names: list[str], unplaced: frozenset[str]) -> ChunkRows:
    """In a worker process: one ledger connection and decode cache for its whole life."""
    if url not in _WORKER:
        _WORKER[url] = (Ledger.open(url), {})
    ledger, cache = _WORKER[url]
    moment = datetime.fromisoformat(clock)
    return _compute(ledger.backend, DEFAULT_POLICY, moment, kind, names, unplaced, cache)


def rebuild(ledger: Ledger, policy: Policy = DEFAULT_POLICY) -> CatchUp:
    """Drop every read model and build it again from the first event."""
    with ledger.backend.connection() as cursor:
        Sql(cursor).drop()
        ledger.backend.untrack(cursor, NAME)
    return catch_up(ledger, policy, everything=True)


def ledger_clock(sql: Sql) -> datetime | None:
    value = sql.meta("clock")
    return datetime.fromisoformat(value) if value else None


_NAMING = ("incident", "from_incident", "to_incident", "linked")


def _skim(
    clock: datetime | None, rows: Sequence[StoredLine]
) -> tuple[datetime | None, list[str], list[LedgerEvent]]:
    """The latest time, the incidents named (in order), and as models only the events that
    name none (a call's end, an acknowledgement): those must be traced to their incidents."""
    named: dict[str, None] = {}
    unnamed: list[LedgerEvent] = []
    latest = clock
    for row in rows:
        obj = parse(row.line)
        try:
            moments = [datetime.fromisoformat(obj[k]) for k in ("at", "recorded_at") if k in obj]
        except ValueError:  # an RFC 3339 spelling Python does not read: ask the model
            event = decode(row)
            moments = [event.at, event.known_at]
        for moment in moments:
            if latest is None or moment > latest:
                latest = moment
        names = [value for key in _NAMING if isinstance(value := obj.get(key), str) and value]
        if names:
            named.update(dict.fromkeys(names))
        else:
            unnamed.append(decode(row))
    return latest, list(named), unnamed


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
    windows: list[tuple[str, int, int]] = []
    for event in events:
        named = incidents_named(event)
        incidents.update(named)
        if named and not neighbours:
            continue
        refs = _names(event)
        if not named:
            unresolved[event.id] = {ref for ref in refs if ref.startswith(_RESOLVABLE)}
        if neighbours:
            # Same unit that day or the day before, same caller or address: views shift there.
            moment = instant(event.at)
            windows += [
                (ref, moment - _TWO_DAYS, moment + _TWO_DAYS)
                for ref in refs
                if ref.startswith("u:")
            ]
            near += [ref for ref in refs if ref.startswith(("kc:", "km:"))]
            near += ["km:" + ref[3:] for ref in refs if ref.startswith("kc:")]
            near += ["kc:" + ref[3:] for ref in refs if ref.startswith("km:")]
            if isinstance(event, IncidentLinked):
                near += [f"l:{event.incident}", f"l:{event.linked}"]
    if neighbours:
        nearby = _by_refs(backend, near) + [decode(r) for r in backend.by_windows(windows)]
        for event in nearby:
            incidents.update(incidents_named(event))
        incidents |= _link_components(backend, incidents)
    placed = _resolve(backend, unresolved)
    for found in placed.values():
        incidents |= found
    return incidents, {event_id for event_id, found in placed.items() if not found}


_TWO_DAYS = 2 * 86_400 * 1_000_000


def _names(event: LedgerEvent) -> list[str]:
    return [ref for ref, _ in refs_of(event)]


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
            for ref in _names(event):
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
                        more |= {r for r in _names(event) if r.startswith(_RESOLVABLE)}
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
