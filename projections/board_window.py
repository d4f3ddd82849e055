"""Which incidents the board must fold, and what the others left behind.

The board at T looks at every incident with an event recorded in the lookback before T (the
index files every event under `r:` at the instant it entered the record: one probe). Most of
them were closed well before T and hold nothing: folding them would cost most of the board's
time for no change on it. An incident is *settled* when its own events, as recorded, close it
by T with no reopening, and nothing could change that: no event of it is filed after the
closing up to T (a late-recorded reopening, say), and no correction or retraction names the
closing. Settled incidents are left out of the fold; each unit they served is free, released
by its last event there or by the closing. Every other incident goes through the fold.

Events are read here with a JSON parser rather than the event models: only a few fields of
each are needed, and the fold decodes what it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from ledger.contacts import fold_address
from ledger.store.micros import instant

if TYPE_CHECKING:
    from ledger.store.backend import Backend, StoredLine

_NAMING = ("from_incident", "incident", "to_incident", "linked")
_COMMITTING = frozenset({"UnitAllocated", "UnitEnRoute", "UnitArrived", "UnitDiverted"})


@dataclass
class Window:
    """The incidents to fold, and for each unit a settled incident's release of it."""

    fold: list[str]
    # unit -> (settled incident, the line that released the unit, when it was released)
    released: dict[str, tuple[str, StoredLine, datetime]] = field(default_factory=dict)
    # each settled incident's call addresses and areas, folded (for `--area`)
    places: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class _Seen:
    lines: list[tuple[StoredLine, dict[str, Any], datetime]] = field(default_factory=list)


def window(
    backend: Backend, at: datetime, lookback: timedelta, *, recorded_only: bool = True
) -> Window:
    """The incidents active in the `lookback` before `at`, split as the module says.

    Without `recorded_only` (a view of the world at `at`, as known now) an event that
    happened in the lookback but was recorded later counts too: every grading in it is found
    under its grade (`g:`), whenever it was recorded; others are found through the units and
    links of the incidents folded (`projections.board`)."""
    lo, hi = instant(at - lookback), instant(at)
    probes = [("r:", lo, hi)]
    if not recorded_only:
        probes += [(f"g:{code}", lo, hi) for code in backend.named_in_order("g:", backend.top())]
    seen: dict[str, _Seen] = {}
    for line in backend.by_windows(probes):
        body = orjson.loads(line.line)
        when = datetime.fromisoformat(body["at"])
        for name in dict.fromkeys(body.get(key) for key in _NAMING):
            if isinstance(name, str) and name:
                seen.setdefault(name, _Seen()).lines.append((line, body, when))
    closings = {name: closing for name, s in seen.items() if (closing := _closing(s, at))}
    settled = _undisturbed(backend, closings, at)
    result = Window([name for name in seen if name not in settled])
    for name in settled:
        closing = closings[name]
        result.places[name] = frozenset(_places(seen[name]))
        for unit, (line, body, when) in _last_per_unit(seen[name]).items():
            if body["type"] in _COMMITTING:  # still committed there: the closing released it
                line, when = closing[0], closing[2]
            current = result.released.get(unit)
            if current is None or current[2] < when:
                result.released[unit] = (name, line, when)
    return result


def _closing(seen: _Seen, at: datetime) -> tuple[StoredLine, dict[str, Any], datetime] | None:
    """The closing that leaves the incident closed at `at`, as recorded; None if none does."""
    last = None
    for line, body, when in sorted(seen.lines, key=lambda x: (x[2], x[0].notification_id)):
        if when <= at and body["type"] in ("IncidentClosed", "IncidentReopened"):
            last = (line, body, when) if body["type"] == "IncidentClosed" else None
    return last


def _undisturbed(
    backend: Backend,
    closings: dict[str, tuple[StoredLine, dict[str, Any], datetime]],
    at: datetime,
) -> set[str]:
    """Those closed incidents nothing after the closing, nor any correction, can reopen."""
    probes = {(f"i:{name}", instant(closing[2])): name for name, closing in closings.items()}
    later = backend.next_after(probes)
    upto = instant(at)
    moved = {name for probe, name in probes.items() if later.get(probe, upto + 1) <= upto}
    metas = backend.filed(f"e:{closing[0].event_id}" for closing in closings.values())
    touched = {name for name, closing in closings.items() if f"e:{closing[0].event_id}" in metas}
    return set(closings) - moved - touched


def _last_per_unit(seen: _Seen) -> dict[str, tuple[StoredLine, dict[str, Any], datetime]]:
    last: dict[str, tuple[StoredLine, dict[str, Any], datetime]] = {}
    for line, body, when in sorted(seen.lines, key=lambda x: (x[2], x[0].notification_id)):
        unit = body.get("unit")
        if isinstance(unit, str) and unit:
            last[unit] = (line, body, when)
    return last


def _places(seen: _Seen) -> set[str]:
    """The folded addresses and areas of the incident's calls, as the fold's `places` has."""
    found: set[str] = set()
    for _, body, _ in seen.lines:
        if body["type"] != "CallReceived":
            continue
        location = body.get("location") or {}
        for value in (body.get("area"), location.get("address"), location.get("area")):
            if isinstance(value, str) and fold_address(value):
                found.add(fold_address(value))
    return found
