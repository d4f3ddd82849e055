"""A declarative CSV mapping (see mappings/README.md): loaded and checked before any row is read.

Everything that can be checked without the CSV is checked here, each complaint naming its key;
`read_csv` then checks the columns against the file's header.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from ledger.events import EVENT_ADAPTER, EVENT_TYPES
from ledger.inputs.csv.cells import format_problem
from ledger.inputs.csv.model import Closing, CsvMapping, Grading, Keys, Place, Scope, Stage
from ledger.inputs.csv.tables import MappingError, Scalar, Table

# Fields the mapping fills itself; `fields`, `columns` and `defaults` may not set them.
RESERVED = frozenset(
    {"id", "type", "at", "recorded_at", "precision", "incident", "call", "unit", "location"}
)
# Id suffixes of the events that are not stages, so no stage may take these names.
GRADED, CLOSED = "graded", "closed"
CLOSE_RULES = ("last-unit-available",)
_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def load_mapping(path: Path, *, timezone: str | None = None) -> CsvMapping:
    """Load and check a mapping; `timezone` (an IANA name) overrides the mapping's own."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError("", f"cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError("", f"{path} is not a TOML file: {error}") from None
    return _Loader(data).load(timezone)


class _Loader:
    def __init__(self, data: dict[str, object]) -> None:
        self.root = Table(dict(data)).only(
            "source", "keys", "defaults", "location", "stages", "grade", "close"
        )
        self.refs: list[tuple[str, str]] = []

    def column(self, table: Table, name: str) -> str:
        column = table.text(name)
        self.refs.append((table.key(name), column))
        return column

    def maybe_column(self, table: Table, name: str) -> str | None:
        column = table.maybe_text(name)
        if column is not None:
            self.refs.append((table.key(name), column))
        return column

    def listed(self, table: Table, name: str, columns: tuple[str, ...]) -> None:
        key = table.key(name)
        shown = [key] if len(columns) == 1 else [f"{key}[{i}]" for i in range(len(columns))]
        self.refs.extend(zip(shown, columns, strict=True))

    def need(self, name: str) -> Table:
        table = self.root.table(name)
        if table is None:
            raise MappingError(name, "required table")
        return table

    def load(self, timezone: str | None) -> CsvMapping:
        source = self.need("source").only(
            "name", "timezone", "time_formats", "nulls", "encoding", "delimiter"
        )
        name = source.text("name")
        formats = source.texts("time_formats")
        for index, fmt in enumerate(formats):
            if (problem := format_problem(fmt)) is not None:
                raise MappingError(f"source.time_formats[{index}]", problem)
        zone = _zone(source, timezone, needed=any("%z" not in fmt for fmt in formats))
        nulls = frozenset(source.texts("nulls", ("",)))
        encoding = source.maybe_text("encoding") or "utf-8-sig"
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise MappingError("source.encoding", f"{encoding!r} is not an encoding") from None
        delimiter = source.maybe_text("delimiter") or ","
        if len(delimiter) != 1:
            raise MappingError("source.delimiter", f"{delimiter!r} is not one character")

        defaults = self.root.scalars("defaults")
        for field in defaults:
            _not_reserved(f"defaults.{field}", field)
        keys = self.keys()
        place = self.place()
        stages = self.stages(keys, place, defaults)
        grading = self.grading(defaults)
        closing = self.closing(stages, defaults)
        return CsvMapping(
            name, zone, formats, nulls, encoding, delimiter, keys, defaults, place,
            stages, grading, closing, tuple(self.refs),
        )  # fmt: skip

    def keys(self) -> Keys:
        table = self.need("keys").only("incident", "call", "unit", "row")
        incident = self.column(table, "incident")
        call = self.maybe_column(table, "call")
        unit = self.maybe_column(table, "unit")
        row = table.texts("row", ())
        self.listed(table, "row", row)
        return Keys(incident, call, unit, row)

    def place(self) -> Place | None:
        table = self.root.table("location")
        if table is None:
            return None
        table.only("address", "point", "lat", "lon")
        address = table.texts("address", ())
        self.listed(table, "address", address)
        point = self.maybe_column(table, "point")
        lat = self.maybe_column(table, "lat")
        lon = self.maybe_column(table, "lon")
        if (lat is None) != (lon is None):
            raise MappingError("location.lat" if lat is None else "location.lon", "required too")
        if point is not None and lat is not None:
            raise MappingError("location.point", "give either point or lat and lon, not both")
        if not address and point is None and lat is None:
            raise MappingError("location", "names no column: give address, point or lat and lon")
        return Place(address, point, lat, lon)

    def stages(
        self, keys: Keys, place: Place | None, defaults: dict[str, Scalar]
    ) -> tuple[Stage, ...]:
        table = self.need("stages")
        if not table.data:
            raise MappingError("stages", "names no stage")
        return tuple(self.stage(table, name, keys, place, defaults) for name in table.data)

    def stage(
        self, stages: Table, name: str, keys: Keys, place: Place | None, defaults: dict[str, Scalar]
    ) -> Stage:
        table = stages.table(name)
        assert table is not None
        table.only("column", "event", "required", "recorded_at", "location", "fields", "columns")
        if not _STAGE_NAME.match(name) or name in (GRADED, CLOSED):
            raise MappingError(table.path, "a stage name is letters, digits, - and _, and not "
                               f"{GRADED!r} or {CLOSED!r} (it ends the event ids)")  # fmt: skip
        column = self.column(table, "column")
        event = table.text("event")
        model = EVENT_TYPES.get(event)
        if model is None:
            near = difflib.get_close_matches(event, list(EVENT_TYPES), n=1)
            hint = f"did you mean {near[0]!r}?" if near else ", ".join(sorted(EVENT_TYPES))
            raise MappingError(table.key("event"), f"{event!r} is not an event type ({hint})")
        places = tuple(f for f in ("incident", "call", "unit") if f in model.model_fields)
        if not places:
            raise MappingError(table.key("event"), f"{event} names no incident, call or unit")
        for needed in ("call", "unit"):
            if needed in places and getattr(keys, needed) is None:
                raise MappingError(f"keys.{needed}", f"required: {table.path} makes {event}")
        scope: Scope = "row" if "unit" in places else "call" if "call" in places else "incident"
        if scope == "row" and not keys.row:
            raise MappingError("keys.row", f"required: {table.path} makes one {event} per row")
        required = table.flag("required", False)
        recorded_at = self.maybe_column(table, "recorded_at")
        location = table.flag("location", False)
        if location and place is None:
            raise MappingError(table.key("location"), "true, but there is no [location] table")
        fields = table.scalars("fields")
        columns = table.strings("columns")
        self.refs.extend((f"{table.path}.columns.{f}", c) for f, c in columns.items())
        for field in [*fields, *columns]:
            where = "fields" if field in fields else "columns"
            _not_reserved(f"{table.path}.{where}.{field}", field)
            if field in fields and field in columns:
                raise MappingError(f"{table.path}.columns.{field}", "also set in fields")
        given = _given(defaults, "defaults")
        given |= {f: (f"{table.path}.fields.{f}", value) for f, value in fields.items()}
        given |= {f: (f"{table.path}.columns.{f}", "text") for f in columns}
        given |= {f: (table.key("event"), "key") for f in places}
        if location:
            given["location"] = (table.key("location"), {"address": "text", "lat": 0.0, "lon": 0.0})
        _probe(event, given, f"{table.path}.fields")
        return Stage(name, column, event, scope, places, required, recorded_at, location,
                     fields, columns)  # fmt: skip

    def grading(self, defaults: dict[str, Scalar]) -> Grading | None:
        table = self.root.table("grade")
        if table is None:
            return None
        table.only("column", "at", "values")
        column = self.column(table, "column")
        at = self.column(table, "at")
        values = table.strings("values")
        if not values:
            raise MappingError("grade.values", "required: the grade code of each cell value")
        for cell, grade in values.items():
            given = _given(defaults, "defaults") | {"incident": ("keys.incident", "key")}
            _probe("IncidentGraded", given | {"grade": (f"grade.values.{cell}", grade)}, "grade")
        return Grading(column, at, values)

    def closing(self, stages: tuple[Stage, ...], defaults: dict[str, Scalar]) -> Closing | None:
        table = self.root.table("close")
        if table is None:
            return None
        table.only("rule", "outcome", "default_outcome")
        rule = table.text("rule")
        if rule not in CLOSE_RULES:
            raise MappingError("close.rule", f"{rule!r} is not a rule ({', '.join(CLOSE_RULES)})")
        outcome = self.maybe_column(table, "outcome")
        default_outcome = table.maybe_text("default_outcome")
        if outcome is None and default_outcome is None:
            raise MappingError("close.outcome", "required (a column), or give default_outcome")
        cleared = [stage.name for stage in stages if stage.event == "UnitCleared"]
        if len(cleared) != 1:
            raise MappingError(
                "close.rule",
                f"{rule!r} needs exactly one stage that makes UnitCleared, not {len(cleared)}",
            )
        given = _given(defaults, "defaults") | {"incident": ("keys.incident", "key")}
        _probe("IncidentClosed", given | {"outcome": ("close.outcome", "text")}, "close")
        return Closing(rule, cleared[0], outcome, default_outcome)


def _zone(source: Table, override: str | None, *, needed: bool) -> ZoneInfo | None:
    name = override if override is not None else source.maybe_text("timezone")
    if override is not None:
        source.maybe_text("timezone")  # still checked and counted as known
    if name is None:
        if needed:
            raise MappingError("source.timezone", "required: a time format has no %z offset")
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        given = " (given as the override)" if override is not None else ""
        raise MappingError("source.timezone", f"{name!r} is not an IANA time zone{given}") from None


def _given(values: dict[str, Scalar], path: str) -> dict[str, tuple[str, object]]:
    return {field: (f"{path}.{field}", value) for field, value in values.items()}


def _not_reserved(key: str, field: str) -> None:
    if field in RESERVED:
        raise MappingError(key, f"{field!r} is set by the mapping itself, not by a value")


def _probe(event: str, given: dict[str, tuple[str, object]], missing_at: str) -> None:
    """Validate a made-up event with the given fields ({field: (key, value)}), so that a bad
    value fails when the mapping loads, not on the first row."""
    payload = {field: value for field, (_, value) in given.items()}
    payload |= {"id": "probe", "type": event, "at": "2001-02-03T04:05:06Z"}
    try:
        EVENT_ADAPTER.validate_json(json.dumps(payload))
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][1]) if len(first["loc"]) > 1 else ""
        if first["type"] == "missing":
            raise MappingError(f"{missing_at}.{field}", f"{event} needs {field}") from None
        key = given[field][0] if field in given else missing_at
        raise MappingError(key, first["msg"]) from None
