"""The ordinary course of an incident, from the call to the closing, meeting every rule.

Scenarios build on these steps and then bend one of them: an arrival after the target, a
callback that never comes. Left alone, every step here keeps within its threshold: arrivals
before the target, acknowledgements within the timeout, domestic words classified within
the triage grace, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.clock import HOUR, MINUTE
from simulator.context import Ctx
from simulator.facts import CallFact, ClassFact, GradeFact
from simulator.identities import Person
from simulator.incident import Incident
from simulator.mix import pick_rank
from simulator.texts import (
    CATEGORY_DOMESTIC,
    CLEARED,
    CLOSED_ATTENDED,
    CLOSED_UNATTENDED,
    DOMESTIC_PLAIN_SUMMARIES,
    DOMESTIC_TERM_SUMMARIES,
    ROUTINE,
)

CHANNELS = (
    ("999",),
    ("999", "999", "999", "101"),
    ("101", "101", "999", "online"),
    ("101", "online"),
)


@dataclass
class Opening:
    inc: Incident
    t0: int
    person: Person
    call: CallFact
    grading: GradeFact
    triage: ClassFact

    @property
    def grade(self) -> str:
        return self.grading.grade


def rank_of(ctx: Ctx, grade: str) -> int:
    """Where a grade sits among the simulator's four kinds of call (urgent ... resolution)."""
    u = ctx.policy.urgency(grade)
    last = len(ctx.policy.grades) - 1
    return 0 if u == 0 else 1 if u == 1 else 3 if u == last else 2


def open_incident(
    ctx: Ctx,
    t0: int,
    *,
    grade: str | None = None,
    person: Person | None = None,
    summary: str | None = None,
    category: str | None = None,
    domestic: bool | None = None,
    how: str = "completed",
    length: int | None = None,
    phone_form: int = 0,
    place_form: int = 0,
    triage_at: int | None = None,
) -> Opening:
    """Call, triage and grading, as a call handler does them in the first minutes."""
    rng = ctx.rng
    if grade is None:
        grade = ctx.policy.codes[pick_rank(rng, len(ctx.policy.grades))]
    rank = rank_of(ctx, grade)
    channel = rng.choice(CHANNELS[rank])
    if summary is None:
        if domestic is None:
            domestic = rank < 3 and rng.random() < 0.12
        if domestic:
            pool = DOMESTIC_TERM_SUMMARIES if rng.random() < 0.7 else DOMESTIC_PLAIN_SUMMARIES
            summary, category = rng.choice(pool), CATEGORY_DOMESTIC
        else:
            category, summary = rng.choice(ROUTINE[rank])
    if person is None:
        person = ctx.ids.person(with_phone=channel != "online" or rng.random() < 0.5)
    inc = ctx.new_incident(t0)
    length = length if length is not None else rng.randint(90, 480)
    form = phone_form or rng.choice((0, 0, 1, 2, 3))
    call = inc.call(
        t0,
        length,
        channel=channel,
        person=person,
        summary=summary,
        how=how,
        phone_form=form,
        place_form=place_form,
        relation=_relation(ctx),
    )
    latest = min(4 * MINUTE, ctx.policy.triage_grace - 30)
    at = triage_at if triage_at is not None else t0 + rng.randint(20, latest)
    triage = inc.classify(at, category or "general", bool(domestic))
    grading = inc.grade(t0 + rng.randint(25, 200), grade)
    return Opening(inc, t0, person, call, grading, triage)


def _relation(ctx: Ctx) -> str:
    return ctx.rng.choice(("victim", "victim", "third-party", "witness", "professional"))


def on_time(
    ctx: Ctx, op: Opening, slack: int = 20, grade: str | None = None, after: int = 0
) -> tuple[int, int]:
    """An allocation and an arrival that meet the grade's target (or a sensible time)."""
    rng = ctx.rng
    grade = grade or op.grade
    target = ctx.policy.target(grade)
    after = max(after, op.grading.at + 30)
    if target is not None:
        lo = min(max(after - op.t0 + 4 * MINUTE, int(0.3 * target)), target - slack)
        arrive = op.t0 + rng.randint(lo, target - slack)
    elif rank_of(ctx, grade) == 2:
        arrive = op.t0 + rng.randint(30 * MINUTE, 8 * HOUR)
    else:
        arrive = op.t0 + rng.randint(2 * HOUR, 30 * HOUR)
    travel = rng.randint(3 * MINUTE, max(3 * MINUTE, min(12 * MINUTE, arrive - after)))
    return max(arrive - travel, op.t0 + 20), arrive


def attend(
    ctx: Ctx,
    inc: Incident,
    alloc: int,
    arrive: int,
    clear: int,
    *,
    unit: str | None = None,
    address: str | None = None,
    recorded: int | None = None,
) -> str:
    """A unit allocated, en route, at scene (with its radio traffic) and cleared."""
    rng = ctx.rng
    unit = unit or ctx.units.book(alloc, clear)
    inc.allocate(alloc, unit)
    if rng.random() < 0.5:
        sent = alloc + rng.randint(3, 25)
        inc.tx(sent, "control", unit, f"{unit} please attend {inc.ref}", sent + rng.randint(2, 40))
    inc.en_route(alloc + min(rng.randint(15, 60), (arrive - alloc) // 2), unit)
    if recorded is not None:
        arrival = inc.arrive(arrive, unit, address, recorded=recorded, source="bwv")
    else:
        arrival = inc.arrive(arrive, unit, address)
    said = arrive + rng.randint(5, 40)
    inc.tx(said, unit, "control", f"{unit} at scene", said + rng.randint(2, 50))
    inc.clear(clear, unit, rng.choice(CLEARED))
    return arrival.unit


def job_length(ctx: Ctx) -> int:
    return ctx.rng.randint(12 * MINUTE, 100 * MINUTE)


def finish_attended(ctx: Ctx, inc: Incident, last_clear: int) -> int:
    closed = last_clear + ctx.rng.randint(60, 15 * MINUTE)
    inc.close(closed, ctx.rng.choice(CLOSED_ATTENDED))
    return closed


def attend_and_close(ctx: Ctx, op: Opening, units: int = 1, not_before: int = 0) -> int:
    """The ordinary response: on time, one or more units, then the closing."""
    clears = []
    for n in range(units):
        alloc, arrive = on_time(ctx, op)
        alloc, arrive = alloc + 7 * n, arrive + 11 * n
        clear = arrive + job_length(ctx)
        attend(ctx, op.inc, alloc, arrive, clear)
        clears.append(clear)
    return finish_attended(ctx, op.inc, max(*clears, not_before))


def close_unattended(ctx: Ctx, op: Opening, not_before: int = 0) -> int:
    """Dealt with on the phone (or otherwise), no unit sent."""
    settled = max(op.call.end_at, op.triage.at, op.grading.at, not_before)
    closed = settled + ctx.rng.randint(5 * MINUTE, 6 * HOUR)
    op.inc.close(closed, ctx.rng.choice(CLOSED_UNATTENDED))
    return closed


def needs_attendance(ctx: Ctx, grade: str) -> bool:
    return grade in ctx.policy.attendance_required


def respond_and_close(ctx: Ctx, op: Opening, not_before: int = 0) -> int:
    """The ordinary end of a story: attended as its grade needs, closed after `not_before`."""
    rank = rank_of(ctx, op.grade)
    go = needs_attendance(ctx, op.grade) or (rank == 2 and ctx.rng.random() < 0.7)
    if not go:
        return close_unattended(ctx, op, not_before)
    return attend_and_close(ctx, op, not_before=not_before)
