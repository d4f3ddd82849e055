"""The board at a moment: every unit and what held it, every open incident and its clock.

What a control room's screen shows at T, rebuilt from the record: which units were committed
(allocated, en route, at scene) and to what, which were free, and which calls were waiting,
how long they had waited and how long was left to their response target. It answers "why was
no one sent": every unit committed elsewhere while a call waited.

It is the same fold every view uses (`projections.analysis.state`), over the events the
incidents active in the `lookback` before T rest on (`projections.gather`), in one pass: the
index finds those incidents (every event is filed under `r:` at the instant it entered the
record), so the answer costs the same whatever the ledger's size. An incident with no event
in the lookback (open for longer with nothing recorded) is not on the board; the header says
how far it looked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ledger.contacts import fold_address
from ledger.instants import later
from projections.analysis.state import COMMITTED, IncidentState, UnitState
from projections.analysis.view import View

if TYPE_CHECKING:
    from ledger.events import LedgerEvent
    from ledger.store.ledger import Ledger
    from projections.analysis.policy import Policy
    from projections.board_window import Window

LOOKBACK = timedelta(hours=24)
MAX_ROUNDS = 5  # rounds of incidents found through the events of those already gathered
ELSEWHERE = "committed-elsewhere"  # a unit of this incident, now held by another
FREE = "free"
_BEST = ("at-scene", "en-route", "allocated")  # an incident's own status: its furthest unit


@dataclass(frozen=True)
class Held:
    """A unit on the board: what holds it (or held it last), in what status, since when."""

    unit: str
    status: str  # allocated, en-route, at-scene, or free
    incident: str | None  # the incident holding it; when free, the last one it served
    grade: str | None  # that incident's grade at T
    since: LedgerEvent  # the event that committed it there (free: that released it)


@dataclass(frozen=True)
class Assigned:
    """A unit as an open incident sees it."""

    unit: str
    status: str  # allocated, en-route, at-scene, or committed-elsewhere
    elsewhere: str | None  # the incident that holds it, when committed elsewhere


@dataclass(frozen=True)
class Open:
    """An incident open at T: its grade, its first call, its response target and its units."""

    incident: str
    grade: str | None
    first_call: LedgerEvent
    deadline: datetime | None  # the response target (None: no target, or already attended)
    arrival: LedgerEvent | None  # the first arrival, when a unit has arrived
    units: tuple[Assigned, ...]

    @property
    def status(self) -> str:
        """`waiting` with no unit committed, else the furthest one's status."""
        mine = {a.status for a in self.units}
        return next((status for status in _BEST if status in mine), "waiting")


@dataclass(frozen=True)
class Board:
    at: datetime
    lookback: timedelta
    units: list[Held]
    incidents: list[Open]  # most urgent first
    places: Mapping[str, frozenset[str]]  # each incident's call addresses and areas, folded


def in_area(shown: Board, area: str) -> Board:
    """The board for one area: the incidents whose call address holds its words (folded as
    addresses are) or whose calls carry it as `area`, and the units they hold or last held."""
    wanted = fold_address(area)
    inside = {
        name
        for name, places in shown.places.items()
        if any(f" {wanted} " in f" {place} " for place in places)
    }
    return replace(
        shown,
        units=[u for u in shown.units if u.incident in inside],
        incidents=[o for o in shown.incidents if o.incident in inside],
    )


def board(ledger: Ledger, view: View, at: datetime, lookback: timedelta = LOOKBACK) -> Board:
    """The board at `at` (the view's clock) in `view`."""
    from ledger.store.ledger import decode
    from projections.analysis.effective import effective_events
    from projections.analysis.state import fold_all
    from projections.board_window import window

    active = window(ledger.backend, at, lookback, recorded_only=view.as_known_at is not None)
    events, chosen = _gathered(ledger, active, view.policy, at - lookback, at)
    effective = effective_events(events, at=view.at, as_known_at=view.as_known_at)
    states = fold_all(effective, chosen, view.policy)
    released = {
        unit: Held(unit, FREE, name, None, decode(line))
        for unit, (name, line, _) in active.released.items()
    }
    shown = compose(states, at, lookback, view.policy, released)
    return replace(shown, places={**active.places, **shown.places})


def _gathered(
    ledger: Ledger, active: Window, policy: Policy, since: datetime, at: datetime
) -> tuple[list[LedgerEvent], list[str]]:
    """The events the incidents to fold rest on (append order), and those incidents: the
    window's, and any other its events name in the lookback that is not settled (a unit
    diverted to an incident whose own events were recorded later), found the same way."""
    from ledger.events import incidents_named
    from projections.gather import gather

    events: dict[int, LedgerEvent] = {}
    chosen, wanted = list(active.fold), list(active.fold)
    for _ in range(MAX_ROUNDS):
        if not wanted:
            break
        found = gather(ledger.backend, wanted, policy=policy)
        events.update((found.nids[event.id], event) for event in found.events)
        known = {*chosen, *active.places}
        wanted = list(
            dict.fromkeys(
                name
                for event in found.events
                if since <= event.at <= at
                for name in incidents_named(event)
                if name not in known
            )
        )
        chosen += wanted
    return [events[nid] for nid in sorted(events)], chosen


def compose(
    states: dict[str, IncidentState],
    at: datetime,
    lookback: timedelta,
    policy: Policy,
    released: Mapping[str, Held],
) -> Board:
    """The board from the incidents' states at `at`, and the units settled incidents released
    (`projections.board_window`)."""
    holders = _holders(states)
    units: dict[str, Held] = dict(released)
    for unit, (last, entry) in _last_seen(states).items():
        other = units.get(unit)
        if other is None or other.since.at <= entry.event.at:
            # free unless held below: what it served last, and when it was released
            units[unit] = Held(unit, FREE, last, None, entry.event)
    for unit, (name, held) in holders.items():
        state = states[name]
        units[unit] = Held(unit, held.status, name, _grade(state), _committed_since(state, unit))
    incidents = [
        _open(state, holders)
        for state in states.values()
        if state.status != "closed" and state.first_call is not None
    ]
    incidents.sort(key=lambda o: _urgency(o, policy))
    places = {name: _places(state) for name, state in states.items()}
    return Board(at, lookback, [units[u] for u in sorted(units)], incidents, places)


def _places(state: IncidentState) -> frozenset[str]:
    """The folded addresses of the incident's calls, and any `area` they carry (an extension
    field, kept verbatim by the stream format)."""
    found: set[str] = set()
    for call in state.calls:
        location = call.received.location
        for value in (
            getattr(call.received, "area", None),
            location.address if location else None,
            getattr(location, "area", None),
        ):
            if isinstance(value, str) and fold_address(value):
                found.add(fold_address(value))
    return frozenset(found)


def _holders(states: dict[str, IncidentState]) -> dict[str, tuple[str, UnitState]]:
    """Each committed unit's holder: the incident it was committed to last."""
    holders: dict[str, tuple[str, UnitState]] = {}
    for name, state in states.items():
        if state.status == "closed":
            continue
        for unit, entry in state.units.items():
            if entry.status not in COMMITTED:
                continue
            since = _committed_since(state, unit)
            current = holders.get(unit)
            if current is None or _committed_since(states[current[0]], unit).at < since.at:
                holders[unit] = (name, entry)
    return holders


def _last_seen(states: dict[str, IncidentState]) -> dict[str, tuple[str, UnitState]]:
    """Each unit's latest status change in any incident: for a free unit, its release."""
    seen: dict[str, tuple[str, UnitState]] = {}
    for name, state in states.items():
        for entry in state.unit_log:
            current = seen.get(entry.unit)
            if current is None or current[1].event.at <= entry.event.at:
                seen[entry.unit] = (name, entry)
    return seen


def _committed_since(state: IncidentState, unit: str) -> LedgerEvent:
    """The event that began the unit's present stretch of commitment to the incident."""
    start = state.units[unit].event
    for entry in reversed(state.unit_log):
        if entry.unit != unit:
            continue
        if entry.status not in COMMITTED:
            break
        start = entry.event
    return start


def _grade(state: IncidentState) -> str | None:
    return state.grade.grade if state.grade is not None else None


def _open(state: IncidentState, holders: dict[str, tuple[str, UnitState]]) -> Open:
    first = state.first_call
    assert first is not None
    units: list[Assigned] = []
    for unit, entry in sorted(state.units.items()):
        holder = holders.get(unit)
        if holder is not None and holder[0] == state.incident:
            units.append(Assigned(unit, entry.status, None))
        elif holder is not None:
            units.append(Assigned(unit, ELSEWHERE, holder[0]))
    arrival = state.first_arrival
    return Open(state.incident, _grade(state), first, deadline(state), arrival, tuple(units))


def deadline(state: IncidentState) -> datetime | None:
    """When the response target passes, as findings.md's response-target-missed counts it;
    None once a unit has arrived, or with no grade that has a target."""
    call = state.first_call
    if call is None or state.first_arrival is not None:
        return None
    times = [
        max(later(call.at, entry.target), entry.at)
        for entry in state.grades
        if entry.target is not None
    ]
    return min(times, default=None)


def _urgency(item: Open, policy: Policy) -> tuple[bool, bool, datetime, int, datetime, str]:
    """Unattended first; then the earliest deadline; then the most urgent grade; then the
    longest wait."""
    urgency = policy.urgency(item.grade) if item.grade is not None else None
    soonest = item.deadline or item.first_call.at
    return (
        item.arrival is not None,
        item.deadline is None,
        soonest,
        urgency if urgency is not None else 1_000,
        item.first_call.at,
        item.incident,
    )
