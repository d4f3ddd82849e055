"""What a loaded mapping holds (mappings/README.md describes the TOML it comes from)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from ledger.inputs.csv.tables import Scalar

Scope = Literal["row", "call", "incident"]


@dataclass(frozen=True, slots=True)
class Keys:
    incident: str
    call: str | None
    unit: str | None
    row: tuple[str, ...]  # joined with "-" into the row key


@dataclass(frozen=True, slots=True)
class Place:
    address: tuple[str, ...]  # non-null cells joined with ", "
    point: str | None  # WKT "POINT (lon lat)"
    lat: str | None
    lon: str | None


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    column: str
    event: str
    scope: Scope  # one event per row, per call (first row) or per incident (first row)
    places: tuple[str, ...]  # which of incident, call, unit the event names
    required: bool
    recorded_at: str | None
    location: bool
    fields: dict[str, Scalar]
    columns: dict[str, str]  # event field -> column


@dataclass(frozen=True, slots=True)
class Grading:
    column: str
    at: str
    values: dict[str, str]  # cell -> grade code


@dataclass(frozen=True, slots=True)
class Closing:
    rule: str
    stage: str  # the UnitCleared stage whose latest time closes the incident
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
    columns: tuple[tuple[str, str], ...]  # (key, column): every column read, for the header check
