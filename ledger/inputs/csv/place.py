"""One row's cells by column name, the problems found reading them, and the row's location."""

from __future__ import annotations

from typing import Any

from ledger.inputs.csv.cells import Reading, read_lat_lon, read_number, read_point
from ledger.inputs.csv.columns import Columns
from ledger.inputs.csv.model import Place
from ledger.inputs.csv.tables import toml_key
from ledger.write.records import Problem


def values_key(column: str) -> str:
    """The mapping key of a column's value map, as a TOML path: columns."Call Type".values."""
    return f"columns.{toml_key(column)}.values"


class Cells:
    """Reads cells of one row; each bad cell becomes a Problem naming its column."""

    def __init__(self, row: list[str], columns: Columns, origin: str, number: int) -> None:
        self.row = row
        self.columns = columns.by_name
        self.joined_times = columns.times
        self.origin = origin
        self.number = number
        self.problems: list[Problem] = []
        self._place: dict[str, Any] | None = None
        self._place_read = False

    def problem(self, column: str, reason: str) -> None:
        found = Problem(self.origin, self.number, column, reason)
        if found not in self.problems:  # a cell read twice (a key and a row key) is one problem
            self.problems.append(found)

    def raw(self, column: str) -> str:
        """The cell as written."""
        return self.row[self.columns[column].position]

    def text(self, column: str, *, required: bool = False) -> str | None:
        """The cell through its value map, or None for a null literal (a Problem too when a
        value is required, or when the value map has no entry and no default for it)."""
        rule = self.columns[column]
        value = self.row[rule.position]
        if value in rule.nulls:
            if required:
                self.problem(column, f"null ({value!r}) where a value is required")
            return None
        if rule.values is None:
            return value
        mapped = rule.values.get(value, rule.default)
        if mapped is None:
            shown = ", ".join(rule.values)
            self.problem(column, f"{value!r} is not a value of {values_key(column)} ({shown})")
        return mapped

    def time(self, columns: tuple[str, ...], required: bool) -> Reading | None:
        """The time in one cell, or in several joined with a space (a date cell, a time cell)."""
        if len(columns) == 1:
            rule = self.columns[columns[0]]
            text: str | None = self.row[rule.position]
            if text in rule.nulls or rule.values is not None:  # the slower way, seldom taken
                text = self.text(columns[0], required=required)
            reader = rule.times
        else:
            text, reader = self._joined(columns, required), self.joined_times
        if text is None:
            return None
        try:
            return reader.read(text)
        except ValueError as error:
            self.problem(" + ".join(columns), str(error))
            return None

    def _joined(self, columns: tuple[str, ...], required: bool) -> str | None:
        parts = [self.text(column) for column in columns]
        given = [part for part in parts if part is not None]
        if len(given) == len(parts):
            return " ".join(given)
        if given:
            named = columns[[part is not None for part in parts].index(True)]
            self.problem(columns[parts.index(None)], f"null while {named} has a value")
        elif required:
            self.problem(columns[0], "null where a value is required")
        return None

    def location(self, place: Place | None) -> dict[str, Any] | None:
        """The stream's location {address, lat, lon} from the row, or None when it has none."""
        if place is None:
            return None
        if not self._place_read:
            self._place_read = True
            self._place = self._read_location(place) or None
        return self._place

    def _read_location(self, place: Place) -> dict[str, Any]:
        found: dict[str, Any] = {}
        parts = [self.text(column) for column in place.address]
        if address := ", ".join(part for part in parts if part):
            found["address"] = address
        if place.point is not None and (text := self.text(place.point)) is not None:
            try:
                point = read_point(text)
            except ValueError as error:
                self.problem(place.point, str(error))
                point = None
            if point is not None:
                found["lat"], found["lon"] = point
        elif place.lat is not None and place.lon is not None:
            lat, lon = self._number(place.lat), self._number(place.lon)
            if lat is not None and lon is not None:
                try:
                    found["lat"], found["lon"] = read_lat_lon(lat, lon, f"{lat} {lon}")
                except ValueError as error:
                    self.problem(place.lat, str(error))
        return found

    def _number(self, column: str) -> float | None:
        text = self.text(column)
        if text is None:
            return None
        try:
            return read_number(text)
        except ValueError as error:
            self.problem(column, str(error))
            return None
