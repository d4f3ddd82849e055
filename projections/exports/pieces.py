"""What every export is made of, one incident at a time: its timeline lines, its findings and
the deadlines still running, read from the read models or computed (`sources`).

A `Line` is a timeline entry as exports show it: the event's own instant (with the offset it
was recorded with) and precision, who, source, what happened and what it changed in full, the
corrections apart, and the event as imported with corrections applied. Both sources build it
from the same two things the read side gives, `Entry.row()` and `Entry.to_json()`, so a
stored and a computed export of the same view are the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.events import COARSE_PRECISIONS
from ledger.instants import read_instant
from projections.analysis.compute import IncidentView
from projections.analysis.findings import Finding, Pending

CORRECTED = "\n  corrected"  # how `Entry.row()` appends each correction to what happened


@dataclass(frozen=True)
class Line:
    event_id: str
    type: str
    at: datetime
    precision: str
    recorded_at: datetime | None
    by: str
    source: str
    what: str
    change: str
    corrections: tuple[str, ...]  # "corrected by X: field 'old' → 'new' (reason)"
    body: dict[str, Any]  # the event as imported, corrections applied

    @property
    def approximate(self) -> bool:
        return self.precision in COARSE_PRECISIONS

    @property
    def names(self) -> tuple[str, ...]:
        """The incidents the event itself names (a diversion names two)."""
        body = self.body
        return tuple(
            str(body[key])
            for key in ("incident", "from_incident", "to_incident", "linked")
            if isinstance(body.get(key), str)
        )


def line_of(row: dict[str, str], body: dict[str, Any]) -> Line:
    """A `Line` from a timeline row for people and the event as imported."""
    what, *fixes = row["what happened"].split(CORRECTED)
    recorded = body.get("recorded_at")
    return Line(
        event_id=str(body["id"]),
        type=str(body["type"]),
        at=read_instant(body["at"]),
        precision=str(body.get("precision", "second")),
        recorded_at=read_instant(recorded) if isinstance(recorded, str) else None,
        by=row["who"],
        source=str(body.get("source") or ""),
        what=what,
        change=row["what it changed"],
        corrections=tuple("corrected" + fix for fix in fixes),
        body=body,
    )


@dataclass(frozen=True)
class IncidentPiece:
    """One incident of the export, as it stands in the view."""

    incident: str
    first_call: datetime | None
    grade: str | None
    status: str
    units: tuple[str, ...]  # every unit that served it, sorted
    lines: tuple[Line, ...]
    findings: tuple[Finding, ...]
    pending: tuple[Pending, ...]
    computed: IncidentView | None = None  # states after each entry, when computed

    @property
    def first_call_approximate(self) -> bool:
        return any(
            line.type == "CallReceived" and line.at == self.first_call and line.approximate
            for line in self.lines
        )

    def order(self) -> str:
        """Where it goes in an export: by first call (none last), then by reference."""
        if self.first_call is None:
            return f"1|{self.incident}"
        return f"0|{utc_key(self.first_call)}|{self.incident}"


def utc_key(moment: datetime) -> str:
    """A sortable text for an instant (microseconds since the epoch, zero-padded)."""
    seconds = moment.timestamp()
    return f"{round(seconds * 1_000_000) + 10**17:019d}"


@dataclass
class Chunk:
    """What one step of a source gives: incidents, findings and deadlines of no incident, and
    the stored events they rest on (a selection's; a whole-ledger export reads every event)."""

    pieces: list[IncidentPiece]
    loose: list[Finding]
    loose_pending: list[Pending]
    lines: list[Any]  # StoredLine
