"""Turning one raw record into a validated event, or into problems worded for people."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ledger.events import EVENT_ADAPTER, EVENT_TYPES, LedgerEvent
from ledger.store.chain import canonical, parse
from ledger.write.field_rules import Found, field_problems
from ledger.write.json_rules import check_value, parse_line
from ledger.write.records import Problem, RawRecord

_OFFSET_HINT = "has no UTC offset: write RFC 3339 with an offset, e.g. 2018-05-31T23:54:00+01:00"


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required"
    if kind == "timezone_aware":
        return _OFFSET_HINT
    if kind in ("datetime_parsing", "datetime_type", "datetime_from_date_parsing"):
        return f"not an RFC 3339 time ({error['msg']})"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def problems_from(
    error: ValidationError, record: RawRecord, event_type: str | None
) -> list[Problem]:
    """Word pydantic's errors as `field.path: reason`, one problem per error."""
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        if loc and loc[0] == event_type:
            loc = loc[1:]  # the discriminated union puts the type name first
        kind = item["type"]
        if kind == "union_tag_invalid":
            known = ", ".join(EVENT_TYPES)
            problems.append(
                Problem(
                    record.origin,
                    record.line,
                    "type",
                    f"unknown type {item['ctx']['tag']!r} (known: {known})",
                )
            )
            continue
        if kind == "union_tag_not_found":
            problems.append(Problem(record.origin, record.line, "type", "required"))
            continue
        if kind == "json_invalid":
            problems.append(Problem(record.origin, record.line, "", f"not JSON: {item['msg']}"))
            continue
        if not loc and kind in ("dict_type", "model_type", "model_attributes_type"):
            problems.append(Problem(record.origin, record.line, "", "not a JSON object"))
            continue
        field = ".".join(loc) or ("recorded_at" if "recorded_at" in item["msg"] else "")
        problems.append(Problem(record.origin, record.line, field, _reason(item)))
    return problems


def validate(record: RawRecord) -> tuple[LedgerEvent, bytes] | list[Problem]:
    """The event and its canonical line, or why the record is not a valid event.

    The JSON rules (numbers, nesting, characters) come first: a value that breaks them never
    reaches the models, whose parser would quietly turn `NaN` into null. The field rules
    (times, durations, identifiers as written) are reported with the models' own problems.
    """
    payload = record.payload
    if isinstance(payload, bytes):
        value, found, plain = parse_line(payload)
    else:
        value, found, plain = payload, check_value(payload), False
    if found:
        return _problems(record, found)
    ours = field_problems(value, plain)
    try:
        line = payload if isinstance(payload, bytes) else canonical(payload)
        event = EVENT_ADAPTER.validate_json(line)
    except ValidationError as error:
        theirs = problems_from(error, record, _type_of(payload))
        named = {field for field, _ in ours}
        return _problems(record, ours) + [p for p in theirs if p.field not in named]
    except (ValueError, TypeError) as error:  # e.g. a non-string key in a built object
        return [Problem(record.origin, record.line, "", f"cannot be stored as JSON: {error}")]
    if ours:
        return _problems(record, ours)
    return event, (canonical(value) if isinstance(payload, bytes) else line)


def _problems(record: RawRecord, found: Found) -> list[Problem]:
    return [Problem(record.origin, record.line, field, reason) for field, reason in found]


def _type_of(payload: bytes | dict[str, Any]) -> str | None:
    if isinstance(payload, dict):
        value = payload.get("type")
    else:
        try:
            obj = parse(payload)
        except ValueError:
            return None
        value = obj.get("type") if isinstance(obj, dict) else None
    return value if isinstance(value, str) else None
