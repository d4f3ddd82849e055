"""Turning CAD export rows into stream events, through a mapping.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is 2.
The file is streamed; what is kept is one entry per call and per incident (to make their
events once, and to check every row agrees on them) and, when the mapping closes incidents,
each incident's latest clearing time, whose IncidentClosed events come after the last row.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ledger.inputs.csv.cells import TimeReader
from ledger.inputs.csv.mapping import CLOSED, GRADED
from ledger.inputs.csv.model import CsvMapping, Stage
from ledger.inputs.csv.place import Cells
from ledger.inputs.csv.tables import MappingError
from ledger.write.records import Problem, RawRecord

MAX_ID = 200  # stream.md


def read_csv(path: Path, mapping: CsvMapping) -> Iterator[RawRecord | Problem]:
    """One RawRecord per event, or a Problem per bad cell; MappingError (raised at once, before
    any row is read) when the mapping names a column the file does not have."""
    return _Reader(path, mapping, _header(path, mapping)).records()


def _header(path: Path, mapping: CsvMapping) -> tuple[dict[str, int], int] | None:
    try:
        with path.open(encoding=mapping.encoding, newline="") as file:
            header = next(csv.reader(file, delimiter=mapping.delimiter), None)
    except UnicodeDecodeError as error:
        raise MappingError(
            "source.encoding", f"{path} is not {mapping.encoding}: {error}"
        ) from None
    if header is None:
        return None
    index: dict[str, int] = {}
    twice: set[str] = set()
    for position, name in enumerate(header):
        if name in index:
            twice.add(name)
        index.setdefault(name, position)
    for key, column in mapping.columns:
        if column not in index:
            near = difflib.get_close_matches(column, header, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise MappingError(key, f"{column!r} is not a column of {path}{hint}")
        if column in twice:
            raise MappingError(key, f"{column!r} heads more than one column of {path}")
    return index, len(header)


@dataclass(slots=True)
class _Closing:
    """What closes one incident: its latest clearing time so far, and whether every row had one."""

    at: datetime | None
    precision: str
    row: int
    outcome: str | None
    complete: bool


class _Reader:
    def __init__(
        self, path: Path, mapping: CsvMapping, header: tuple[dict[str, int], int] | None
    ) -> None:
        self.path = path
        self.origin = str(path)
        self.mapping = mapping
        self.header = header
        self.times = TimeReader(mapping.time_formats, mapping.zone)
        self.seen: dict[str, tuple[int, bytes]] = {}  # id of a per-call/incident event
        self.closing: dict[str, _Closing] = {}

    def records(self) -> Iterator[RawRecord | Problem]:
        if self.header is None:
            yield Problem(self.origin, 1, "", "the file is empty: it has no header row")
            return
        number = 1
        with self.path.open(encoding=self.mapping.encoding, newline="") as file:
            rows = csv.reader(file, delimiter=self.mapping.delimiter)
            try:
                next(rows)
                for number, row in enumerate(rows, start=2):
                    if row:
                        yield from self.row(number, row)
            except (csv.Error, UnicodeDecodeError) as error:
                yield Problem(self.origin, number + 1, "", f"cannot be read: {error}")
                return
        yield from self.closings()

    def row(self, number: int, row: list[str]) -> Iterator[RawRecord | Problem]:
        assert self.header is not None
        index, width = self.header
        if len(row) != width:
            yield Problem(self.origin, number, "", f"has {len(row)} cells, the header {width}")
            return
        cells = Cells(row, index, self.mapping.nulls, self.origin, number)
        made = self.events(cells)
        if cells.problems:
            yield from cells.problems
            return
        for column, scoped, payload in made:
            if not scoped:
                yield RawRecord(self.origin, number, payload)
                continue
            # Payloads are built in one field order, so equal content has one repr.
            digest = hashlib.blake2b(repr(payload).encode(), digest_size=16).digest()
            first = self.seen.setdefault(payload["id"], (number, digest))
            if first[0] == number:
                yield RawRecord(self.origin, number, payload)
            elif first[1] != digest:
                reason = f"differs from row {first[0]}, which made {payload['id']}"
                yield Problem(self.origin, number, column, f"{reason}: one call, one account")

    def events(self, cells: Cells) -> list[tuple[str, bool, dict[str, Any]]]:
        """(column to blame, made once per call/incident?, payload) for each event of the row."""
        keys = self.mapping.keys
        ids: dict[str, str] = {}
        for field, column in (
            ("incident", keys.incident),
            ("call", keys.call),
            ("unit", keys.unit),
        ):
            if column is not None:
                ids[field] = cells.text(column, required=True) or ""
        ids["row"] = "-".join(cells.text(column, required=True) or "" for column in keys.row)
        made: list[tuple[str, bool, dict[str, Any]]] = []
        cleared: tuple[datetime, str] | None = None
        for stage in self.mapping.stages:
            found = cells.time(self.times, stage.column, stage.required)
            if found is not None:
                made.append(
                    (stage.column, stage.scope != "row", self.stage(cells, stage, ids, *found))
                )
            if self.mapping.closing is not None and stage.name == self.mapping.closing.stage:
                cleared = found
        if self.mapping.grading is not None and (graded := self.grade(cells, ids)) is not None:
            made.append((self.mapping.grading.column, True, graded))
        if self.mapping.closing is not None and not cells.problems:
            self.note_closing(ids["incident"], cleared, cells)
        return made

    def stage(
        self, cells: Cells, stage: Stage, ids: dict[str, str], at: datetime, precision: str
    ) -> dict[str, Any]:
        owner = ids[stage.scope]  # the row key, the call or the incident
        payload = self.envelope(f"{owner}:{stage.name}", stage.event, at, precision, cells)
        if stage.recorded_at is not None:
            recorded = cells.time(self.times, stage.recorded_at, False)
            if recorded is not None and recorded[0] < at:
                cells.problem(stage.recorded_at, f"is earlier than {stage.column}")
            elif recorded is not None:
                payload["recorded_at"] = recorded[0].isoformat()
        payload.update({field: ids[field] for field in stage.places})
        payload.update(stage.fields)
        for field, column in stage.columns.items():
            if (value := cells.text(column)) is not None:
                payload[field] = value
        if stage.location and (place := cells.location(self.mapping.place)) is not None:
            payload["location"] = place
        return payload

    def grade(self, cells: Cells, ids: dict[str, str]) -> dict[str, Any] | None:
        grading = self.mapping.grading
        assert grading is not None
        value = cells.text(grading.column, required=True)
        found = cells.time(self.times, grading.at, True)
        if value is None or found is None:
            return None
        grade = grading.values.get(value)
        if grade is None:
            shown = ", ".join(grading.values)
            cells.problem(grading.column, f"{value!r} is not a value of grade.values ({shown})")
            return None
        incident = ids["incident"]
        payload = self.envelope(f"{incident}:{GRADED}", "IncidentGraded", *found, cells)
        payload |= {"incident": incident, "grade": grade, "rationale": f"{grading.column} {value}"}
        return payload

    def envelope(
        self, owner: str, event: str, at: datetime, precision: str, cells: Cells
    ) -> dict[str, Any]:
        event_id = f"{self.mapping.name}:{owner}"
        if len(event_id) > MAX_ID:
            cells.problem("", f"makes the event id {event_id[:60]!r}…, over {MAX_ID} characters")
        payload: dict[str, Any] = {"id": event_id, "type": event, "at": at.isoformat()}
        if precision != "second":
            payload["precision"] = precision
        payload.update(self.mapping.defaults)
        return payload

    def note_closing(
        self, incident: str, cleared: tuple[datetime, str] | None, cells: Cells
    ) -> None:
        assert self.mapping.closing is not None
        column = self.mapping.closing.outcome
        outcome = cells.text(column) if column is not None else None
        state = self.closing.get(incident)
        if state is None:
            state = self.closing[incident] = _Closing(None, "second", cells.number, outcome, True)
        if cleared is None:
            state.complete = False  # a unit never cleared: as far as the record goes, still open
        elif state.at is None or cleared[0] > state.at:
            state.at, state.precision = cleared
            state.row, state.outcome = cells.number, outcome

    def closings(self) -> Iterator[RawRecord | Problem]:
        rule = self.mapping.closing
        if rule is None:
            return
        for incident, state in self.closing.items():
            if not state.complete or state.at is None:
                continue
            outcome = state.outcome or rule.default_outcome
            if outcome is None:
                reason = "null where the incident's closing outcome is required"
                yield Problem(self.origin, state.row, rule.outcome or "", reason)
                continue
            cells = Cells([], {}, frozenset(), self.origin, state.row)
            owner = f"{incident}:{CLOSED}"
            payload = self.envelope(owner, "IncidentClosed", state.at, state.precision, cells)
            payload |= {"incident": incident, "outcome": outcome}
            yield from cells.problems
            if not cells.problems:
                yield RawRecord(self.origin, state.row, payload)
