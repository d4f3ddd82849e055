"""Corrections and retractions: what an event says once the record's own changes apply.

The record keeps every event as appended. An `EventCorrected` merges its `changes` into the
event it names: a key with dots reaches into a nested object (`caller.phone`), a key without
replaces the field whole. Several corrections of one event apply in ledger order (`at`, then
append order); the last one to set a field wins. An `EventRetracted` removes its target.
Both are events themselves: a retracted correction no longer applies, a retracted retraction
restores its target. A correction whose result would not be a valid event (possible when
several combine) is skipped, and the event keeps its earlier value.

The write side uses this to file a correction under the references of the event it changes
(as the event reads before and after it); the read side to show the effective events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pydantic_core
from pydantic import BaseModel, ValidationError

from ledger.events import EVENT_TYPES, EventCorrected, EventRetracted, LedgerEvent, dump

META = (EventCorrected, EventRetracted)


def change_problem(event_type: str, key: str) -> str | None:
    """Why `key` cannot be changed by a correction of an event of `event_type`; None if it can."""
    parts = key.split(".")
    if parts[0] in LedgerEvent.PLACING or (parts[0] == "id" and len(parts) == 1):
        return (
            f"a correction may not change {parts[0]}: "
            "to move an event, retract it and record it anew"
        )
    model: type[BaseModel] = EVENT_TYPES[event_type]
    for depth, part in enumerate(parts):
        field = _field(model, part)
        name = ".".join(parts[: depth + 1])
        if field is None:
            return f"{event_type} has no field {name!r}"
        if depth == len(parts) - 1:
            return None
        nested = _nested_model(field.annotation)
        if nested is None:
            return f"{event_type} field {name!r} is not an object"
        model = nested
    return None


def _field(model: type[BaseModel], part: str) -> Any:
    for name, field in model.model_fields.items():
        if part in (name, field.alias):
            return field
    return None


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    candidates = getattr(annotation, "__args__", None) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def apply_changes(obj: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`obj` (an event's JSON object) with `changes` merged in; dotted keys reach inside."""
    result = dict(obj)
    for key, value in changes.items():
        *path, last = key.split(".")
        target = result
        for part in path:
            inner = target.get(part)
            inner = dict(inner) if isinstance(inner, dict) else {}
            target[part] = inner
            target = inner
        target[last] = value
    return result


def corrected(event: LedgerEvent, correction: EventCorrected) -> LedgerEvent | None:
    """The event with the correction's changes, or None when that would not be valid."""
    merged = apply_changes(dump(event), correction.changes)
    # Strict models take times only from JSON text, so validate the merged dict as JSON.
    try:
        changed = EVENT_TYPES[event.type].model_validate_json(pydantic_core.to_json(merged))
    except (ValidationError, ValueError):
        return None
    # Placing fields are refused at import; checked again so that no combination moves an event.
    if any(getattr(changed, name, None) != getattr(event, name, None) for name in _PLACING):
        return None
    return changed


_PLACING = tuple(sorted(LedgerEvent.PLACING - {"id", "type"}))


class Corrections:
    """Which events of a set are retracted, and what each says after its standing corrections.

    `events` are in append order. Targets outside the set are unknown: a correction of one
    changes nothing here.
    """

    def __init__(self, events: Sequence[LedgerEvent]) -> None:
        self._by_id: dict[str, LedgerEvent] = {}
        self._order: dict[str, int] = {}
        self._retractions: dict[str, list[str]] = {}
        self._corrections: dict[str, list[str]] = {}
        for position, event in enumerate(events):
            if event.id in self._by_id:
                continue
            self._by_id[event.id] = event
            self._order[event.id] = position
            if isinstance(event, EventRetracted):
                self._retractions.setdefault(event.retracts, []).append(event.id)
            elif isinstance(event, EventCorrected):
                self._corrections.setdefault(event.corrects, []).append(event.id)
        self._retracted: dict[str, bool] = {}
        self._resolved: dict[str, tuple[LedgerEvent, tuple[str, ...]]] = {}
        self._busy: set[str] = set()  # ids being worked out: breaks cycles of meta-events

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._by_id

    def retracted(self, event_id: str) -> bool:
        """True when some retraction of the event stands (is not itself retracted)."""
        if event_id in self._retracted:
            return self._retracted[event_id]
        if event_id in self._busy:
            return False
        self._busy.add(event_id)
        result = False
        for retraction_id in self._retractions.get(event_id, []):
            if self.retracted(retraction_id):
                continue
            retraction = self.resolve(retraction_id)[0]
            if isinstance(retraction, EventRetracted) and retraction.retracts == event_id:
                result = True
                break
        self._busy.discard(event_id)
        self._retracted[event_id] = result
        return result

    def resolve(self, event_id: str) -> tuple[LedgerEvent, tuple[str, ...]]:
        """The event with its standing corrections applied, and the ids of those applied."""
        if event_id in self._resolved:
            return self._resolved[event_id]
        event = self._by_id[event_id]
        if event_id in self._busy:
            return event, ()
        self._busy.add(event_id)
        current, applied = event, []
        for correction_id in self._in_ledger_order(self._corrections.get(event_id, [])):
            if self.retracted(correction_id):
                continue
            correction = self.resolve(correction_id)[0]
            if not isinstance(correction, EventCorrected) or correction.corrects != event_id:
                continue
            changed = corrected(current, correction)
            if changed is not None:
                current = changed
                applied.append(correction_id)
        self._busy.discard(event_id)
        self._resolved[event_id] = (current, tuple(applied))
        return self._resolved[event_id]

    def effective(self, event_id: str) -> LedgerEvent | None:
        """The event as it now reads, or None when it is retracted (or not in the set)."""
        if event_id not in self._by_id or self.retracted(event_id):
            return None
        return self.resolve(event_id)[0]

    def _in_ledger_order(self, ids: list[str]) -> list[str]:
        # Ledger order: `at`, then append order (findings.md ruling 5).
        return sorted(ids, key=lambda i: (self._by_id[i].at, self._order[i]))
