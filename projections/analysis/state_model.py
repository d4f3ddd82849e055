"""The shape of one incident's state (`projections.analysis.state` folds events into it).

States are immutable: a step returns a new state sharing the unchanged parts of the old one,
so a replay can keep every intermediate state cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal

from ledger.events import (
    CallEnded,
    CallReceived,
    FollowUpDone,
    FollowUpPlanned,
    IncidentClassified,
    IncidentClosed,
    IncidentGraded,
    IncidentLinked,
    IncidentNoted,
    IncidentTransferred,
    LedgerEvent,
    MarkerAdded,
    MarkerRemoved,
    RadioAcknowledged,
    RadioTransmission,
    UnitArrived,
)
from projections.analysis.effective import Effective

UnitStatus = Literal[
    "allocated",
    "en-route",
    "at-scene",
    "diverted-away",
    "deallocated",
    "cleared",
    "left-for-other-incident",
    "released-at-closing",
]
COMMITTED: frozenset[str] = frozenset({"allocated", "en-route", "at-scene"})
Status = Literal["open", "closed", "reopened"]


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class CallState:
    call: str
    received: CallReceived
    ended: CallEnded | None = None

    @property
    def how(self) -> str | None:
        """How the call ended (`completed`, `caller-hung-up`, …), None while it goes on."""
        return self.ended.how if self.ended is not None else None


@dataclass(frozen=True)
class GradeEntry:
    grade: str
    event: IncidentGraded
    target: timedelta | None  # the event's own target, else the policy's for the grade

    @property
    def at(self) -> datetime:
        return self.event.at


@dataclass(frozen=True)
class Classification:
    category: str
    domestic: bool
    flags: tuple[str, ...]
    event: IncidentClassified


@dataclass(frozen=True)
class UnitState:
    unit: str
    status: UnitStatus
    event: LedgerEvent  # the event that put the unit in this status

    @property
    def committed(self) -> bool:
        return self.status in COMMITTED


@dataclass(frozen=True)
class Commitment:
    """A change in the set of units committed to the incident, and the event that made it."""

    event: LedgerEvent
    units: frozenset[str]


@dataclass(frozen=True)
class Transmission:
    transmission: str
    sent: RadioTransmission
    ack: RadioAcknowledged | None = None


@dataclass(frozen=True)
class Link:
    other: str
    relation: str
    event: IncidentLinked | IncidentTransferred  # a transfer to an incident named is a link


@dataclass(frozen=True)
class Transfer:
    """A hand-over this incident made (`outgoing`) or received from another incident."""

    event: IncidentTransferred
    outgoing: bool
    held: GradeEntry | None  # the sender's grade at the transfer (outgoing only)
    position: int  # where the transfer stands in the incident's story (`events`)


@dataclass(frozen=True)
class FollowUp:
    plan: str
    planned: FollowUpPlanned
    done: FollowUpDone | None = None


@dataclass(frozen=True)
class MarkerRecord:
    """A marker on one subject as it stands: placed (`added`), and perhaps taken off."""

    key: str  # the subject's contact key, e.g. "phone:07700900123"
    marker: str
    added: MarkerAdded | None
    removed: MarkerRemoved | None

    @property
    def active(self) -> bool:
        return self.added is not None and self.removed is None


@dataclass(frozen=True)
class MarkerMatch:
    """A marker that matched one of the incident's calls, as it stood at that call."""

    call: CallReceived
    record: MarkerRecord


@dataclass(frozen=True)
class StatusChange:
    status: Status
    event: LedgerEvent


@dataclass(frozen=True)
class IncidentState:
    incident: str
    events: tuple[Effective, ...] = ()  # the events that told this state, in order
    calls: tuple[CallState, ...] = ()
    grades: tuple[GradeEntry, ...] = ()
    classifications: tuple[Classification, ...] = ()
    units: Mapping[str, UnitState] = field(default_factory=_empty)
    unit_log: tuple[UnitState, ...] = ()  # every change of a unit's status, in order
    committed: frozenset[str] = frozenset()  # the units committed now (kept as units change)
    commitments: tuple[Commitment, ...] = ()
    transmissions: Mapping[str, Transmission] = field(default_factory=_empty)
    links: tuple[Link, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    notes: tuple[IncidentNoted, ...] = ()
    follow_ups: Mapping[str, FollowUp] = field(default_factory=_empty)
    markers: tuple[MarkerMatch, ...] = ()
    status: Status = "open"
    status_log: tuple[StatusChange, ...] = ()
    arrivals: tuple[UnitArrived, ...] = ()
    # Every marker seen so far by subject key: a later call may match any of them.
    known_markers: Mapping[str, Mapping[str, MarkerRecord]] = field(default_factory=_empty)
    # A call end, acknowledgement or follow-up done seen before what it completes.
    pending: Mapping[tuple[str, str], LedgerEvent] = field(default_factory=_empty)

    @property
    def grade(self) -> GradeEntry | None:
        return self.grades[-1] if self.grades else None

    @property
    def classification(self) -> Classification | None:
        return self.classifications[-1] if self.classifications else None

    @property
    def first_call(self) -> CallReceived | None:
        return min((c.received for c in self.calls), key=lambda e: e.at, default=None)

    @property
    def first_arrival(self) -> UnitArrived | None:
        return self.arrivals[0] if self.arrivals else None

    @property
    def closings(self) -> tuple[IncidentClosed, ...]:
        return tuple(c.event for c in self.status_log if isinstance(c.event, IncidentClosed))

    def call(self, call_id: str) -> CallState | None:
        return next((c for c in self.calls if c.call == call_id), None)


def evolve(state: IncidentState, **changes: Any) -> IncidentState:
    """`dataclasses.replace` for the fold's hot path: a copy with `changes`, no re-validation.

    A state is frozen and has no `__post_init__`, so copying its fields is all replace does;
    doing it directly keeps folding a large ledger fast.
    """
    new = object.__new__(IncidentState)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new
