"""A declarative CSV mapping (docs/mapping.md): loaded and checked whole before any row is read.

Everything that can be checked without the CSV is checked here, each complaint naming its key;
given the export too, the columns are checked against its header. Every complaint is listed
at once (`MappingError.problems`), as an import lists every bad line.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import replace
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ledger.inputs.csv.cells import NAMED_FORMATS, format_problem
from ledger.inputs.csv.columns import check_header, read_header
from ledger.inputs.csv.mapping_events import EventsLoader
from ledger.inputs.csv.model import (
    ROW_NUMBER,
    ColumnRule,
    CsvMapping,
    Key,
    Keys,
    Place,
    Stage,
    Status,
    UnitKind,
)
from ledger.inputs.csv.tables import Complaints, MappingError, Table

UNIT_KINDS: tuple[UnitKind, ...] = ("vehicle", "station")
TABLES = ("source", "keys", "columns", "defaults", "location", "stages", "status", "grade", "close")


def load_mapping(
    path: Path, *, timezone: str | None = None, export: Path | None = None
) -> CsvMapping:
    """Load and check a mapping; `timezone` (an IANA name) overrides the mapping's own. With
    `export`, its header must hold every column the mapping names. MappingError lists all."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError("", f"cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError("", f"{path} is not a TOML file: {error}") from None
    loader = _Loader(data)
    mapping = loader.load(timezone)
    complaints = loader.complaints
    encoding, delimiter = loader.encoding, loader.delimiter
    if export is not None and encoding is not None and delimiter is not None:
        # Checked even when the mapping has other mistakes: one run names them all.
        header = complaints.attempt(lambda: read_header(export, encoding, delimiter))
        if header is not None:
            check_header(header, export, tuple(loader.refs), complaints)
    complaints.raise_any()
    assert mapping is not None  # no complaint means every part loaded
    return mapping


class _Loader(EventsLoader):
    def __init__(self, data: dict[str, object]) -> None:
        complaints = Complaints()
        super().__init__(Table(dict(data), "", complaints).only(*TABLES), complaints)
        self.encoding: str | None = None
        self.delimiter: str | None = None

    def need(self, name: str) -> Table | None:
        table = self.attempt(lambda: self.root.table(name))
        if table is None and name not in self.root.data:
            self.complaints.add(name, "required table")
        return table

    def load(self, timezone: str | None) -> CsvMapping | None:
        source = self.need("source")
        if source is not None:
            source.only("name", "timezone", "time_formats", "nulls", "encoding", "delimiter")
        name = self.attempt(lambda: source.text("name")) if source else None
        formats = self.attempt(lambda: self.formats(source, "time_formats")) if source else None
        nulls = self.attempt(lambda: frozenset(source.texts("nulls", ("",)))) if source else None
        encoding = self.encoding = self.attempt(lambda: _encoding(source)) if source else None
        delimiter = self.delimiter = self.attempt(lambda: _delimiter(source)) if source else None
        keys = self.attempt(self.keys)
        rules = self.attempt(self.rules) or {}
        every = [formats or (), *(rule.time_formats or () for rule in rules.values())]
        local = any(_needs_zone(fmt) for group in every for fmt in group)
        zone = self.attempt(lambda: _zone(source, timezone, needed=local)) if source else None
        defaults = self.attempt(lambda: self.defaults(self.root.scalars("defaults"))) or {}
        place = self.attempt(self.place)
        stages = self.stages(keys, place, defaults) if keys is not None else ()
        status = self.attempt(lambda: self.status(stages, keys))
        if status is not None:
            reached = set(status.codes.values())
            stages = tuple(replace(s, by_status=s.name in reached) for s in stages)
        grading = self.attempt(lambda: self.grading(defaults))
        closing = self.attempt(lambda: self.closing(stages, defaults))
        if self.complaints.found or name is None or formats is None or nulls is None:
            return None
        if encoding is None or delimiter is None or keys is None:
            return None  # each has complained already
        return CsvMapping(
            name, zone, formats, nulls, encoding, delimiter, keys, defaults, place, stages,
            grading, closing, status, rules, tuple(self.refs),
        )  # fmt: skip

    def formats(self, table: Table, name: str) -> tuple[str, ...]:
        formats = table.texts(name)
        if not formats:
            raise MappingError(table.key(name), "give at least one format")
        for index, fmt in enumerate(formats):
            if (problem := format_problem(fmt)) is not None:
                self.complaints.add(f"{table.key(name)}[{index}]", problem)
        return formats

    def key(self, table: Table, name: str, *, required: bool = False) -> Key | None:
        if required and name not in table.data:
            raise MappingError(table.key(name), "required")
        columns = table.columns(name)
        if columns is None:
            return None
        if ROW_NUMBER in columns:
            if len(columns) > 1:
                raise MappingError(table.key(name), f"{ROW_NUMBER!r} stands alone, not in a list")
            return Key(())
        self.listed(table, name, columns)
        return Key(columns)

    def keys(self) -> Keys | None:
        table = self.need("keys")
        if table is None:
            return None
        table.only("incident", "call", "unit", "row", "unit_optional", "unit_kind")
        incident = self.attempt(lambda: self.key(table, "incident", required=True))
        call = self.attempt(lambda: self.key(table, "call"))
        row = self.attempt(lambda: self.key(table, "row"))
        unit = self.attempt(lambda: self.maybe_column(table, "unit"))
        if unit == ROW_NUMBER:
            self.complaints.add(table.key("unit"), f"a unit is a column, not {ROW_NUMBER!r}")
        optional = self.attempt(lambda: table.flag("unit_optional", False))
        kind = self.attempt(lambda: table.maybe_text("unit_kind")) or "vehicle"
        if kind not in UNIT_KINDS:
            reason = f"{kind!r} is not {' or '.join(UNIT_KINDS)}"
            self.complaints.add(table.key("unit_kind"), reason)
        for flag, given in (("unit_optional", optional), ("unit_kind", kind != "vehicle")):
            if given and unit is None:
                self.complaints.add(table.key(flag), "there is no unit column (keys.unit)")
        if incident is None:
            return None
        station = kind == "station"
        return Keys(incident, call, unit, row, bool(optional), "station" if station else "vehicle")

    def rules(self) -> dict[str, ColumnRule]:
        table = self.root.table("columns")
        if table is None:
            return {}
        rules: dict[str, ColumnRule] = {}
        for column in table.data:
            rule = self.attempt(partial(self.rule, table, column))
            if rule is not None:
                rules[column] = rule
                self.refs.append((table.key(column), column))
        return rules

    def rule(self, columns: Table, column: str) -> ColumnRule:
        table = columns.table(column)
        assert table is not None
        table.only("nulls", "values", "default", "time_formats")
        nulls = self.attempt(lambda: frozenset(table.texts("nulls", ())))
        values = self.attempt(lambda: table.strings("values")) if "values" in table.data else None
        default = self.attempt(lambda: table.maybe_text("default"))
        if default is not None and values is None:
            self.complaints.add(table.key("default"), "a default for values, but no values")
        formats = None
        if "time_formats" in table.data:
            formats = self.attempt(lambda: self.formats(table, "time_formats"))
        return ColumnRule(nulls or frozenset(), values, default, formats)

    def place(self) -> Place | None:
        table = self.root.table("location")
        if table is None:
            return None
        table.only("address", "point", "lat", "lon")
        address = self.attempt(lambda: table.columns("address")) or ()
        self.listed(table, "address", address)
        point = self.attempt(lambda: self.maybe_column(table, "point"))
        lat = self.attempt(lambda: self.maybe_column(table, "lat"))
        lon = self.attempt(lambda: self.maybe_column(table, "lon"))
        if (lat is None) != (lon is None):
            raise MappingError("location.lat" if lat is None else "location.lon", "required too")
        if point is not None and lat is not None:
            raise MappingError("location.point", "give either point or lat and lon, not both")
        if not address and point is None and lat is None:
            raise MappingError("location", "names no column: give address, point or lat and lon")
        return Place(address, point, lat, lon)

    def status(self, stages: tuple[Stage, ...], keys: Keys | None) -> Status | None:
        table = self.root.table("status")
        if table is None:
            return None
        table.only("column", "codes", "ignore")
        column = self.attempt(lambda: self.column(table, "column"))
        codes = self.attempt(lambda: table.strings("codes")) or {}
        ignore = frozenset(self.attempt(lambda: table.texts("ignore", ())) or ())
        if not codes and "codes" not in table.data:
            self.complaints.add(table.key("codes"), "required: the stage each status code makes")
        names = [stage.name for stage in stages]
        for code, stage in codes.items():
            if stages and stage not in names:
                where = f"{table.key('codes')}.{code}"
                self.complaints.add(where, f"{stage!r} is not a stage ({', '.join(names)})")
        for code in sorted(ignore & set(codes)):
            self.complaints.add(table.key("ignore"), f"{code!r} is also in status.codes")
        if keys is not None and keys.incident.by_row:
            self.complaints.add("keys.incident", f"{ROW_NUMBER!r} makes each row an incident, "
                                "but in a status log an incident has many rows")  # fmt: skip
        return Status(column, codes, ignore) if column is not None else None


def _needs_zone(fmt: str) -> bool:
    """Whether times read with `fmt` lack an offset. Epoch times are UTC; ISO 8601 times
    normally carry one, and one that does not is a problem of its row when there is no zone."""
    return fmt not in NAMED_FORMATS and "%z" not in fmt


def _zone(source: Table, override: str | None, *, needed: bool) -> ZoneInfo | None:
    name = override if override is not None else source.maybe_text("timezone")
    if override is not None:
        source.maybe_text("timezone")  # still checked
    if name is None:
        if needed:
            raise MappingError("source.timezone", "required: a time format has no %z offset")
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        given = " (given as the override)" if override is not None else ""
        raise MappingError("source.timezone", f"{name!r} is not an IANA time zone{given}") from None


def _encoding(source: Table) -> str:
    encoding = source.maybe_text("encoding") or "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise MappingError("source.encoding", f"{encoding!r} is not an encoding") from None
    return encoding


def _delimiter(source: Table) -> str:
    delimiter = source.maybe_text("delimiter") or ","
    if len(delimiter) != 1:
        raise MappingError("source.delimiter", f"{delimiter!r} is not one character")
    return delimiter
