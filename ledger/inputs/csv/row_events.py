"""The events one row makes: its references, each stage's event, its grading, and what it says
about the incident's closing.

Ids are `NAME:OWNER:STAGE`, the owner being the row key (unit events), the call (call events)
or the incident (grading `graded`, closing `closed`), so the same file always gives the same
ids. A time of day without a date is dated from the stage before it in the row (next day when
earlier); the grading's from the row's first stage time, the closing's from its last.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from ledger.inputs.csv.cells import Reading, instant, on_or_after
from ledger.inputs.csv.closing import Closings
from ledger.inputs.csv.mapping_events import CLOSED, GRADED
from ledger.inputs.csv.model import CsvMapping, Key, Stage
from ledger.inputs.csv.place import Cells

MAX_ID = 200  # stream.md
Made = tuple[str, bool, dict[str, Any]]  # (column to blame, once per call/incident?, payload)


class RowEvents:
    """Turns one row's cells into payloads, noting closings in `closings`."""

    def __init__(self, mapping: CsvMapping, closings: Closings) -> None:
        self.mapping = mapping
        self.closings = closings
        self.keys = mapping.keys
        self.station = mapping.keys.unit_kind == "station"
        self.prefix = f"{mapping.name}:"
        # Each stage's fixed fields, defaults first: a stage's own fields win.
        self.fixed = {stage.name: mapping.defaults | stage.fields for stage in mapping.stages}
        closing = mapping.closing
        self.clearing = closing.stage if closing is not None else None
        self.close_column = closing.column if closing is not None else None

    def key(self, cells: Cells, key: Key) -> str:
        if key.by_row:
            return f"{cells.number}"
        if len(key.columns) == 1:
            return cells.text(key.columns[0], required=True) or ""
        return "-".join(cells.text(column, required=True) or "" for column in key.columns)

    def reference(self, cells: Cells, key: Key) -> str:
        """An incident or call reference: "@row" gives NAME-ROW, which no other source shares."""
        return f"{self.mapping.name}-{cells.number}" if key.by_row else self.key(cells, key)

    def status_stage(self, cells: Cells) -> str | None:
        """The stage a status log row makes, or None when its code is ignored or unknown."""
        status = self.mapping.status
        assert status is not None
        code = cells.text(status.column, required=True)
        if code is None or code in status.ignore:
            return None
        stage = status.codes.get(code)
        if stage is None:
            known = ", ".join(status.codes)
            cells.problem(status.column, f"{code!r} is not a code of status.codes ({known}) "
                          "nor in status.ignore")  # fmt: skip
        return stage

    def events(self, cells: Cells) -> list[Made]:
        only = None
        if self.mapping.status is not None and (only := self.status_stage(cells)) is None:
            return []
        keys = self.keys
        incident = self.reference(cells, keys.incident)
        call = self.reference(cells, keys.call) if keys.call is not None else None
        unit = cells.text(keys.unit) if keys.unit is not None else None
        ids: dict[str, Any] = {"incident": incident, "call": call, "unit": unit}
        if self.station and unit is not None:
            ids["unit"] = f"{unit}@{call or incident}"  # that station's resource on that call
            ids["station"] = unit
        made: list[Made] = []
        first: datetime | None = None
        previous: datetime | None = None
        cleared: tuple[datetime, str] | None = None
        for stage in self.mapping.stages:
            if only is not None and stage.by_status and stage.name != only:
                continue
            if stage.scope == "row" and unit is None:
                self.unitless(cells, stage)
                continue
            found = self.dated(cells, stage.column, stage.required, previous)
            if found is None:
                continue
            at, precision = found
            first, previous = first or at, at
            if stage.name == self.clearing:
                cleared = (at, precision)
            if stage.scope == "row" and "row" not in ids:
                ids["row"] = self.key(cells, keys.row) if keys.row is not None else ""
            payload = self.stage(cells, stage, ids, at, precision)
            made.append((stage.column[-1], stage.scope != "row", payload))
        if self.mapping.grading is not None and (graded := self.grade(cells, incident, first)):
            made.append((self.mapping.grading.column, True, graded))
        if not cells.problems:
            self.note_closing(cells, incident, ids, unit, cleared, previous)
        return made

    def unitless(self, cells: Cells, stage: Stage) -> None:
        """A row with no unit makes no unit event; a problem unless the stage allows it."""
        if stage.unit_optional or self.keys.unit is None:
            return
        if stage.required or cells.text(stage.column[0]) is not None:
            cells.text(self.keys.unit, required=True)  # the problem: whose event would it be?

    def dated(
        self, cells: Cells, columns: tuple[str, ...], required: bool, anchor: datetime | None
    ) -> tuple[datetime, str] | None:
        found: Reading | None = cells.time(columns, required)
        if found is None:
            return None
        at, precision = found
        if isinstance(at, time):
            if anchor is None:
                cells.problem(" + ".join(columns), "is a time of day, and no stage before it in "
                              "the row has a date to give it")  # fmt: skip
                return None
            try:
                at = on_or_after(at, anchor, self.mapping.zone)
            except ValueError as error:
                cells.problem(" + ".join(columns), str(error))
                return None
        return at, precision

    def stage(
        self, cells: Cells, stage: Stage, ids: dict[str, Any], at: datetime, precision: str
    ) -> dict[str, Any]:
        event_id = f"{self.prefix}{ids[stage.scope]}:{stage.name}"  # row key, call or incident
        if len(event_id) > MAX_ID:
            cells.problem("", id_too_long(event_id))
        payload: dict[str, Any] = {"id": event_id, "type": stage.event, "at": at.isoformat()}
        if precision != "second":
            payload["precision"] = precision
        payload.update(self.fixed[stage.name])
        if stage.recorded_at is not None:
            recorded = self.dated(cells, (stage.recorded_at,), False, at)
            if recorded is not None and instant(recorded[0]) < instant(at):
                cells.problem(stage.recorded_at, f"is earlier than {' + '.join(stage.column)}")
            elif recorded is not None:
                payload["recorded_at"] = recorded[0].isoformat()
        for field in stage.places:
            payload[field] = ids[field]
        if self.station and stage.scope == "row":
            payload["station"] = ids["station"]
        for field, column in stage.columns.items():
            if (value := cells.text(column)) is not None:
                payload[field] = value
        if stage.location and (place := cells.location(self.mapping.place)) is not None:
            payload["location"] = place
        return payload

    def grade(self, cells: Cells, incident: str, first: datetime | None) -> dict[str, Any] | None:
        grading = self.mapping.grading
        assert grading is not None
        value = cells.text(grading.column, required=True)
        found = self.dated(cells, (grading.at,), True, first)
        if value is None or found is None:
            return None
        grade = value if grading.values is None else grading.values.get(value)
        if grade is None:
            shown = ", ".join(grading.values or ())
            cells.problem(grading.column, f"{value!r} is not a value of grade.values ({shown})")
            return None
        payload = self.envelope(f"{incident}:{GRADED}", "IncidentGraded", *found, cells)
        raw = cells.raw(grading.column)  # the cell as written, before any value map
        payload |= {"incident": incident, "grade": grade, "rationale": f"{grading.column} {raw}"}
        return payload

    def envelope(
        self, owner: str, event: str, at: datetime, precision: str, cells: Cells | None
    ) -> dict[str, Any]:
        """id, type, at, precision and the defaults; an id too long is a problem of the row."""
        event_id = f"{self.mapping.name}:{owner}"
        if len(event_id) > MAX_ID and cells is not None:
            cells.problem("", id_too_long(event_id))
        payload: dict[str, Any] = {"id": event_id, "type": event, "at": at.isoformat()}
        if precision != "second":
            payload["precision"] = precision
        payload.update(self.mapping.defaults)
        return payload

    def note_closing(
        self,
        cells: Cells,
        incident: str,
        ids: dict[str, Any],
        unit: str | None,
        cleared: tuple[datetime, str] | None,
        last: datetime | None,
    ) -> None:
        closing = self.mapping.closing
        if closing is None:
            return
        outcome = cells.text(closing.outcome) if closing.outcome is not None else None
        if self.close_column is not None:
            found = self.dated(cells, (self.close_column,), False, last)
            if found is None:
                self.closings.seen(incident)
            else:
                self.closings.closes_at(incident, *found, cells.number, outcome)
        elif unit is not None:
            response = ids.get("row")
            if response is None and self.keys.row is not None:
                response = self.key(cells, self.keys.row)
            self.closings.response(incident, response or "", cleared, cells.number, outcome)

    def closing(self, incident: str, at: datetime, precision: str, outcome: str) -> dict[str, Any]:
        """The IncidentClosed of an incident, made after the last row."""
        payload = self.envelope(f"{incident}:{CLOSED}", "IncidentClosed", at, precision, None)
        payload |= {"incident": incident, "outcome": outcome}
        return payload


def id_too_long(event_id: str) -> str:
    return f"makes the event id {event_id[:60]!r}…, over {MAX_ID} characters"
