"""What a swimlane chart shows: one mark per event, in the lane where a reader looks for it.

Lanes: calls (a bar from answer to end, the end marked when cut off), grading and
classification, one lane per unit (bars while it is allocated, en route or at scene, a mark at
every change of its status), radio (a bar from message to acknowledgement, or a hollow mark
when none came), and the log (notes, markers, links, follow-ups, closing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ledger import events as ev
from projections.analysis.state_model import COMMITTED, IncidentState, UnitState
from projections.exports.rows import IncidentReport, Row

UNIT_WORDS = {
    "allocated": "allocated",
    "en-route": "en route",
    "at-scene": "at scene",
    "cleared": "cleared",
    "deallocated": "deallocated",
}
_UNIT_TYPES = (
    ev.UnitAllocated,
    ev.UnitDeallocated,
    ev.UnitDiverted,
    ev.UnitEnRoute,
    ev.UnitArrived,
    ev.UnitCleared,
)
_LOG_WORDS: dict[type[ev.LedgerEvent], str] = {
    ev.IncidentNoted: "note",
    ev.MarkerAdded: "marker placed",
    ev.MarkerRemoved: "marker removed",
    ev.IncidentLinked: "linked",
    ev.FollowUpPlanned: "follow-up planned",
    ev.FollowUpDone: "follow-up done",
    ev.IncidentClosed: "closed",
    ev.IncidentReopened: "reopened",
    ev.IncidentTransferred: "handed on",
}


@dataclass(frozen=True)
class Mark:
    lane: str  # "calls", "grading", "unit:CS41", "radio", "log"
    at: datetime
    end: datetime | None  # a bar from `at` to `end`; None for a point
    kind: str  # CSS class: call, call-cut, grade, unit-at-scene, radio-unacked, …
    label: str
    event_id: str
    title: str  # the tooltip: time and what happened, redacted


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    unit: str | None = None


def lanes_of(report: IncidentReport) -> list[Lane]:
    state = report.final
    units = list(dict.fromkeys(s.unit for s in state.unit_log)) if state else []
    return [
        Lane("calls", "Calls"),
        Lane("grading", "Grading & classification"),
        *(Lane(f"unit:{unit}", f"Unit {unit}", unit) for unit in units),
        Lane("radio", "Radio"),
        Lane("log", "Log & markers"),
    ]


def marks_of(report: IncidentReport, end_of_chart: datetime) -> list[Mark]:
    state = report.final
    if state is None:
        return []
    by_id = {row.event.id: row for row in report.rows}
    marks: list[Mark] = []
    for row in report.rows:
        marks += _row_marks(row, state)
    marks += _unit_marks(state, by_id, end_of_chart)
    return marks


def _title(row: Row) -> str:
    change = f" — {row.change}" if row.change else ""
    return f"{row.local} · {row.event.id}\n{row.what}{change}"


def _row_marks(row: Row, state: IncidentState) -> list[Mark]:
    e = row.event
    point: Callable[[str, str, str], Mark] = lambda lane, kind, label: Mark(  # noqa: E731
        lane, e.at, None, kind, label, e.id, _title(row)
    )
    if isinstance(e, ev.CallReceived):
        call = state.call(e.call)
        ended = call.ended if call is not None else None
        label = "callback" if e.channel == "outbound" else f"{e.channel} call"
        if ended is not None and ended.at > e.at:
            return [Mark("calls", e.at, ended.at, "call", label, e.id, _title(row))]
        return [point("calls", "call", label)]
    if isinstance(e, ev.CallEnded):
        cut = e.how != "completed"
        return [point("calls", "call-cut" if cut else "call-end", "cut off" if cut else "ended")]
    if isinstance(e, ev.IncidentGraded):
        return [point("grading", "grade", f"graded {e.grade}")]
    if isinstance(e, ev.IncidentClassified):
        domestic = " · domestic" if e.domestic else ""
        return [point("grading", "classify", f"{e.category}{domestic}")]
    if isinstance(e, ev.RadioTransmission):
        sent = state.transmissions.get(e.transmission)
        ack = sent.ack if sent is not None else None
        label = f"{e.from_} → {e.to}"
        if ack is not None and ack.at > e.at:
            return [Mark("radio", e.at, ack.at, "radio", label, e.id, _title(row))]
        if e.ack_required and ack is None:
            return [point("radio", "radio-unacked", f"{label}: no ack")]
        return [point("radio", "radio", label)]
    if isinstance(e, ev.RadioAcknowledged):
        return [point("radio", "radio-ack", "ack")]
    if isinstance(e, _UNIT_TYPES):
        return []  # drawn from the unit log, which knows each unit's status
    word = _LOG_WORDS.get(type(e), e.type)
    kind = "closed" if isinstance(e, ev.IncidentClosed) else "log"
    return [point("log", kind, word)]


def _unit_marks(state: IncidentState, rows: dict[str, Row], chart_end: datetime) -> list[Mark]:
    marks: list[Mark] = []
    closing = state.closings[-1].at if state.status == "closed" and state.closings else None
    by_unit: dict[str, list[UnitState]] = {}
    for change in state.unit_log:
        by_unit.setdefault(change.unit, []).append(change)
    for unit, changes in by_unit.items():
        lane = f"unit:{unit}"
        for index, change in enumerate(changes):
            row = rows.get(change.event.id)
            title = _title(row) if row is not None else change.event.id
            if change.status in COMMITTED:
                following = changes[index + 1].event.at if index + 1 < len(changes) else None
                until = following or closing or chart_end
                if until > change.event.at:
                    marks.append(
                        Mark(
                            lane,
                            change.event.at,
                            until,
                            f"unit-{change.status}",
                            "",
                            change.event.id,
                            title,
                        )
                    )
            marks.append(
                Mark(
                    lane,
                    change.event.at,
                    None,
                    f"unit-mark unit-{change.status}",
                    _unit_label(change),
                    change.event.id,
                    title,
                )
            )
    return marks


def _unit_label(change: UnitState) -> str:
    event = change.event
    if isinstance(event, ev.UnitDiverted):
        return f"diverted → {event.to_incident}"
    if change.status == "left-for-other-incident":
        other = getattr(event, "incident", "")
        return f"went to {other}" if other else "left"
    if change.status == "diverted-away":
        return "diverted away"
    return UNIT_WORDS.get(change.status, change.status)
