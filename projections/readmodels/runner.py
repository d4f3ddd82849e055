"""Keeping the read models up to date with the ledger: one catch-up at a time, resumable.

A catch-up holds the store's `readmodels` lock (an flock beside an SQLite file, an advisory
lock on PostgreSQL), so any number of processes may ask for one: the first does it, the
others wait and find nothing left to do. It finds the owners the new events can change from
the references each owner's views were read by (`rm_deps`), never by guessing: an incident a
new event names, an owner one of whose references the event is filed under within the
stretch that mattered, a loose event, and an owner whose next deadline the moving clock has
passed. Each is recomputed by the one pipeline (`projections.analysis.compute`).

From nothing (a first import, a rebuild, a large import) every incident is computed, in the
order of its first event, a chunk per transaction; the chunk's transaction also records how
far the build got, so a killed build resumes where it stopped. The tracking position moves
in the transaction that writes the last rows it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ledger.errors import StoreError
from ledger.store.backend import Backend
from ledger.store.ledger import Ledger
from ledger.store.micros import instant, moment
from ledger.testhooks import reached
from projections.readmodels.tables import EVENT, INCIDENT, NAME, SCHEMA_VERSION, Sql, utc

if TYPE_CHECKING:  # the event models load only when there is something to compute
    from ledger.events import LedgerEvent

PAGE = 5000  # new events read per page
CHUNK = 300  # owners recomputed per transaction
BULK_SHARE = 0.3  # more new events than this share of the ledger: build from nothing
LOCK_WAIT = 300.0  # seconds to wait for another process's catch-up


@dataclass(frozen=True)
class CatchUp:
    events: int  # applied in this pass
    recomputed: int  # owners whose rows were rewritten


def catch_up(ledger: Ledger, *, rebuild: bool = False) -> CatchUp | None:
    """Apply every event appended since the last pass. None when the read models cannot be
    written here (a read-only store, or another catch-up that did not finish in time)."""
    backend = ledger.backend
    with backend.lock("views", LOCK_WAIT) as held:
        if not held:
            return None
        try:
            with backend.connection() as cursor:
                sql = Sql(cursor)
                sql.create()
                if rebuild or sql.meta("schema") != SCHEMA_VERSION:
                    sql.drop()
                    sql.create()
                    backend.untrack(cursor, NAME)
                position = backend.tracked(cursor, NAME)
                build = sql.meta("build")
                known = sql.meta("clock")
        except StoreError:
            if not backend.writable():
                return None
            raise
        top = backend.top()
        if top <= position and build is None:
            return CatchUp(0, 0)
        if position == 0 or build is not None or top - position > BULK_SHARE * top:
            return _build(ledger, top, build)
        clock = datetime.fromisoformat(known) if known else None
        return _incremental(ledger, position, top, clock)


def rebuild(ledger: Ledger) -> CatchUp | None:
    """Drop every read model and build it again from the first event, once the events, their
    chain and their index verify (IntegrityFailure if not: nothing is dropped)."""
    from ledger.store.verify import require_verified

    require_verified(ledger, "rebuilt")
    return catch_up(ledger, rebuild=True)


def ledger_clock(backend: Backend) -> datetime | None:
    """The latest `at` or `recorded_at` of any event in the ledger (UTC)."""
    latest = backend.last_at("r:")
    return None if latest is None else moment(latest)


def _build(ledger: Ledger, top: int, resume: str | None) -> CatchUp:
    """Every owner from nothing, resuming a build cut short at the same position."""
    from projections.readmodels import work
    from projections.readmodels.rows import write

    backend = ledger.backend
    backend.refresh_statistics()  # a build follows a large import: plan its reads for it
    clock = ledger_clock(backend)
    assert clock is not None
    order = backend.named_in_order("i:", top)
    done = 0
    if resume is not None:
        target, _, count = resume.partition(":")
        if int(target) == top:
            done = int(count)
    if done == 0:  # a build from nothing: no row of an earlier pass may survive it
        with backend.connection() as cursor:
            sql = Sql(cursor)
            sql.clear()
            sql.set_meta("build", f"{top}:0")
    chunks = [order[i : i + CHUNK] for i in range(done, len(order), CHUNK)]
    recomputed = 0
    for rows in work.compute(ledger, clock, [(INCIDENT, names) for names in chunks]):
        done += len([name for kind, name in rows.owners if kind == INCIDENT])
        with backend.connection() as cursor:
            sql = Sql(cursor)
            write(sql, rows, fresh=True)  # the build began by clearing every table
            sql.set_meta("build", f"{top}:{done}")
        reached("catchup.rows-written")  # a test may kill us here
        recomputed += len(rows.owners)
    loose = _unplaced(backend, top)
    batches = [(EVENT, loose[i : i + CHUNK]) for i in range(0, len(loose), CHUNK)]
    recomputed += _apply(ledger, clock, batches)
    with backend.connection() as cursor:
        sql = Sql(cursor)
        sql.drop_meta("build")
        _finish(backend, sql, cursor, clock, top)
    return CatchUp(top, recomputed)


def _unplaced(backend: Backend, top: int) -> list[str]:
    """The events naming no incident that no incident has claimed: loose owners."""
    with backend.reader() as cursor:
        placed = {
            r["notification_id"] for r in Sql(cursor).rows("SELECT notification_id FROM rm_placed")
        }
    candidates = dict(backend.ids_under("x:", 0, top))  # a meta-event is filed under x: twice
    return [event_id for nid, event_id in candidates.items() if nid not in placed]


def _incremental(ledger: Ledger, position: int, top: int, known: datetime | None) -> CatchUp:
    from ledger.store.ledger import decode

    backend = ledger.backend
    incidents: dict[str, None] = {}
    loose: dict[str, None] = {}
    refs: dict[str, list[int]] = {}
    latest = instant(known) if known else None
    applied, after = 0, position
    while after < top and (page := backend.events(after, PAGE)):
        page = [line for line in page if line.notification_id <= top]
        if not page:
            break
        for line in page:
            event = decode(line)
            for ref, at in filed_under(backend, event, line.notification_id):
                if ref.startswith("i:"):
                    incidents[ref[2:]] = None
                elif ref == "x:":
                    loose[event.id] = None
                elif ref == "r:":
                    latest = at if latest is None else max(latest, at)
                refs.setdefault(ref, []).append(at)
        applied += len(page)
        after = page[-1].notification_id
    assert latest is not None
    clock = moment(latest)
    with backend.reader() as cursor:
        sql = Sql(cursor)
        for kind, owner in _depending(sql, refs) | _stale(sql, clock):
            (incidents if kind == INCIDENT else loose)[owner] = None
    named = list(incidents)
    batches = [(INCIDENT, named[i : i + CHUNK]) for i in range(0, len(named), CHUNK)]
    spare = list(loose)
    batches += [(EVENT, spare[i : i + CHUNK]) for i in range(0, len(spare), CHUNK)]
    recomputed = _apply(ledger, clock, batches)
    with backend.connection() as cursor:
        _finish(backend, Sql(cursor), cursor, clock, top)
    return CatchUp(applied, recomputed)


def filed_under(backend: Backend, event: LedgerEvent, nid: int) -> Sequence[tuple[str, int]]:
    """What the event is filed under in the index (a meta-event: its target's versions too)."""
    from ledger.corrections import META
    from ledger.index import refs_of
    from ledger.write.meta import filed_refs

    if isinstance(event, META):
        found = filed_refs(backend, event.id, nid)
        if found is not None:
            return found[1]
    return refs_of(event)


def _depending(sql: Sql, refs: dict[str, list[int]]) -> set[tuple[str, str]]:
    """Owners whose views were read by one of these references at one of these instants."""
    spans = [(ref, min(ats), max(ats)) for ref, ats in refs.items() if ref not in ("x:", "r:")]
    owners: set[tuple[str, str]] = set()
    for start in range(0, len(spans), 100):
        chunk = spans[start : start + 100]
        if sql.sqlite:
            terms = " OR ".join("(ref = ? AND hi >= ? AND lo <= ?)" for _ in chunk)
            rows = sql.rows(
                f"SELECT ref, lo, hi, kind, owner FROM rm_deps WHERE {terms}",
                [value for span in chunk for value in span],
            )
        else:  # one round trip for the chunk
            names, lows, highs = (list(column) for column in zip(*chunk, strict=True))
            rows = sql.rows(
                "SELECT d.ref, d.lo, d.hi, d.kind, d.owner FROM unnest(?::text[], ?::bigint[],"
                " ?::bigint[]) AS w(ref, low, high) JOIN rm_deps d ON d.ref = w.ref"
                " AND d.hi >= w.low AND d.lo <= w.high",
                (names, lows, highs),
            )
        for row in rows:
            if any(row["lo"] <= at <= row["hi"] for at in refs[row["ref"]]):
                owners.add((row["kind"], row["owner"]))
    return owners


def _stale(sql: Sql, clock: datetime) -> set[tuple[str, str]]:
    """Owners with a deadline the clock has now passed (findings.md ruling 2: strictly)."""
    rows = sql.rows(
        "SELECT kind, owner FROM rm_owners WHERE stale_after_utc IS NOT NULL "
        "AND stale_after_utc < ?",
        (utc(clock),),
    )
    return {(row["kind"], row["owner"]) for row in rows}


def _apply(ledger: Ledger, clock: datetime, batches: list[tuple[str, list[str]]]) -> int:
    """Recompute and write the batches. An event an incident no longer claims (its call was
    retracted, say) is a loose owner again: it is computed as one afterwards."""
    from projections.readmodels import work
    from projections.readmodels.rows import write

    recomputed = 0
    claimed_before: set[int] = set()  # across all batches: a claim may move between incidents
    claimed_now: set[int] = set()
    for rows in work.compute(ledger, clock, batches):
        with ledger.backend.connection() as cursor:
            sql = Sql(cursor)
            names = [name for kind, name in rows.owners if kind == INCIDENT]
            before = sql.where_in(
                "SELECT notification_id FROM rm_placed WHERE incident IN ({marks})", names
            )
            claimed_before |= {row["notification_id"] for row in before}
            claimed_now |= {nid for nid, _ in rows.placed}
            write(sql, rows)
        reached("catchup.rows-written")  # a test may kill us here
        recomputed += len(rows.owners)
    handled = {name for kind, names in batches if kind == EVENT for name in names}
    lines = ledger.backend.by_nids(claimed_before - claimed_now)
    again = [line.event_id for line in lines if line.event_id not in handled]
    more = [(EVENT, again[i : i + CHUNK]) for i in range(0, len(again), CHUNK)]
    for rows in work.compute(ledger, clock, more):
        with ledger.backend.connection() as cursor:
            write(Sql(cursor), rows)
        reached("catchup.rows-written")  # a test may kill us here
        recomputed += len(rows.owners)
    return recomputed


def _finish(backend: Backend, sql: Sql, cursor: object, clock: datetime, top: int) -> None:
    """The clock and the tracking position, in the transaction of the last rows they cover."""
    sql.set_meta("clock", clock.isoformat())
    sql.set_meta("schema", SCHEMA_VERSION)
    if backend.tracked(cursor, NAME) < top:
        backend.track(cursor, NAME, top)


def behind(ledger: Ledger) -> bool:
    """True when the read models do not yet cover every event (or were written by another
    version, or a build was cut short)."""
    backend = ledger.backend
    try:
        with backend.reader() as cursor:
            sql = Sql(cursor)
            if sql.meta("schema") != SCHEMA_VERSION or sql.meta("build") is not None:
                return True
    except StoreError:
        return True  # no read-model tables yet
    return backend.behind(NAME)


def refresh(ledger: Ledger) -> bool:
    """Bring the read models up to date if they are behind; False when they cannot be (the
    caller then computes what it needs instead of reading stale rows)."""
    if not behind(ledger):
        return True
    done = catch_up(ledger)
    return done is not None and not behind(ledger)
