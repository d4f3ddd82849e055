"""Turning CAD export rows into stream events, through a mapping.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is 2.
The file is streamed. What is kept is one entry per call and per incident event (to make it
once, and to check every row agrees on it: its id, the row that made it and a 64-bit digest of
its content) and, when the mapping closes incidents, each incident's closing so far, whose
IncidentClosed events come after the last row: memory grows with incidents, not rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import orjson

from ledger.inputs.csv.closing import Closings
from ledger.inputs.csv.columns import Columns, check_header, read_header
from ledger.inputs.csv.model import CsvMapping
from ledger.inputs.csv.place import Cells
from ledger.inputs.csv.row_events import MAX_ID, RowEvents, id_too_long
from ledger.inputs.csv.tables import Complaints
from ledger.write.records import Problem, RawRecord

_DIGEST = (1 << 64) - 1


def read_csv(
    path: Path, mapping: CsvMapping, *, rows: int | None = None
) -> Iterator[RawRecord | Problem]:
    """One RawRecord per event, or a Problem per bad cell; MappingError (raised at once, before
    any row is read) when the file lacks a column the mapping names. `rows`: read only the
    first so many data rows (and close incidents as if the file ended there)."""
    columns = header_columns(path, mapping)
    if columns is None:
        return iter([Problem(str(path), 1, "", "the file is empty: it has no header row")])
    return _Reader(path, mapping, columns, rows).records()


def header_columns(path: Path, mapping: CsvMapping) -> Columns | None:
    """How the file's columns read, or None for an empty file; MappingError when the header
    lacks a column the mapping names."""
    header = read_header(path, mapping.encoding, mapping.delimiter)
    if header is None:
        return None
    complaints = Complaints()
    index = check_header(header, path, mapping.columns, complaints)
    complaints.raise_any()
    return Columns(mapping, index, len(header))


class _Reader:
    def __init__(self, path: Path, mapping: CsvMapping, columns: Columns, limit: int | None):
        self.path = path
        self.origin = str(path)
        self.mapping = mapping
        self.columns = columns
        self.limit = limit
        self.closings = Closings(per_response=mapping.status is not None)
        self.make = RowEvents(mapping, self.closings)
        # id of a call or incident event -> (first row << 64) | digest of its content
        self.seen: dict[str, int] = {}

    def records(self) -> Iterator[RawRecord | Problem]:
        number = 1
        last = (self.limit or 0) + 1
        with self.path.open(encoding=self.mapping.encoding, newline="") as file:
            rows = csv.reader(file, delimiter=self.mapping.delimiter)
            try:
                next(rows)
                for number, row in enumerate(rows, start=2):
                    if row:
                        yield from self.row(number, row)
                    if number == last:
                        break
            except (csv.Error, UnicodeDecodeError) as error:
                yield Problem(self.origin, number + 1, "", f"cannot be read: {error}")
                return
        yield from self.closed()

    def row(self, number: int, row: list[str]) -> Iterator[RawRecord | Problem]:
        if len(row) != self.columns.width:
            reason = f"has {len(row)} cells, the header {self.columns.width}"
            yield Problem(self.origin, number, "", reason)
            return
        cells = Cells(row, self.columns, self.origin, number)
        made = self.make.events(cells)
        if cells.problems:
            yield from cells.problems
            return
        for column, scoped, payload in made:
            if not scoped:
                yield RawRecord(self.origin, number, payload)
                continue
            # Python's hash is stable within a run, and a run is all this memory serves.
            digest = hash(orjson.dumps(payload)) & _DIGEST
            first = self.seen.setdefault(payload["id"], (number << 64) | digest)
            if first >> 64 == number:
                yield RawRecord(self.origin, number, payload)
            elif first & _DIGEST != digest:
                reason = f"differs from row {first >> 64}, which made {payload['id']}"
                yield Problem(self.origin, number, column, f"{reason}: one call, one account")

    def closed(self) -> Iterator[RawRecord | Problem]:
        rule = self.mapping.closing
        if rule is None:
            return
        for incident, at, precision, row, given in self.closings.closed():
            outcome = given or rule.default_outcome
            if outcome is None:
                reason = "null where the incident's closing outcome is required"
                yield Problem(self.origin, row, rule.outcome or "", reason)
                continue
            payload = self.make.closing(incident, at, precision, outcome)
            if len(payload["id"]) > MAX_ID:
                yield Problem(self.origin, row, "", id_too_long(payload["id"]))
            else:
                yield RawRecord(self.origin, row, payload)
