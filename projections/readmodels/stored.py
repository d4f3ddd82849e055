"""Reading the persisted read models: no event models, no event store machinery loaded.

These are the hot paths of the read commands (`incidents`, the default `timeline` and
`findings`): plain SQL over the read-model tables, after a cheap check that nothing was
appended since the last catch-up (and the catch-up itself, loaded only when it is needed).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.errors import StoreError, UsageError
from ledger.store.ledger import Ledger
from projections.readmodels.tables import NAME, SCHEMA_VERSION, Sql, utc


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


@dataclass(frozen=True)
class Clock:
    """How a view is taken: at a moment, or as known at a moment, or now (the ledger's clock)."""

    at: datetime | None = None
    as_known_at: datetime | None = None

    @property
    def default(self) -> bool:
        return self.at is None and self.as_known_at is None


def refresh(ledger: Ledger) -> None:
    """Bring the read models up to date with events another writer may have added.

    Read models written by another version of the ledger are rebuilt from the events.
    """
    if not _current_schema(ledger):
        from projections.readmodels.catchup import rebuild

        rebuild(ledger)
    elif ledger.backend.behind(NAME):
        from projections.readmodels.catchup import catch_up

        catch_up(ledger)


def _current_schema(ledger: Ledger) -> bool:
    try:
        with ledger.backend.reader() as cursor:
            return Sql(cursor).meta("schema") == SCHEMA_VERSION
    except StoreError:  # no read-model tables yet
        return False


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
    with ledger.backend.reader() as cursor:
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
    with ledger.backend.reader() as cursor:
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
    with ledger.backend.reader() as cursor:
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


def timeline_rows(ledger: Ledger, incident: str) -> list[tuple[str, str]]:
    """The incident's stored timeline: (row for people, event) as JSON texts, in order."""
    with ledger.backend.reader() as cursor:
        rows = Sql(cursor).rows(
            "SELECT row, body FROM rm_timeline WHERE incident = ? ORDER BY position", (incident,)
        )
    return [(r["row"], r["body"]) for r in rows]


def finding_bodies(ledger: Ledger, only: Collection[str] | None = None) -> list[str]:
    """Stored findings as JSON texts, by start instant, then incident, then code."""
    statement = "SELECT body FROM rm_findings"
    order = " ORDER BY start_utc, incident, code, owner, position"
    with ledger.backend.reader() as cursor:
        sql = Sql(cursor)
        if only is None:
            rows = sql.rows(statement + order)
        else:
            rows = sql.where_in(statement + " WHERE owner IN ({marks})" + order, list(only))
    return [row["body"] for row in rows]
