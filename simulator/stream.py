"""The record being written: stream.md events as JSON-ready dicts, in append order.

Times are integer seconds until they are written. Append order is the order in which the
record would have received them (`recorded_at`, else `at`), so evidence that arrives late
(a statement, a CAD entry keyed after the fact) lands out of `at` order, as in real streams.
"""

from __future__ import annotations

from typing import Any

from simulator.clock import rfc3339

COARSE = frozenset({"hour", "day", "month"})


class Ev:
    """One emitted event: its dict plus the numbers the simulator reasons with.

    `home` is the incident the event belongs to, as the scenario that wrote it knows it (a
    correction or retraction belongs where the event it changes does): a late-recording
    finding is on that incident.
    """

    __slots__ = ("at", "body", "coarse", "home", "id", "known", "retracted", "seq")

    def __init__(
        self, seq: int, eid: str, at: int, known: int, body: dict[str, Any], home: str | None
    ) -> None:
        self.seq = seq
        self.id = eid
        self.at = at
        self.known = known
        self.body = body
        self.home = home
        self.coarse = body.get("precision") in COARSE
        self.retracted = False


class Recorder:
    def __init__(self, seed: int) -> None:
        self._prefix = f"s{seed}-"
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
        home: str | None = None,
    ) -> Ev:
        """Record an event; `home` defaults to the incident it names (the one left, for a
        diversion)."""
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
        if home is None:
            named = fields.get("incident", fields.get("from_incident"))
            home = named if isinstance(named, str) else None
        ev = Ev(seq, eid, at, recorded if recorded is not None else at, body, home)
        self.events.append(ev)
        return ev

    def retract(self, ev: Ev, at: int, reason: str, by: str, *, recorded: int | None = None) -> Ev:
        """An entry made in error; it stays in the record but counts for nothing."""
        ev.retracted = True
        fields = {"retracts": ev.id, "reason": reason}
        return self.emit(
            "EventRetracted", at, fields, by=by, source="cad", recorded=recorded, home=ev.home
        )

    def correct(
        self,
        ev: Ev,
        at: int,
        changes: dict[str, Any],
        reason: str,
        by: str,
        *,
        recorded: int | None = None,
    ) -> Ev:
        fields = {"corrects": ev.id, "changes": changes, "reason": reason}
        return self.emit(
            "EventCorrected", at, fields, by=by, source="cad", recorded=recorded, home=ev.home
        )

    def clock(self) -> int:
        return max(max(ev.at, ev.known) for ev in self.events)

    def in_append_order(self) -> list[dict[str, Any]]:
        ordered = sorted(self.events, key=lambda ev: (ev.known, ev.seq))
        return [ev.body for ev in ordered]
