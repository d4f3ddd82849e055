"""What a loaded mapping holds (docs/mapping.md describes the TOML it comes from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from ledger.inputs.csv.tables import Scalar

Scope = Literal["row", "call", "incident"]
UnitKind = Literal["vehicle", "station"]
CloseRule = Literal["last-unit-available", "column"]
ROW_NUMBER = "@row"  # a key made of the row's number instead of its cells


@dataclass(frozen=True, slots=True)
class Key:
    """A reference read from a row: one column, several joined with "-", or the row's number."""

    columns: tuple[str, ...]  # empty when by_row

    @property
    def by_row(self) -> bool:
        return not self.columns


@dataclass(frozen=True, slots=True)
class Keys:
    incident: Key
    call: Key | None
    unit: str | None  # column
    row: Key | None  # the unit events' ids: unique to a row (wide) or a unit's response (long)
    unit_optional: bool  # a null unit makes no unit events instead of a problem
    unit_kind: UnitKind  # "station": the unit column names where units come from, not which


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """How one column's cells read: extra null literals, a value map, its own time formats."""

    nulls: frozenset[str] = frozenset()
    values: dict[str, str] | None = None
    default: str | None = None  # the value of a cell not in `values`; None: a problem
    time_formats: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Place:
    address: tuple[str, ...]  # non-null cells joined with ", "
    point: str | None  # WKT "POINT (lon lat)"
    lat: str | None
    lon: str | None


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    column: tuple[str, ...]  # the time cell, or cells joined with a space (date, time)
    event: str
    scope: Scope  # one event per row, per call (first row) or per incident (first row)
    places: tuple[str, ...]  # which of incident, call, unit the event names
    required: bool
    recorded_at: str | None
    location: bool
    fields: dict[str, Scalar]
    columns: dict[str, str]  # event field -> column
    unit_optional: bool
    by_status: bool = False  # made only by rows whose status code names this stage


@dataclass(frozen=True, slots=True)
class Status:
    """A long export: each row is one status change, and its code says which stage it is."""

    column: str
    codes: dict[str, str]  # status code -> stage name
    ignore: frozenset[str]


@dataclass(frozen=True, slots=True)
class Grading:
    column: str
    at: str
    values: dict[str, str] | None  # cell -> grade code; None: the cell is the grade code


@dataclass(frozen=True, slots=True)
class Closing:
    rule: CloseRule
    stage: str | None  # last-unit-available: the UnitCleared stage whose latest time closes
    column: str | None  # column: the time column that closes the incident
    outcome: str | None  # column
    default_outcome: str | None


@dataclass(frozen=True, slots=True)
class CsvMapping:
    name: str
    zone: ZoneInfo | None
    time_formats: tuple[str, ...]
    nulls: frozenset[str]
    encoding: str
    delimiter: str
    keys: Keys
    defaults: dict[str, Scalar]
    place: Place | None
    stages: tuple[Stage, ...]
    grading: Grading | None
    closing: Closing | None
    status: Status | None = None
    rules: dict[str, ColumnRule] = field(default_factory=dict)  # column -> how it reads
    # (key, column): every column read, for the header check
    columns: tuple[tuple[str, str], ...] = ()
