"""Loading the parts of a mapping that make events: stages, grading and closing.

Each stage's fixed fields are tried on a made-up event of its type when the mapping loads, so
a missing required field or a value the event refuses fails at once, naming its key.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from pydantic import ValidationError

from ledger.events import EVENT_ADAPTER, EVENT_TYPES
from ledger.inputs.csv.model import Closing, Grading, Keys, Place, Scope, Stage
from ledger.inputs.csv.tables import Complaints, MappingError, Scalar, Table, toml_key

T = TypeVar("T")

# Fields the mapping fills itself; `fields`, `columns` and `defaults` may not set them.
RESERVED = frozenset(
    {"id", "type", "at", "recorded_at", "precision", "incident", "call", "unit", "location"}
    | {"station"}  # set by keys.unit_kind = "station", and read by timelines as such
)
# Id suffixes of the events that are not stages, so no stage may take these names.
GRADED, CLOSED = "graded", "closed"
CLOSE_RULES = ("last-unit-available", "column")
STAGE_KEYS = (
    "column", "event", "required", "recorded_at", "location", "fields", "columns", "unit_optional",
)  # fmt: skip
_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


class EventsLoader:
    """Reads the event-making tables, collecting complaints and the columns they name."""

    def __init__(self, root: Table, complaints: Complaints) -> None:
        self.root = root
        self.complaints = complaints
        self.refs: list[tuple[str, str]] = []  # (key, column)

    def attempt(self, check: Callable[[], T]) -> T | None:
        return self.complaints.attempt(check)

    def column(self, table: Table, name: str) -> str:
        column = table.text(name)
        self.refs.append((table.key(name), column))
        return column

    def maybe_column(self, table: Table, name: str) -> str | None:
        return self.column(table, name) if name in table.data else None

    def listed(self, table: Table, name: str, columns: tuple[str, ...]) -> None:
        key = table.key(name)
        shown = [key] if len(columns) == 1 else [f"{key}[{i}]" for i in range(len(columns))]
        self.refs.extend(zip(shown, columns, strict=True))

    def defaults(self, defaults: dict[str, Scalar]) -> dict[str, Scalar]:
        for field in list(defaults):
            if field in RESERVED:
                self.complaints.add(f"defaults.{field}", _reserved(field))
                del defaults[field]
        return defaults

    def stages(
        self, keys: Keys, place: Place | None, defaults: dict[str, Scalar]
    ) -> tuple[Stage, ...]:
        table = self.attempt(lambda: self.root.table("stages"))
        if table is None:
            return ()
        if not table.data:
            self.complaints.add("stages", "names no stage")
        found = [self.attempt(partial(self.stage, table, name, keys, place, defaults))
                 for name in table.data]  # fmt: skip
        return tuple(stage for stage in found if stage is not None)

    def stage(
        self, stages: Table, name: str, keys: Keys, place: Place | None, defaults: dict[str, Scalar]
    ) -> Stage:
        table = stages.table(name)
        assert table is not None
        table.only(*STAGE_KEYS)
        if not _STAGE_NAME.match(name) or name in (GRADED, CLOSED):
            raise MappingError(table.path, "a stage name is letters, digits, - and _, and not "
                               f"{GRADED!r} or {CLOSED!r} (it ends the event ids)")  # fmt: skip
        column = self.attempt(lambda: table.columns("column"))
        if column is None and "column" not in table.data:
            self.complaints.add(table.key("column"), "required")
        elif column is not None:
            self.listed(table, "column", column)
        event = table.text("event")
        places = _places(table, event)
        for needed in ("call", "unit"):
            if needed in places and getattr(keys, needed) is None:
                self.complaints.add(f"keys.{needed}", f"required: {table.path} makes {event}")
        scope: Scope = "row" if "unit" in places else "call" if "call" in places else "incident"
        if scope == "row" and keys.row is None:
            self.complaints.add("keys.row", f"required: {table.path} makes one {event} per row")
        unit_optional = self.attempt(lambda: table.flag("unit_optional", keys.unit_optional))
        if "unit_optional" in table.data and scope != "row":
            self.complaints.add(table.key("unit_optional"), f"{event} names no unit")
        required = self.attempt(lambda: table.flag("required", False))
        recorded_at = self.attempt(lambda: self.maybe_column(table, "recorded_at"))
        location = self.attempt(lambda: table.flag("location", False))
        if location and place is None:
            self.complaints.add(table.key("location"), "true, but there is no [location] table")
        fields = self.attempt(lambda: table.scalars("fields")) or {}
        columns = self.attempt(lambda: table.strings("columns")) or {}
        self.refs.extend((f"{table.key('columns')}.{f}", c) for f, c in columns.items())
        for field in [*fields, *columns]:
            where = f"{table.path}.{'fields' if field in fields else 'columns'}.{field}"
            if field in RESERVED:
                self.complaints.add(where, _reserved(field))
            elif field in fields and field in columns:
                self.complaints.add(f"{table.path}.columns.{field}", "also set in fields")
        given = _given(defaults, "defaults")
        given |= {f: (f"{table.path}.fields.{f}", value) for f, value in fields.items()}
        given |= {f: (f"{table.path}.columns.{f}", "text") for f in columns}
        given |= {f: (table.key("event"), "key") for f in places}
        if location:
            given["location"] = (table.key("location"), {"address": "text", "lat": 0.0, "lon": 0.0})
        self.attempt(lambda: _probe(event, given, f"{table.path}.fields"))
        if column is None:
            raise MappingError(table.key("column"), "required")  # already said; nothing to make
        return Stage(name, column, event, scope, places, bool(required), recorded_at,
                     bool(location), fields, columns, bool(unit_optional))  # fmt: skip

    def grading(self, defaults: dict[str, Scalar]) -> Grading | None:
        table = self.attempt(lambda: self.root.table("grade"))
        if table is None:
            return None
        table.only("column", "at", "values")
        column = self.attempt(lambda: self.column(table, "column"))
        at = self.attempt(lambda: self.column(table, "at"))
        values = self.attempt(lambda: table.strings("values")) if "values" in table.data else None
        given = _given(defaults, "defaults") | {"incident": ("keys.incident", "key")}
        for cell, grade in (values or {}).items():
            graded = given | {"grade": (f"{table.key('values')}.{toml_key(cell)}", grade)}
            self.attempt(partial(_probe, "IncidentGraded", graded, "grade"))
        if column is None or at is None:
            return None
        return Grading(column, at, values)

    def closing(self, stages: tuple[Stage, ...], defaults: dict[str, Scalar]) -> Closing | None:
        table = self.attempt(lambda: self.root.table("close"))
        if table is None:
            return None
        table.only("rule", "column", "outcome", "default_outcome")
        rule = table.text("rule")
        if rule not in CLOSE_RULES:
            raise MappingError("close.rule", f"{rule!r} is not a rule ({', '.join(CLOSE_RULES)})")
        outcome = self.attempt(lambda: self.maybe_column(table, "outcome"))
        default_outcome = self.attempt(lambda: table.maybe_text("default_outcome"))
        if outcome is None and default_outcome is None and "outcome" not in table.data:
            self.complaints.add("close.outcome", "required (a column), or give default_outcome")
        given = _given(defaults, "defaults") | {"incident": ("keys.incident", "key")}
        given["outcome"] = ("close.default_outcome", default_outcome or "text")
        self.attempt(partial(_probe, "IncidentClosed", given, "close"))
        if rule == "column":
            column = self.column(table, "column")
            return Closing("column", None, column, outcome, default_outcome)
        if "column" in table.data:
            raise MappingError("close.column", f'only with rule = "column", not {rule!r}')
        cleared = [stage.name for stage in stages if stage.event == "UnitCleared"]
        if len(cleared) != 1:
            raise MappingError(
                "close.rule",
                f"{rule!r} needs exactly one stage that makes UnitCleared, not {len(cleared)}",
            )
        return Closing("last-unit-available", cleared[0], None, outcome, default_outcome)


def _places(table: Table, event: str) -> tuple[str, ...]:
    model = EVENT_TYPES.get(event)
    if model is None:
        near = difflib.get_close_matches(event, list(EVENT_TYPES), n=1)
        hint = f"did you mean {near[0]!r}?" if near else ", ".join(sorted(EVENT_TYPES))
        raise MappingError(table.key("event"), f"{event!r} is not an event type ({hint})")
    places = tuple(f for f in ("incident", "call", "unit") if f in model.model_fields)
    if not places:
        raise MappingError(table.key("event"), f"{event} names no incident, call or unit")
    return places


def _reserved(field: str) -> str:
    return f"{field!r} is set by the mapping itself, not by a value"


def _given(values: dict[str, Scalar], path: str) -> dict[str, tuple[str, object]]:
    return {field: (f"{path}.{field}", value) for field, value in values.items()}


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
