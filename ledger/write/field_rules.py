"""The rules an import applies to an event's fields by what they hold (stream.md, round 2).

The event models mark each field with its `Kind`; this module reads those marks once and
checks the values as written in the line:

- an instant is RFC 3339 with an offset, within years 0001-9999 in UTC (`ledger.instants`);
- a duration is ISO 8601 and no longer than that calendar (`ledger.durations`);
- an identifier holds no control character, separator or bidirectional override
  (`ledger.text`; its length, like that of an indexed string, the models check themselves).

Most lines are printable ASCII without escapes: for them only the times and durations need a
look (see `field_problems`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from ledger.durations import parse_duration
from ledger.events import EVENT_TYPES, Kind
from ledger.instants import InstantError, form_fits, form_problem, parse_instant
from ledger.text import identifier_problem

Found = list[tuple[str, str]]  # (field path, what is wrong)


def field_problems(value: Any, plain: bool = False) -> Found:
    """What the rules refuse in an event (its JSON object); [] for nothing or no known type.

    `plain` (the line is printable ASCII without escapes, so no character in it is refused)
    lets the common case skip the identifiers. A value of the wrong kind (a number for a
    time) is left to the models to report.
    """
    if not isinstance(value, dict):
        return []
    kind = value.get("type")
    times, names = _FIELDS.get(kind, _NONE) if isinstance(kind, str) else _NONE
    checked = times if plain else times + names
    found: Found = []
    for path, parts, kind in checked:
        item = value.get(path) if len(parts) == 1 else _at(value, parts)
        if type(item) is not str:
            continue
        if kind is Kind.INSTANT:
            if form_fits(item) and not item.startswith(_EDGE_YEARS):
                continue
            problem = _instant_problem(item)
        elif kind is Kind.DURATION:
            problem = _duration_problem(item)
        else:
            problem = identifier_problem(item)
        if problem is not None:
            found.append((path, problem))
    return found


_EDGE_YEARS = ("0001-", "9999-")  # only a time in the first or last year can leave the range


def _instant_problem(text: str) -> str | None:
    problem = form_problem(text)
    if problem is not None:
        return problem
    try:
        parse_instant(text)
    except InstantError as error:
        return str(error)
    return None


def _duration_problem(text: str) -> str | None:
    try:
        parse_duration(text)
    except ValueError as error:
        return str(error)
    return None


def _at(value: dict[str, Any], parts: tuple[str, ...]) -> Any:
    found: Any = value
    for part in parts:
        if not isinstance(found, dict):
            return None
        found = found.get(part)
    return found


Field = tuple[str, tuple[str, ...], Kind]  # dotted path, its parts, what it holds


def _fields(model: type[BaseModel]) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """The model's marked fields: times and durations, then identifiers."""
    fields = [(path, tuple(path.split(".")), kind) for path, kind in _marked(model, "")]
    times = tuple(f for f in fields if f[2] in (Kind.INSTANT, Kind.DURATION))
    return times, tuple(f for f in fields if f[2] is Kind.IDENTIFIER)


def _marked(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, Kind]]:
    """Every marked field of `model` and of the models nested in it, by dotted JSON path."""
    for name, info in model.model_fields.items():
        path = prefix + (info.alias or name)
        kinds = [item for item in info.metadata if isinstance(item, Kind)]
        kinds += _kinds_in(info.annotation)
        if kinds:
            yield path, kinds[0]
        for nested in _models_in(info.annotation):
            yield from _marked(nested, path + ".")


def _kinds_in(annotation: Any) -> list[Kind]:
    """Marks inside an annotation such as `Annotated[str, Kind.IDENTIFIER] | None`."""
    if get_origin(annotation) is Annotated:
        return [item for item in annotation.__metadata__ if isinstance(item, Kind)]
    return [kind for arg in get_args(annotation) for kind in _kinds_in(arg)]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


_FIELDS: dict[str, tuple[tuple[Field, ...], tuple[Field, ...]]] = {
    name: _fields(model) for name, model in EVENT_TYPES.items()
}
_NONE: tuple[tuple[Field, ...], tuple[Field, ...]] = ((), ())
