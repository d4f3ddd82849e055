"""Hypothesis strategies for valid stream events: every type, every kind of field, at the
edges of what the contract allows (stream.md, validation round 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from ledger.durations import LONGEST
from ledger.instants import EARLIEST, LATEST

# Text anything may hold: no control characters but tab and newline (stream.md round 2).
_CONTROLS = [chr(c) for c in [*range(9), *range(11, 32), *range(127, 160)]]
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_CONTROLS), max_size=40
)
# Identifiers: no control character, separator or bidirectional override; 1-200 characters.
_FORBIDDEN_IN_IDS = [
    *(chr(c) for c in [*range(32), *range(127, 160)]),
    "\u2028",
    "\u2029",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
]
IDENTIFIER = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters=_FORBIDDEN_IN_IDS),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["CAD-1", "#hash", "control", "é" * 200, "K" * 199, "0", " "]),
)
REF = st.sampled_from(["A", "B", "#C", "Ünïcode"]) | IDENTIFIER  # shared names meet more often
UNIT = st.sampled_from(["KD21", "CS41", "U 1"]) | IDENTIFIER


def _offsets() -> st.SearchStrategy[timezone]:
    minutes = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)
    return st.one_of(st.just(UTC), minutes.map(lambda m: timezone(timedelta(minutes=m))))


@st.composite
def instants(draw: st.DrawFn, low: datetime = EARLIEST) -> datetime:
    """An aware time whose UTC instant is within years 0001-9999, the edges likely."""
    usual = datetime(2018, 6, 1, tzinfo=UTC)
    edges = [low, LATEST, *([usual] if usual >= low else [])]
    moment = draw(
        st.one_of(
            st.sampled_from(edges),
            st.datetimes(
                min_value=low.replace(tzinfo=None), max_value=LATEST.replace(tzinfo=None)
            ).map(lambda naive: naive.replace(tzinfo=UTC)),
        )
    )
    zone = draw(_offsets())
    try:
        local = moment.replace(tzinfo=None) + (zone.utcoffset(None) or timedelta())
    except OverflowError:  # the local time itself would fall off the calendar: write it in UTC
        zone, local = UTC, moment.replace(tzinfo=None)
    return local.replace(tzinfo=zone)


def rfc3339(moment: datetime, spelling: int = 0) -> str:
    """One of RFC 3339's spellings: `Z` or an offset, whole seconds or a fraction, t and z."""
    text = moment.isoformat(timespec="microseconds" if spelling % 2 else "seconds")
    if moment.utcoffset() == timedelta() and spelling % 3 == 0:
        text = text.removesuffix("+00:00") + "Z"
    return text.replace("T", "t").replace("Z", "z") if spelling % 5 == 4 else text


def durations() -> st.SearchStrategy[str]:
    parts = st.tuples(
        st.integers(0, LONGEST.days), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)
    )
    return st.one_of(
        st.sampled_from(["PT15M", "P180D", f"P{LONGEST.days}D", "PT0S", "P2W", "PT0.5S"]),
        parts.map(lambda p: f"P{p[0]}DT{p[1]}H{p[2]}M{p[3]}S"),
    )


JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)

CALLER = st.fixed_dictionaries(
    {},
    optional={
        "name": TEXT,
        "phone": st.sampled_from(["07700 900123", "+44 7700 900123", ""]) | TEXT,
        "relation": st.sampled_from(["victim", "third-party", "witness", "professional"]),
    },
)
LOCATION = st.fixed_dictionaries(
    {},
    optional={
        "address": TEXT,
        "lat": st.floats(-90, 90),
        "lon": st.floats(-180, 180),
    },
)
SUBJECT = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["premises", "phone", "person"]),
        "key": st.sampled_from(["1 High Street", "07700 900123"]) | IDENTIFIER,
    }
)

# Per type: (required fields, optional fields), as stream.md lists them.
TYPES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "CallReceived": (
        {
            "incident": REF,
            "call": IDENTIFIER,
            "channel": st.sampled_from(["999", "101", "online", "outbound", "other"]),
        },
        {"caller": CALLER, "location": LOCATION, "summary": TEXT},
    ),
    "CallEnded": (
        {
            "call": IDENTIFIER,
            "how": st.sampled_from(
                ["completed", "caller-hung-up", "handler-terminated", "line-dropped"]
            ),
        },
        {"outcome": TEXT},
    ),
    "IncidentGraded": (
        {"incident": REF, "grade": st.sampled_from(["I", "S", "E", "R", "P1"])},
        {"target": durations(), "rationale": TEXT},
    ),
    "IncidentClassified": (
        {"incident": REF, "category": st.sampled_from(["domestic", "theft"])},
        {"domestic": st.booleans(), "flags": st.lists(TEXT, max_size=3), "rationale": TEXT},
    ),
    "UnitAllocated": ({"incident": REF, "unit": UNIT}, {}),
    "UnitDeallocated": ({"incident": REF, "unit": UNIT}, {"reason": TEXT}),
    "UnitDiverted": (
        {
            "unit": UNIT,
            "from_incident": REF,
            "to_incident": REF,
            "initiated_by": st.sampled_from(["control", "unit"]),
        },
        {"via": IDENTIFIER, "reason": TEXT},
    ),
    "UnitEnRoute": ({"incident": REF, "unit": UNIT}, {}),
    "UnitArrived": ({"incident": REF, "unit": UNIT}, {"location": LOCATION}),
    "UnitCleared": ({"incident": REF, "unit": UNIT}, {"outcome": TEXT}),
    "RadioTransmission": (
        {"transmission": IDENTIFIER, "from": UNIT, "to": st.just("control") | UNIT},
        {"message": TEXT, "incident": REF, "ack_required": st.booleans()},
    ),
    "RadioAcknowledged": ({"transmission": IDENTIFIER}, {}),
    "MarkerAdded": (
        {"subject": SUBJECT, "marker": st.sampled_from(["domestic-abuse-priority", "x"])},
        {"reason": TEXT, "review_by": instants().map(rfc3339)},
    ),
    "MarkerRemoved": (
        {"subject": SUBJECT, "marker": st.sampled_from(["domestic-abuse-priority", "x"])},
        {"reason": TEXT},
    ),
    "IncidentLinked": (
        {
            "incident": REF,
            "linked": REF,
            "relation": st.sampled_from(
                ["repeat-call", "same-caller", "duplicate", "related", "transfer"]
            ),
        },
        {},
    ),
    "IncidentNoted": ({"incident": REF, "text": TEXT}, {}),
    "FollowUpPlanned": (
        {
            "incident": REF,
            "plan": IDENTIFIER,
            "due": instants().map(rfc3339),
            "action": st.sampled_from(["call back", "visit"]),
        },
        {},
    ),
    "FollowUpDone": ({"plan": IDENTIFIER}, {"outcome": TEXT}),
    "IncidentClosed": ({"incident": REF, "outcome": st.sampled_from(["resolved", "x"])}, {}),
    "IncidentReopened": ({"incident": REF}, {}),
    "IncidentTransferred": (
        {"incident": REF, "to_agency": st.sampled_from(["South Wales Police", "x"])},
        {
            "to_incident": REF,
            "grade": st.sampled_from(["I", "S", "G1"]),
            "to_grade": st.sampled_from(["I", "S", "G2"]),
            "summary": TEXT | st.just("threat to kill"),
            "reason": TEXT,
        },
    ),
}
ENVELOPE = {
    "precision": st.sampled_from(["second", "minute", "hour", "day", "month"]),
    "by": TEXT,
    "source": st.sampled_from(["cad", "radio-log", "statement"]),
    "note": TEXT,
}


@st.composite
def facts(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """A valid event of any type but a correction or retraction, id `f-NUMBER`."""
    kind = draw(st.sampled_from(sorted(TYPES)))
    required, optional = TYPES[kind]
    at = draw(instants())
    spelling = draw(st.integers(0, 9))
    event: dict[str, Any] = {"id": f"f-{number}", "type": kind, "at": rfc3339(at, spelling)}
    event.update(draw(st.fixed_dictionaries(required, optional={**optional, **ENVELOPE})))
    if draw(st.booleans()):  # to the microsecond, as `at` may be: never written before it
        event["recorded_at"] = rfc3339(draw(instants(low=at.astimezone(UTC))), 1)
    if draw(st.integers(0, 4)) == 0:
        event[draw(st.sampled_from(["extra", "force_ref", "x-y"]))] = draw(JSON_VALUE)
    return event


@st.composite
def streams(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1-4 facts, then perhaps a correction of one field of one of them and a retraction."""
    events = [draw(facts(n)) for n in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        target = draw(st.sampled_from(events))
        field = draw(st.sampled_from(["note", "by", "source"]))
        value = draw(TEXT)
        events.append(
            {
                "id": "fix-1",
                "type": "EventCorrected",
                "at": rfc3339(draw(instants())),
                "corrects": target["id"],
                "changes": {field: value},
                "reason": "fuzz",
            }
        )
    if draw(st.integers(0, 3)) == 0:
        events.append(
            {
                "id": "undo-1",
                "type": "EventRetracted",
                "at": rfc3339(draw(instants())),
                "retracts": draw(st.sampled_from(events))["id"],
                "reason": "fuzz",
            }
        )
    return events
