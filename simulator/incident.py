"""Writing one incident's events, and keeping the facts the judge needs alongside them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.clock import rfc3339
from simulator.facts import (
    ArrivalFact,
    CallFact,
    ClassFact,
    GradeFact,
    LeaveFact,
    MarkerFact,
    Move,
    PlanFact,
    RepeatFact,
    TransferFact,
    TxFact,
)
from simulator.identities import Person
from simulator.stream import Ev

if TYPE_CHECKING:
    from simulator.context import Ctx


def iso_minutes(seconds: int) -> str:
    return f"PT{seconds // 60}M" if seconds % 60 == 0 else f"PT{seconds}S"


class Incident:
    def __init__(self, ctx: Ctx, ref: str) -> None:
        self.ctx = ctx
        self.ref = ref
        self.handler = f"CH{ctx.rng.randint(1001, 1060)}"
        self.dispatcher = f"DS{ctx.rng.randint(201, 230)}"
        self.calls: list[CallFact] = []
        self.grades: list[GradeFact] = []
        self.classes: list[ClassFact] = []
        self.triggers: list[Ev] = []  # calls and notes carrying a domestic term
        self.arrivals: list[ArrivalFact] = []
        self.moves: list[Move] = []
        self.control: list[Ev] = []  # control actions: allocations, deallocations, diversions
        self.closings: list[Ev] = []
        self.reopenings: list[int] = []
        self.leaves: list[LeaveFact] = []
        self.plans: list[PlanFact] = []
        self.txs: list[TxFact] = []
        self.repeats: list[RepeatFact] = []
        self.markers: list[MarkerFact] = []
        self.sent: list[TransferFact] = []  # hand-overs to another force
        self.received: list[TransferFact] = []  # hand-overs from another incident here
        self.reopened = False

    def _emit(self, type_: str, at: int, fields: dict[str, Any], **kw: Any) -> Ev:
        return self.ctx.rec.emit(type_, at, fields, **kw)

    # calls -----------------------------------------------------------------------------
    def call(
        self,
        at: int,
        length: int,
        *,
        channel: str,
        person: Person,
        summary: str,
        how: str = "completed",
        relation: str = "victim",
        phone_form: int = 0,
        place_form: int = 0,
        with_place: bool = True,
    ) -> CallFact:
        caller: dict[str, Any] = {"name": person.name, "relation": relation}
        if person.phone is not None:
            caller["phone"] = person.phone.written(phone_form)
        fields: dict[str, Any] = {"incident": self.ref, "call": self.ctx.next_id("CALL")}
        fields.update(channel=channel, caller=caller)
        if with_place:
            fields["location"] = {"address": person.place.written(place_form)}
        fields["summary"] = summary
        received = self._emit("CallReceived", at, fields, by=self.handler, source="cad")
        if self.ctx.terms.search(summary):
            self.triggers.append(received)
        fact = CallFact(received, at, outbound=False)
        self.calls.append(fact)
        self._end(fact, at + length, how)
        return fact

    def callback(self, at: int, length: int, name: str, summary: str) -> CallFact:
        """An outbound call by the control room; no number is recorded on it (see README)."""
        fields: dict[str, Any] = {"incident": self.ref, "call": self.ctx.next_id("CALL")}
        fields.update(channel="outbound", caller={"name": name}, summary=summary)
        received = self._emit("CallReceived", at, fields, by=self.handler, source="cad")
        fact = CallFact(received, at, outbound=True)
        self.calls.append(fact)
        self._end(fact, at + length, "completed")
        return fact

    def _end(self, fact: CallFact, at: int, how: str) -> None:
        outcome = "details taken" if how == "completed" else "call lost"
        fields = {"call": fact.received.body["call"], "how": how, "outcome": outcome}
        fact.ended = self._emit(
            "CallEnded", at, fields, by=self.handler, source="cad", home=self.ref
        )
        fact.end_at, fact.how = at, how

    # triage ----------------------------------------------------------------------------
    def classify(self, at: int, category: str, domestic: bool, rationale: str = "") -> ClassFact:
        fields: dict[str, Any] = {"incident": self.ref, "category": category, "domestic": domestic}
        if rationale:
            fields["rationale"] = rationale
        ev = self._emit("IncidentClassified", at, fields, by=self.handler, source="cad")
        fact = ClassFact(ev, at, domestic)
        self.classes.append(fact)
        return fact

    def correct_to_domestic(self, fact: ClassFact, at: int) -> None:
        changes = {"category": "domestic", "domestic": True}
        self.ctx.rec.correct(fact.ev, at, changes, "classification keyed wrongly", "SUP07")
        fact.domestic = True

    def grade(
        self, at: int, grade: str, *, target: int | None = None, rationale: str = "", by: str = ""
    ) -> GradeFact:
        fields: dict[str, Any] = {"incident": self.ref, "grade": grade}
        if target is not None:
            fields["target"] = iso_minutes(target)
        if rationale:
            fields["rationale"] = rationale
        ev = self._emit("IncidentGraded", at, fields, by=by or self.handler, source="cad")
        fact = GradeFact(ev, at, grade, target)
        self.grades.append(fact)
        return fact

    def correct_grade(self, fact: GradeFact, at: int, grade: str) -> None:
        self.ctx.rec.correct(fact.ev, at, {"grade": grade}, "wrong grade keyed", self.handler)
        fact.grade = grade

    def note(self, at: int, text: str, **kw: Any) -> Ev:
        kw.setdefault("by", self.dispatcher)
        kw.setdefault("source", "cad")
        ev = self._emit("IncidentNoted", at, {"incident": self.ref, "text": text}, **kw)
        if self.ctx.terms.search(text):
            self.triggers.append(ev)
        return ev

    # units -----------------------------------------------------------------------------
    def allocate(self, at: int, unit: str) -> Ev:
        ev = self._emit(
            "UnitAllocated", at, {"incident": self.ref, "unit": unit}, by=self.dispatcher
        )
        self.moves.append(Move(at, "commit", unit, ev))
        self.control.append(ev)
        return ev

    def en_route(self, at: int, unit: str) -> Ev:
        """Travelling here commits the unit (findings.md ruling 3), allocated or not."""
        ev = self._emit("UnitEnRoute", at, {"incident": self.ref, "unit": unit}, by=unit)
        self.moves.append(Move(at, "commit", unit, ev))
        return ev

    def arrive(self, at: int, unit: str, address: str | None = None, **kw: Any) -> ArrivalFact:
        fields: dict[str, Any] = {"incident": self.ref, "unit": unit}
        if address is not None:
            fields["location"] = {"address": address}
        kw.setdefault("by", unit)
        ev = self._emit("UnitArrived", at, fields, **kw)
        fact = ArrivalFact(ev, at, unit)
        self.arrivals.append(fact)
        self.moves.append(Move(at, "commit", unit, ev))
        return fact

    def correct_arrival(self, fact: ArrivalFact, at: int, new_at: int) -> None:
        reason = "arrival time taken from body-worn video"
        self.ctx.rec.correct(fact.ev, at, {"at": rfc3339(new_at)}, reason, self.dispatcher)
        fact.at = new_at
        for move in self.moves:
            if move.ev is fact.ev:
                move.at = new_at

    def clear(self, at: int, unit: str, outcome: str) -> Ev:
        fields = {"incident": self.ref, "unit": unit, "outcome": outcome}
        ev = self._emit("UnitCleared", at, fields, by=unit)
        self.moves.append(Move(at, "clear", unit, ev))
        return ev

    def deallocate(self, at: int, unit: str, reason: str) -> Ev:
        fields = {"incident": self.ref, "unit": unit, "reason": reason}
        ev = self._emit("UnitDeallocated", at, fields, by=self.dispatcher)
        self.moves.append(Move(at, "leave", unit, ev))
        self.control.append(ev)
        return ev

    def divert(
        self,
        at: int,
        unit: str,
        to: Incident,
        *,
        by_unit: bool,
        via: Ev | None,
        told: bool = True,
        compared: tuple[Ev, ...] = (),
        recorded: int | None = None,
    ) -> Ev:
        fields: dict[str, Any] = {"unit": unit, "from_incident": self.ref, "to_incident": to.ref}
        fields["initiated_by"] = "unit" if by_unit else "control"
        if via is not None:
            fields["via"] = via.body["transmission"]
        fields["reason"] = "diverted to a more urgent call"
        by = unit if by_unit else self.dispatcher
        ev = self._emit("UnitDiverted", at, fields, by=by, recorded=recorded)
        self.moves.append(Move(at, "leave", unit, ev))
        to.moves.append(Move(at, "commit", unit, ev))
        if by_unit:
            self.leaves.append(LeaveFact(ev, at, unit, told, compared))
        else:
            self.control.append(ev)
            to.control.append(ev)
        return ev

    def left_silently(self, ev: Ev, unit: str, told: bool, compared: tuple[Ev, ...]) -> None:
        """`unit` turned up at (or was allocated to) another incident by `ev`, still ours."""
        self.moves.append(Move(ev.at, "leave", unit, ev))
        self.leaves.append(LeaveFact(ev, ev.at, unit, told, compared))

    def tx(
        self, at: int, frm: str, to: str, message: str, ack: int | None, required: bool = True
    ) -> TxFact:
        fact = self.ctx.radio(at, frm, to, message, ack, required, self.ref, self.dispatcher)
        self.txs.append(fact)
        return fact

    # the rest of the story -------------------------------------------------------------
    def link(self, at: int, other: Incident, relation: str = "repeat-call") -> Ev:
        fields = {"incident": self.ref, "linked": other.ref, "relation": relation}
        return self._emit("IncidentLinked", at, fields, by=self.handler, source="cad")

    def transfer(
        self,
        at: int,
        agency: str,
        to: Incident | None,
        *,
        grade: str,
        to_grade: str | None,
        summary: str,
    ) -> TransferFact:
        fields: dict[str, Any] = {"incident": self.ref, "to_agency": agency}
        if to is not None:
            fields["to_incident"] = to.ref
        fields["grade"] = grade
        if to_grade is not None:
            fields["to_grade"] = to_grade
        fields.update(summary=summary, reason="the caller is in the other force's area")
        ev = self._emit("IncidentTransferred", at, fields, by=self.handler, source="cad")
        fact = TransferFact(ev, at, self, to, to_grade, summary)
        self.sent.append(fact)
        if to is not None:
            to.received.append(fact)
        return fact

    def follow_up(self, at: int, due: int, action: str) -> PlanFact:
        plan = self.ctx.next_id("FU")
        fields: dict[str, Any] = {"incident": self.ref, "plan": plan}
        fields.update(due=self.ctx.fmt(due), action=action)
        fact = PlanFact(self._emit("FollowUpPlanned", at, fields, by=self.dispatcher), plan, due)
        self.plans.append(fact)
        return fact

    def follow_up_done(self, fact: PlanFact, at: int, by: str) -> Ev:
        fields = {"plan": fact.plan, "outcome": "completed"}
        fact.done = self._emit("FollowUpDone", at, fields, by=by, source="cad", home=self.ref)
        return fact.done

    def close(self, at: int, outcome: str) -> Ev:
        fields = {"incident": self.ref, "outcome": outcome}
        ev = self._emit("IncidentClosed", at, fields, by=self.dispatcher, source="cad")
        self.closings.append(ev)
        return ev

    def reopen(self, at: int) -> Ev:
        self.reopened = True
        self.reopenings.append(at)
        return self._emit("IncidentReopened", at, {"incident": self.ref}, by=self.handler)
