"""Terse, valid ledger events for tests: `s = Stream(); s.call("A", "c1", 0, phone=...)`.

Times are minutes after the stream's start (a number), an offset from it (a timedelta, for
second-exact boundaries: `minutes(5, 1)`), or datetimes; ids are `e-0001`, … in the order
events are made, which is also their append order in `s.events`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pydantic_core

from ledger.events import EVENT_ADAPTER, LedgerEvent
from projections.analysis.compute import analyse_all
from projections.analysis.findings import Finding
from projections.analysis.policy import DEFAULT_POLICY, Policy
from projections.analysis.view import View

BST = timezone(timedelta(hours=1))
START = datetime(2018, 5, 31, 23, 54, tzinfo=BST)  # the seed case's first 999 call

When = float | datetime | timedelta


def minutes(whole: int, seconds: int = 0) -> timedelta:
    """An exact offset from the stream's start: `minutes(5, 1)` is 5 min 1 s."""
    return timedelta(minutes=whole, seconds=seconds)


class Stream:
    """An append-ordered list of events under construction."""

    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self.events: list[LedgerEvent] = []

    def time(self, when: When) -> datetime:
        if isinstance(when, datetime):
            return when
        return self.start + (when if isinstance(when, timedelta) else timedelta(minutes=when))

    def add(self, type_: str, when: When, **fields: Any) -> LedgerEvent:
        """Append an event of `type_` at `when`; `recorded_at` may be minutes too."""
        data: dict[str, Any] = {"id": fields.pop("id", f"e-{len(self.events) + 1:04d}")}
        data.update(type=type_, at=self.time(when).isoformat())
        if "recorded_at" in fields:
            data["recorded_at"] = self.time(fields.pop("recorded_at")).isoformat()
        data.update({k: v for k, v in fields.items() if v is not None})
        event = EVENT_ADAPTER.validate_json(pydantic_core.to_json(data))
        self.events.append(event)
        return event

    def call(
        self,
        incident: str,
        call: str,
        when: When,
        *,
        channel: str = "999",
        phone: str | None = None,
        address: str | None = None,
        summary: str | None = None,
        **kw: Any,
    ) -> LedgerEvent:
        caller = {"phone": phone} if phone else None
        location = {"address": address} if address else None
        return self.add(
            "CallReceived",
            when,
            incident=incident,
            call=call,
            channel=channel,
            caller=caller,
            location=location,
            summary=summary,
            **kw,
        )

    def ended(self, call: str, when: When, how: str = "completed", **kw: Any) -> LedgerEvent:
        return self.add("CallEnded", when, call=call, how=how, **kw)

    def graded(self, incident: str, grade: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add("IncidentGraded", when, incident=incident, grade=grade, **kw)

    def classified(
        self,
        incident: str,
        when: When,
        category: str = "disturbance",
        domestic: bool = False,
        **kw: Any,
    ) -> LedgerEvent:
        return self.add(
            "IncidentClassified",
            when,
            incident=incident,
            category=category,
            domestic=domestic,
            **kw,
        )

    def unit(self, type_: str, incident: str, unit: str, when: When, **kw: Any) -> LedgerEvent:
        """`type_` is Allocated, Deallocated, EnRoute, Arrived or Cleared."""
        return self.add(f"Unit{type_}", when, incident=incident, unit=unit, **kw)

    def diverted(
        self, unit: str, from_: str, to: str, when: When, by: str = "control", **kw: Any
    ) -> LedgerEvent:
        return self.add(
            "UnitDiverted",
            when,
            unit=unit,
            from_incident=from_,
            to_incident=to,
            initiated_by=by,
            **kw,
        )

    def radio(self, transmission: str, from_: str, to: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add(
            "RadioTransmission", when, transmission=transmission, to=to, **{"from": from_}, **kw
        )

    def ack(self, transmission: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add("RadioAcknowledged", when, transmission=transmission, **kw)

    def marker(
        self,
        kind: str,
        key: str,
        when: When,
        removed: bool = False,
        marker: str = "domestic-abuse-priority",
        **kw: Any,
    ) -> LedgerEvent:
        type_ = "MarkerRemoved" if removed else "MarkerAdded"
        return self.add(type_, when, subject={"kind": kind, "key": key}, marker=marker, **kw)

    def linked(
        self, incident: str, other: str, when: When, relation: str = "related", **kw: Any
    ) -> LedgerEvent:
        return self.add(
            "IncidentLinked", when, incident=incident, linked=other, relation=relation, **kw
        )

    def noted(self, incident: str, text: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add("IncidentNoted", when, incident=incident, text=text, **kw)

    def planned(
        self,
        incident: str,
        plan: str,
        when: When,
        due: When,
        action: str = "welfare visit",
        **kw: Any,
    ) -> LedgerEvent:
        return self.add(
            "FollowUpPlanned",
            when,
            incident=incident,
            plan=plan,
            due=self.time(due).isoformat(),
            action=action,
            **kw,
        )

    def done(self, plan: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add("FollowUpDone", when, plan=plan, **kw)

    def closed(
        self, incident: str, when: When, outcome: str = "no further action", **kw: Any
    ) -> LedgerEvent:
        return self.add("IncidentClosed", when, incident=incident, outcome=outcome, **kw)

    def reopened(self, incident: str, when: When, **kw: Any) -> LedgerEvent:
        return self.add("IncidentReopened", when, incident=incident, **kw)

    def transferred(
        self,
        incident: str,
        when: When,
        to_agency: str = "Other Force",
        to_incident: str | None = None,
        **kw: Any,
    ) -> LedgerEvent:
        return self.add(
            "IncidentTransferred",
            when,
            incident=incident,
            to_agency=to_agency,
            to_incident=to_incident,
            **kw,
        )

    def corrected(self, target: LedgerEvent, when: When, **changes: Any) -> LedgerEvent:
        return self.add(
            "EventCorrected", when, corrects=target.id, changes=changes, reason="entered wrongly"
        )

    def retracted(self, target: LedgerEvent, when: When, **kw: Any) -> LedgerEvent:
        return self.add("EventRetracted", when, retracts=target.id, reason="made in error", **kw)


def evaluate(
    events: list[LedgerEvent],
    policy: Policy = DEFAULT_POLICY,
    *,
    at: datetime | None = None,
    as_known_at: datetime | None = None,
    incidents: list[str] | None = None,
) -> list[Finding]:
    """Every finding over the events, through the one pipeline (as a store would give it)."""
    if not events:
        return []
    view = View(policy, at, as_known_at)
    return analyse_all(events, view, incidents=incidents).findings()


def found(stream: Stream, code: str, clock: When | None = None, **kw: Any) -> list[Finding]:
    """The findings of one code over the stream, at `clock` (minutes: the world up to then)
    or at the stream's own clock."""
    policy = kw.pop("policy", DEFAULT_POLICY)
    at = stream.time(clock) if clock is not None else kw.pop("at", None)
    return [f for f in evaluate(stream.events, policy, at=at, **kw) if f.code == code]
