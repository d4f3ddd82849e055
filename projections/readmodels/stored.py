"""Reading the stored read models: plain SQL, no event models loaded.

These are the hot paths of the read commands (`incidents`, `timeline` and `findings` at the
ledger's own clock under the built-in policy). `projections.query` decides when they apply.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.store.ledger import Ledger
from projections.readmodels import seals
from projections.readmodels.tables import EVENT, INCIDENT, Sql, tuples, utc


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


def incident_rows(
    ledger: Ledger,
    *,
    open_only: bool = False,
    grade: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
) -> list[IncidentRow]:
    """One row per incident, by first call time (filters as `ledger incidents` takes them)."""
    clauses, params = ["kind = ?", "status <> 'error'"], [INCIDENT]
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
        clauses.append("owner IN (SELECT incident FROM rm_units WHERE unit = ?)")
        params.append(unit)
    statement = (
        seals.select("owner")
        + " WHERE "
        + " AND ".join(clauses)
        + " ORDER BY first_call_utc IS NULL, first_call_utc, owner"
    )
    with ledger.backend.reader() as cursor:
        sql = Sql(cursor)
        rows = sql.rows(statement, params)
        # Every summary, not only those listed: a row removed would otherwise go unseen.
        every = sql.rows(seals.select("owner"))
        seals.check(sql, "owner", seals.group(tuples(every)), None)
    return [
        IncidentRow(
            r["owner"],
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


def known_incidents(ledger: Ledger, wanted: Sequence[str]) -> set[str]:
    with ledger.backend.reader() as cursor:
        rows = Sql(cursor).where_in(
            "SELECT owner FROM rm_owners WHERE kind = ? AND owner IN ({marks})", wanted, INCIDENT
        )
    return {row["owner"] for row in rows}


def all_incidents(ledger: Ledger) -> list[str]:
    with ledger.backend.reader() as cursor:
        rows = Sql(cursor).rows("SELECT owner FROM rm_owners WHERE kind = ?", (INCIDENT,))
    return [row["owner"] for row in rows]


def units(ledger: Ledger) -> list[str]:
    with ledger.backend.reader() as cursor:
        return [r["unit"] for r in Sql(cursor).rows("SELECT DISTINCT unit FROM rm_units")]


def timeline_rows(ledger: Ledger, incident: str) -> list[tuple[str, str]]:
    """The incident's stored timeline: (row for people, event as imported) as JSON texts."""
    with ledger.backend.reader() as cursor:
        rows = seals.checked_rows(Sql(cursor), "timeline", " ORDER BY position", [incident])
    plain = [r["notification_id"] for r in rows if r["body"] is None]
    lines = {line.notification_id: line.line for line in ledger.backend.by_nids(plain)}
    return [
        (r["row"], r["body"] if r["body"] is not None else lines[r["notification_id"]].decode())
        for r in rows
    ]


def finding_bodies(ledger: Ledger, only: Collection[str] | None = None) -> list[str]:
    """Stored findings as JSON texts, by start instant, then incident, then code; `only` names
    incidents (their findings alone), None gives every finding, of no incident too."""
    order = " ORDER BY start_utc, incident, code, kind, owner, position"
    return _sealed(ledger, "findings", order, only)


def pending_bodies(ledger: Ledger, only: Collection[str] | None = None) -> list[str]:
    """Deadlines still running at the ledger's clock, as JSON texts, by deadline."""
    return _sealed(ledger, "pending", " ORDER BY deadline_utc, kind, owner, position", only)


def _sealed(ledger: Ledger, part: str, order: str, only: Collection[str] | None) -> list[str]:
    """The bodies of a part's rows (of the incidents `only`, or all), once their seals match."""
    with ledger.backend.reader() as cursor:
        rows = seals.checked_rows(Sql(cursor), part, order, None if only is None else list(only))
    return [row["body"] for row in rows]


def errors(ledger: Ledger, only: Collection[str] | None = None) -> list[tuple[str, str, str]]:
    """Owners that could not be computed: (kind, owner, error)."""
    with ledger.backend.reader() as cursor:
        rows = Sql(cursor).rows("SELECT kind, owner, error FROM rm_owners WHERE error IS NOT NULL")
    found = [(r["kind"], r["owner"], r["error"]) for r in rows]
    if only is not None:
        found = [f for f in found if f[0] == EVENT or f[1] in set(only)]
    return found


def clock(ledger: Ledger) -> datetime | None:
    with ledger.backend.reader() as cursor:
        value = Sql(cursor).meta("clock")
    return datetime.fromisoformat(value) if value else None
