"""The record being written: stream.md events as JSON-ready dicts, in append order.

Times are integer seconds until they are written. Append order is the order in which the
record would have received them (`recorded_at`, else `at`), so evidence that arrives late
(a statement, a CAD entry keyed after the fact) lands out of `at` order, as in real streams.
"""

from __future__ import annotations

from typing import Any

from simulator.clock import rfc3339
from simulator.truth import Truth

COARSE = frozenset({"hour", "day", "month"})


class Ev:
    """One emitted event: its dict plus the numbers the simulator reasons with."""

    __slots__ = ("at", "body", "coarse", "id", "known", "retracted", "seq")

    def __init__(self, seq: int, eid: str, at: int, known: int, body: dict[str, Any]) -> None:
        self.seq = seq
        self.id = eid
        self.at = at
        self.known = known
        self.body = body
        self.coarse = body.get("precision") in COARSE
        self.retracted = False


class Recorder:
    def __init__(self, seed: int, late_recording: int, truth: Truth) -> None:
        self._prefix = f"s{seed}-"
        self._late = late_recording
        self._truth = truth
        self.events: list[Ev] = []

    def emit(
        self,
        type_: str,
        at: int,
        fields: dict[str, Any],
        *,
        recorded: int | None = None,
        precision: str | None = None,
        by: str | None = None,
        source: str | None = None,
    ) -> Ev:
        seq = len(self.events)
        eid = f"{self._prefix}{seq + 1:07d}"
        body: dict[str, Any] = {"id": eid, "type": type_, "at": rfc3339(at)}
        if recorded is not None:
            if recorded < at:
                raise ValueError(f"{type_} recorded before it happened")
            body["recorded_at"] = rfc3339(recorded)
        if precision is not None:
            body["precision"] = precision
        if by is not None:
            body["by"] = by
        if source is not None:
            body["source"] = source
        body.update(fields)
        ev = Ev(seq, eid, at, recorded if recorded is not None else at, body)
        self.events.append(ev)
        if recorded is not None and recorded - at > self._late:
            self._late_recording(ev, fields)
        return ev

    def _late_recording(self, ev: Ev, fields: dict[str, Any]) -> None:
        incident = fields.get("incident", fields.get("from_incident"))
        lag = ev.known - ev.at
        self._truth.add(
            "late-recording",
            incident if isinstance(incident, str) else None,
            ev.at,
            ev.known,
            (ev,),
            f"{ev.body['type']} entered the record {_hours(lag)} after it happened",
            matures=ev.known,
        )

    def retract(self, ev: Ev, at: int, reason: str, by: str) -> Ev:
        """An entry made in error; it stays in the record but counts for nothing."""
        if ev.known - ev.at > self._late:
            raise ValueError("the simulator never retracts a late-recorded event")
        ev.retracted = True
        return self.emit(
            "EventRetracted", at, {"retracts": ev.id, "reason": reason}, by=by, source="cad"
        )

    def correct(self, ev: Ev, at: int, changes: dict[str, Any], reason: str, by: str) -> Ev:
        return self.emit(
            "EventCorrected",
            at,
            {"corrects": ev.id, "changes": changes, "reason": reason},
            by=by,
            source="cad",
        )

    def clock(self) -> int:
        return max(max(ev.at, ev.known) for ev in self.events)

    def in_append_order(self) -> list[dict[str, Any]]:
        ordered = sorted(self.events, key=lambda ev: (ev.known, ev.seq))
        return [ev.body for ev in ordered]


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if rest else f"{hours} h"
