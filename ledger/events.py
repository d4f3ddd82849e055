"""The stored contract: one pydantic model per stream `type` (see shared/spec/stream.md).

Events are stored under their stream `type` name, never a Python path, so this module can
move without breaking a store. Unknown top-level (and nested) fields are kept verbatim.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

from ledger.durations import parse_duration
from ledger.text import MAX_INDEXED

# "5min" and "15min" (issue 12): a time known to about five or fifteen minutes ("about 02:30").
Precision = Literal["second", "minute", "5min", "15min", "hour", "day", "month"]
COARSE_PRECISIONS: frozenset[str] = frozenset({"5min", "15min", "hour", "day", "month"})
EXACT_ENOUGH = timedelta(minutes=1)  # an `uncertainty` up to this is as good as `minute`


class Kind(Enum):
    """What a field holds, for the rules an import applies (ledger.write.field_rules).

    pydantic ignores these marks: events read back from the store are taken as stored, so a
    store written by an earlier version stays readable, and reading costs nothing more. Only
    the lengths (checked by pydantic itself, cheaply) apply to both.
    """

    IDENTIFIER = "identifier"  # names or places something: an incident, a call, an event
    INDEXED = "indexed"  # filed in the index: a caller's name or phone, an address (length only)
    INSTANT = "instant"  # an RFC 3339 time (ledger.instants)
    DURATION = "duration"  # an ISO 8601 duration, kept as written (ledger.durations)


Instant = Annotated[AwareDatetime, Kind.INSTANT]
Duration = Annotated[str, Kind.DURATION]
NonEmpty = Annotated[str, Field(min_length=1)]
# Identifiers and indexed strings are at most 200 characters, as ids are (ledger.text).
Identifier = Annotated[str, Field(min_length=1, max_length=MAX_INDEXED), Kind.IDENTIFIER]
OptionalIdentifier = Annotated[str, Field(max_length=MAX_INDEXED), Kind.IDENTIFIER]
EventId = Identifier
Indexed = Annotated[str, Field(max_length=MAX_INDEXED), Kind.INDEXED]


class _Open(BaseModel):
    """A JSON object whose unknown fields are kept, and whose known ones are strict."""

    model_config = ConfigDict(strict=True, extra="allow", populate_by_name=True, defer_build=True)


class Caller(_Open):
    name: Indexed | None = None
    phone: Indexed | None = None
    relation: Literal["victim", "third-party", "witness", "professional"] | None = None


class Location(_Open):
    address: Indexed | None = None
    lat: float | None = None
    lon: float | None = None


class Subject(_Open):
    kind: Literal["premises", "phone", "person"]
    key: Annotated[str, Field(min_length=1, max_length=MAX_INDEXED), Kind.INDEXED]


class LedgerEvent(_Open):
    """The envelope every event carries."""

    # Fields that place an event: a correction may not change them (stream.md).
    PLACING: ClassVar[frozenset[str]] = frozenset(
        {
            "id",
            "type",
            "recorded_at",
            "incident",
            "call",
            "unit",
            "transmission",
            "plan",
            "from_incident",
            "to_incident",
            "linked",
            "subject",
        }
    )

    id: EventId
    type: str
    at: Instant
    recorded_at: Instant | None = None
    precision: Precision = "second"
    # How far `at` may be out either way, as an ISO 8601 duration ("PT20M"): finer than any
    # `precision` when the source says so ("between 02:10 and 02:50").
    uncertainty: Duration | None = None
    by: str | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _recorded_not_before_at(self) -> LedgerEvent:
        if self.recorded_at is not None and self.recorded_at < self.at:
            raise ValueError("recorded_at is earlier than at: evidence cannot predate the fact")
        return self

    @property
    def known_at(self) -> datetime:
        """When the fact entered the record: `recorded_at`, or `at` when none is given."""
        return self.recorded_at or self.at

    @property
    def approximate(self) -> bool:
        """Coarser than a minute: by its `precision`, or by an `uncertainty` over a minute."""
        if self.precision in COARSE_PRECISIONS:
            return True
        return self.uncertainty is not None and parse_duration(self.uncertainty) > EXACT_ENOUGH


class CallReceived(LedgerEvent):
    type: Literal["CallReceived"]
    incident: Identifier
    call: Identifier
    channel: Literal["999", "101", "online", "outbound", "other"]
    caller: Caller | None = None
    location: Location | None = None
    summary: str | None = None


class CallEnded(LedgerEvent):
    type: Literal["CallEnded"]
    call: Identifier
    how: Literal["completed", "caller-hung-up", "handler-terminated", "line-dropped"]
    outcome: str | None = None


class IncidentGraded(LedgerEvent):
    type: Literal["IncidentGraded"]
    incident: Identifier
    grade: NonEmpty
    target: Duration | None = None
    rationale: str | None = None


class IncidentClassified(LedgerEvent):
    type: Literal["IncidentClassified"]
    incident: Identifier
    category: NonEmpty
    domestic: bool | None = None
    flags: list[str] | None = None
    rationale: str | None = None


class UnitAllocated(LedgerEvent):
    type: Literal["UnitAllocated"]
    incident: Identifier
    unit: Identifier


class UnitDeallocated(LedgerEvent):
    type: Literal["UnitDeallocated"]
    incident: Identifier
    unit: Identifier
    reason: str | None = None


class UnitDiverted(LedgerEvent):
    type: Literal["UnitDiverted"]
    unit: Identifier
    from_incident: Identifier
    to_incident: Identifier
    initiated_by: Literal["control", "unit"]
    via: OptionalIdentifier | None = None
    reason: str | None = None


class UnitEnRoute(LedgerEvent):
    type: Literal["UnitEnRoute"]
    incident: Identifier
    unit: Identifier


class UnitArrived(LedgerEvent):
    type: Literal["UnitArrived"]
    incident: Identifier
    unit: Identifier
    location: Location | None = None


class UnitCleared(LedgerEvent):
    type: Literal["UnitCleared"]
    incident: Identifier
    unit: Identifier
    outcome: str | None = None


class RadioTransmission(LedgerEvent):
    type: Literal["RadioTransmission"]
    transmission: Identifier
    from_: Identifier = Field(alias="from")
    to: Identifier
    message: str | None = None
    incident: OptionalIdentifier | None = None
    ack_required: bool = True


class RadioAcknowledged(LedgerEvent):
    type: Literal["RadioAcknowledged"]
    transmission: Identifier


class MarkerAdded(LedgerEvent):
    type: Literal["MarkerAdded"]
    subject: Subject
    marker: NonEmpty
    reason: str | None = None
    review_by: Instant | None = None


class MarkerRemoved(LedgerEvent):
    type: Literal["MarkerRemoved"]
    subject: Subject
    marker: NonEmpty
    reason: str | None = None


class IncidentLinked(LedgerEvent):
    type: Literal["IncidentLinked"]
    incident: Identifier
    linked: Identifier
    relation: Literal["repeat-call", "same-caller", "duplicate", "related", "transfer"]


class IncidentNoted(LedgerEvent):
    type: Literal["IncidentNoted"]
    incident: Identifier
    text: str


class FollowUpPlanned(LedgerEvent):
    type: Literal["FollowUpPlanned"]
    incident: Identifier
    plan: Identifier
    due: Instant
    action: NonEmpty


class FollowUpDone(LedgerEvent):
    type: Literal["FollowUpDone"]
    plan: Identifier
    outcome: str | None = None


class IncidentClosed(LedgerEvent):
    type: Literal["IncidentClosed"]
    incident: Identifier
    outcome: NonEmpty


class IncidentReopened(LedgerEvent):
    type: Literal["IncidentReopened"]
    incident: Identifier


class IncidentTransferred(LedgerEvent):
    """(round 2) The incident is handed to another force or control room; it stays open until
    it is closed. `grade` is in the sender's codes, `to_grade` in the receiver's."""

    type: Literal["IncidentTransferred"]
    incident: Identifier
    to_agency: NonEmpty
    to_incident: OptionalIdentifier | None = None
    grade: str | None = None
    to_grade: str | None = None
    summary: str | None = None
    reason: str | None = None

    @property
    def receiver(self) -> str | None:
        """The receiving incident when it is another one named here: the transfer then links
        the two both ways, as an `IncidentLinked` with relation `transfer` would."""
        if self.to_incident and self.to_incident != self.incident:
            return self.to_incident
        return None


class EventCorrected(LedgerEvent):
    type: Literal["EventCorrected"]
    corrects: EventId
    changes: dict[str, Any] = Field(min_length=1)
    reason: NonEmpty

    @field_validator("changes")
    @classmethod
    def _changes_leave_placing_fields_alone(cls, changes: dict[str, Any]) -> dict[str, Any]:
        forbidden = sorted(set(changes) & LedgerEvent.PLACING)
        if forbidden:
            raise ValueError(
                f"a correction may not change {', '.join(forbidden)}: "
                "to move an event, retract it and record it anew"
            )
        return changes


class EventRetracted(LedgerEvent):
    type: Literal["EventRetracted"]
    retracts: EventId
    reason: NonEmpty


AnyEvent = Union[  # noqa: UP007 -- a discriminated union needs the explicit Union form
    CallReceived,
    CallEnded,
    IncidentGraded,
    IncidentClassified,
    UnitAllocated,
    UnitDeallocated,
    UnitDiverted,
    UnitEnRoute,
    UnitArrived,
    UnitCleared,
    RadioTransmission,
    RadioAcknowledged,
    MarkerAdded,
    MarkerRemoved,
    IncidentLinked,
    IncidentNoted,
    FollowUpPlanned,
    FollowUpDone,
    IncidentClosed,
    IncidentReopened,
    IncidentTransferred,
    EventCorrected,
    EventRetracted,
]

EVENT_TYPES: dict[str, type[LedgerEvent]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls for cls in get_args(AnyEvent)
}


@cache
def _adapter() -> TypeAdapter[AnyEvent]:
    return TypeAdapter(Annotated[AnyEvent, Field(discriminator="type")])


def __getattr__(name: str) -> Any:
    # EVENT_ADAPTER validates any type by its `type` field. Building its schema takes a good
    # part of a second, so it is built on first use (by imports), not at every start-up.
    if name == "EVENT_ADAPTER":
        return _adapter()
    raise AttributeError(name)


def dump(event: LedgerEvent) -> dict[str, Any]:
    """The event as a JSON-ready dict: the fields it was given, times in one normal form."""
    return event.model_dump(mode="json", by_alias=True, exclude_unset=True)


# Per type, the fields naming an incident, the one it concerns first: worked out once, since
# every view asks this of every event.
_NAMING: dict[type[LedgerEvent], tuple[str, ...]] = {
    cls: tuple(
        name
        for name in ("from_incident", "incident", "to_incident", "linked")
        if name in cls.model_fields
    )
    for cls in EVENT_TYPES.values()
}


def link_ends(event: LedgerEvent) -> tuple[str, str] | None:
    """The two incidents a link ties together: an `IncidentLinked`'s, or a transfer's when its
    receiving incident is named (stream.md); None for any other event or a link to itself."""
    if isinstance(event, IncidentLinked):
        return (event.incident, event.linked) if event.incident != event.linked else None
    if isinstance(event, IncidentTransferred) and event.receiver is not None:
        return event.incident, event.receiver
    return None


def incidents_named(event: LedgerEvent) -> tuple[str, ...]:
    """Every incident the event names directly, the one it concerns first."""
    values = event.__dict__
    return tuple(
        value
        for name in _NAMING.get(type(event), ())
        if isinstance(value := values.get(name), str) and value
    )
