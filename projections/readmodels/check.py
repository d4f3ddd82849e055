"""`ledger verify --views`: the stored read models against a recomputation from the events.

Every owner is computed again as a build from nothing would (the same chunks, the same
pipeline, at the ledger's clock) and each table's rows of that owner are compared with the
stored ones, seals included; then any stored row of an owner the events no longer give, and
each seal part's total. It costs what `ledger rebuild` costs, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger.errors import IntegrityFailure
from ledger.store.ledger import Ledger
from projections.gather import Owner
from projections.readmodels import runner, seals
from projections.readmodels.rows import OwnerRows, sealed_parts, table_rows
from projections.readmodels.tables import (
    COLUMNS,
    EVENT,
    INCIDENT,
    INCIDENT_TABLES,
    Sql,
    tuples,
)

CHUNK = runner.CHUNK


@dataclass(frozen=True)
class ViewsCheck:
    owners: int  # owners whose rows match a recomputation
    problem: str | None = None
    behind: bool = False  # not built, or not up to date: nothing to compare yet

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_views(ledger: Ledger) -> ViewsCheck:
    """Compare every stored read-model row with a recomputation from the events, holding the
    read models' lock so no catch-up changes them meanwhile (a store where the lock cannot be
    taken, e.g. a read-only folder, has no catch-up to wait for)."""
    with ledger.backend.lock("views", runner.LOCK_WAIT):
        return _check(ledger)


def check_seals(ledger: Ledger) -> ViewsCheck:
    """The cheap check of plain `ledger verify`: every stored row of every served table is
    the row sealed (as a read serving the whole table checks it), nothing recomputed."""
    if runner.behind(ledger):
        return ViewsCheck(0, behind=True)
    with ledger.backend.reader() as cursor:
        sql = Sql(cursor)
        try:
            for part in seals.PARTS:
                seals.check(sql, part, seals.group(tuples(sql.rows(seals.select_all(part)))), None)
        except IntegrityFailure as failure:
            return ViewsCheck(0, str(failure))
        owners = sql.rows("SELECT count(*) AS n FROM rm_owners")[0]["n"]
    return ViewsCheck(owners)


def _check(ledger: Ledger) -> ViewsCheck:
    if runner.behind(ledger):
        return ViewsCheck(0, behind=True)
    seen: set[Owner] = set()
    try:
        for rows in _recomputed(ledger):
            with ledger.backend.reader() as cursor:
                _compare(Sql(cursor), rows)
            seen.update(rows.owners)
        with ledger.backend.reader() as cursor:
            _no_others(Sql(cursor), seen)
    except IntegrityFailure as failure:
        return ViewsCheck(len(seen), str(failure))
    return ViewsCheck(len(seen))


def _recomputed(ledger: Ledger) -> Iterator[OwnerRows]:
    """Every owner's rows, as a build from nothing computes them: incidents, then the loose
    events no incident placed."""
    from projections.readmodels import work

    backend = ledger.backend
    top = backend.top()
    clock = runner.ledger_clock(backend)
    if clock is None:
        return
    with backend.reader() as cursor:
        stored_clock = Sql(cursor).meta("clock")
    if stored_clock != clock.isoformat():
        raise IntegrityFailure(
            f"rm_meta: the read models say the ledger's clock is {stored_clock}, "
            f"the events say {clock.isoformat()}"
        )
    order = backend.named_in_order("i:", top)
    placed: set[int] = set()
    chunks = [(INCIDENT, order[i : i + CHUNK]) for i in range(0, len(order), CHUNK)]
    for rows in work.compute(ledger, clock, chunks):
        placed.update(nid for nid, _ in rows.placed)
        yield rows
    candidates = dict(backend.ids_under("x:", 0, top))
    loose = [event_id for nid, event_id in candidates.items() if nid not in placed]
    yield from work.compute(
        ledger, clock, [(EVENT, loose[i : i + CHUNK]) for i in range(0, len(loose), CHUNK)]
    )


def _compare(sql: Sql, rows: OwnerRows) -> None:
    expected = table_rows(rows)
    expected["rm_seals"] = seals.written(rows.owners, sealed_parts(expected))
    for table, wanted in expected.items():
        stored = _stored(sql, table, rows.owners)
        mine, theirs = _by_owner(table, wanted), _by_owner(table, stored)
        for owner in sorted(set(mine) | set(theirs)):
            if mine.get(owner, []) != theirs.get(owner, []):
                raise IntegrityFailure(
                    f"{table}: the rows of {owner[0]} {owner[1]!r} differ from a recomputation "
                    f"from the events ({len(theirs.get(owner, []))} stored, "
                    f"{len(mine.get(owner, []))} recomputed): they were changed outside the "
                    "ledger; `ledger rebuild` replaces them"
                )


def _columns(table: str) -> tuple[str, ...]:
    return ("kind", "owner", "part", "seal") if table == "rm_seals" else COLUMNS[table]


def _stored(sql: Sql, table: str, owners: list[Owner]) -> list[tuple[Any, ...]]:
    select = f"SELECT {', '.join(_columns(table))} FROM {table}"
    found: list[Any] = []
    for kind in (INCIDENT, EVENT):
        names = [name for k, name in owners if k == kind]
        if table in INCIDENT_TABLES:
            if kind == INCIDENT:
                found += sql.where_in(select + " WHERE incident IN ({marks})", names)
        else:
            found += sql.where_in(select + " WHERE kind = ? AND owner IN ({marks})", names, kind)
    return tuples(found)


def _by_owner(table: str, rows: list[tuple[Any, ...]]) -> dict[Owner, list[tuple[Any, ...]]]:
    grouped: dict[Owner, list[tuple[Any, ...]]] = {}
    for row in rows:
        owner = (INCIDENT, row[0]) if table in INCIDENT_TABLES else (row[0], row[1])
        grouped.setdefault(owner, []).append(tuple(row))
    return {owner: sorted(found, key=repr) for owner, found in grouped.items()}


def _no_others(sql: Sql, seen: set[Owner]) -> None:
    """No table holds rows of an owner the events do not give; each seal total adds up."""
    for table in (*COLUMNS, "rm_seals"):
        if table in INCIDENT_TABLES:
            rows = sql.rows(f"SELECT DISTINCT incident FROM {table}")
            owners = {(INCIDENT, row["incident"]) for row in rows}
        elif table == "rm_seals":
            # An owner with no rows (a loose event an incident has since claimed) keeps the
            # seals of no rows until a rebuild: they seal nothing.
            empty = list(seals.EMPTY.values())
            marks = ", ".join("?" * len(empty))
            rows = sql.rows(
                f"SELECT DISTINCT kind, owner FROM rm_seals WHERE seal NOT IN ({marks})", empty
            )
            owners = {(row["kind"], row["owner"]) for row in rows}
        else:
            rows = sql.rows(f"SELECT DISTINCT kind, owner FROM {table}")
            owners = {(row["kind"], row["owner"]) for row in rows}
        for kind, name in sorted(owners - seen):
            raise IntegrityFailure(
                f"{table}: rows of {kind} {name!r}, which the events do not give: they were "
                "added outside the ledger; `ledger rebuild` removes them"
            )
    for part in seals.PARTS:
        seals.check_total(sql, part)
