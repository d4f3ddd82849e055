"""Each event in words, as a control-room log would put it, for timelines and reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ledger import events as ev
from ledger.durations import describe as in_words
from ledger.durations import parse_duration


def _quote(text: str | None) -> str:
    """Quoted whole: words are evidence ("…he would come b…" lost "to kill her"); only a
    terminal table may wrap them."""
    if not text:
        return ""
    return f" «{' '.join(text.split())}»"


def _call(e: ev.CallReceived) -> str:
    kind = "callback" if e.channel == "outbound" else f"{e.channel} call"
    who = ""
    if e.caller is not None:
        parts = [p for p in (e.caller.name, e.caller.phone) if p]
        relation = f", {e.caller.relation}" if e.caller.relation else ""
        who = f" from {' '.join(parts)}{relation}" if parts else ""
    where = f" at {e.location.address}" if e.location is not None and e.location.address else ""
    return f"{kind} {e.call}{who}{where}{_quote(e.summary)}"


def _ended(e: ev.CallEnded) -> str:
    how = {
        "completed": "ended",
        "caller-hung-up": "cut off: caller hung up",
        "handler-terminated": "cut off: handler ended the call",
        "line-dropped": "cut off: line dropped",
    }[e.how]
    return f"call {e.call} {how}{_quote(e.outcome)}"


def _graded(e: ev.IncidentGraded) -> str:
    target = f" (target {in_words(parse_duration(e.target))})" if e.target else ""
    return f"graded {e.grade}{target}{_quote(e.rationale)}"


def _classified(e: ev.IncidentClassified) -> str:
    domestic = " (domestic)" if e.domestic else ""
    flags = f" [{', '.join(e.flags)}]" if e.flags else ""
    return f"classified {e.category}{domestic}{flags}{_quote(e.rationale)}"


def _unit(e: Any) -> str:
    """The unit in words: its call sign, or, when the record names only the station or squad it
    came from (a CAD import with unit_kind = "station"), "a unit from R10"."""
    station = (e.model_extra or {}).get("station")
    return f"a unit from {station}" if isinstance(station, str) and station else str(e.unit)


def _diverted(e: ev.UnitDiverted) -> str:
    who = "by control" if e.initiated_by == "control" else "on the unit's own initiative"
    via = f", via {e.via}" if e.via else ""
    return (
        f"{_unit(e)} diverted from {e.from_incident} to {e.to_incident} "
        f"{who}{via}{_quote(e.reason)}"
    )


def _radio(e: ev.RadioTransmission) -> str:
    ack = "" if e.ack_required else " (no ack needed)"
    return f"radio {e.transmission}: {e.from_} → {e.to}{_quote(e.message)}{ack}"


def _marker(e: ev.MarkerAdded | ev.MarkerRemoved) -> str:
    verb = "placed on" if isinstance(e, ev.MarkerAdded) else "removed from"
    return f"marker {e.marker} {verb} {e.subject.kind} {e.subject.key}{_quote(e.reason)}"


def _due(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _transferred(e: ev.IncidentTransferred) -> str:
    there = f" as {e.to_incident}" if e.to_incident else ""
    grades = f" (grade {e.grade}" if e.grade else ""
    if e.to_grade:
        grades += f", received as {e.to_grade})" if grades else f" (received as {e.to_grade})"
    elif grades:
        grades += ")"
    return f"{e.incident} handed to {e.to_agency}{there}{grades}{_quote(e.summary)}"


_WORDS: dict[type[Any], Callable[[Any], str]] = {
    ev.CallReceived: _call,
    ev.CallEnded: _ended,
    ev.IncidentGraded: _graded,
    ev.IncidentClassified: _classified,
    ev.UnitAllocated: lambda e: f"{_unit(e)} allocated to {e.incident}",
    ev.UnitDeallocated: lambda e: f"{_unit(e)} deallocated from {e.incident}{_quote(e.reason)}",
    ev.UnitDiverted: _diverted,
    ev.UnitEnRoute: lambda e: f"{_unit(e)} en route to {e.incident}",
    ev.UnitArrived: lambda e: f"{_unit(e)} arrived at {e.incident}",
    ev.UnitCleared: lambda e: f"{_unit(e)} cleared from {e.incident}{_quote(e.outcome)}",
    ev.RadioTransmission: _radio,
    ev.RadioAcknowledged: lambda e: f"radio {e.transmission} acknowledged",
    ev.MarkerAdded: _marker,
    ev.MarkerRemoved: _marker,
    ev.IncidentLinked: lambda e: f"{e.incident} linked to {e.linked} ({e.relation})",
    ev.IncidentNoted: lambda e: f"note{_quote(e.text)}",
    ev.FollowUpPlanned: lambda e: f"follow-up {e.plan} planned: {e.action}, due {_due(e.due)}",
    ev.FollowUpDone: lambda e: f"follow-up {e.plan} done{_quote(e.outcome)}",
    ev.IncidentClosed: lambda e: f"closed: {e.outcome}",
    ev.IncidentReopened: lambda e: "reopened",
    ev.IncidentTransferred: _transferred,
    ev.EventCorrected: lambda e: f"correction of {e.corrects}{_quote(e.reason)}",
    ev.EventRetracted: lambda e: f"retraction of {e.retracts}{_quote(e.reason)}",
}


def describe_event(event: ev.LedgerEvent) -> str:
    """What happened, in words: `KD21 diverted from CAD-1 to CAD-2 on the unit's own initiative`."""
    words = _WORDS[type(event)](event)
    return f"{words} — {event.note}" if event.note else words


def when(event: ev.LedgerEvent) -> str:
    """`2018-05-31 23:54:00 +01:00`, or `≈ 2018-01-01 …` for a time coarser than a minute."""
    iso = event.at.replace(microsecond=0).isoformat(sep=" ")  # 2018-05-31 23:54:00+01:00
    text = f"{iso[:19]} {iso[19:]}"
    return f"≈ {text}" if event.approximate else text
