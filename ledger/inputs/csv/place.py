"""One row's cells by column name, the problems found reading them, and the row's location."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.inputs.csv.cells import TimeReader, read_lat_lon, read_number, read_point
from ledger.inputs.csv.model import Place
from ledger.write.records import Problem


class Cells:
    """Reads cells of one row; each bad cell becomes a Problem naming its column."""

    def __init__(
        self, row: list[str], index: dict[str, int], nulls: frozenset[str], origin: str, number: int
    ) -> None:
        self.row = row
        self.index = index
        self.nulls = nulls
        self.origin = origin
        self.number = number
        self.problems: list[Problem] = []
        self._place: dict[str, Any] | None = None
        self._place_read = False

    def problem(self, column: str, reason: str) -> None:
        found = Problem(self.origin, self.number, column, reason)
        if found not in self.problems:  # a cell read twice (a key and a row key) is one problem
            self.problems.append(found)

    def text(self, column: str, *, required: bool = False) -> str | None:
        """The cell, or None for a null literal (a Problem too when a value is required)."""
        value = self.row[self.index[column]]
        if value in self.nulls:
            if required:
                self.problem(column, f"null ({value!r}) where a value is required")
            return None
        return value

    def time(self, reader: TimeReader, column: str, required: bool) -> tuple[datetime, str] | None:
        text = self.text(column, required=required)
        if text is None:
            return None
        try:
            return reader.read(text)
        except ValueError as error:
            self.problem(column, str(error))
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
