"""Incidents that go as they should: the bulk of any control room's day.

Each still varies in what it records (notes, update calls, several units, follow-ups kept,
reopenings), and none of it produces a finding.
"""

from __future__ import annotations

from simulator.clock import DAY, HOUR, MINUTE
from simulator.context import Ctx
from simulator.lifecycle import (
    Opening,
    attend,
    attend_and_close,
    close_unattended,
    finish_attended,
    job_length,
    open_incident,
    rank_of,
)
from simulator.texts import NOTES


def routine(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    op = open_incident(ctx, t0)
    rank = rank_of(ctx, op.grade)
    if op.grade in ctx.policy.attendance_required or rng.random() < (0.7 if rank == 2 else 0.1):
        units = 2 if rank == 0 and rng.random() < 0.3 else 1
        closed = attend_and_close(ctx, op, units)
        ctx.count(f"routine:attended-{units}")
        if rng.random() < 0.06:
            follow_up_kept(ctx, op, closed)
        if rng.random() < 0.012:
            reopen(ctx, op, closed)
    else:
        closed = close_unattended(ctx, op)
        ctx.count("routine:unattended")
    extras(ctx, op, closed)
    if rng.random() < 0.01:
        background_markers(ctx, t0)
    return 1


def extras(ctx: Ctx, op: Opening, closed: int) -> None:
    """Log entries and update calls that any incident may carry."""
    rng = ctx.rng
    span = closed - op.t0
    if rng.random() < 0.3:
        at = op.t0 + rng.randint(60, span - 30)
        lag = rng.randint(10, 10 * MINUTE) if rng.random() < 0.3 else None
        op.inc.note(at, rng.choice(NOTES), recorded=at + lag if lag else None)
    if rng.random() < 0.08 and span > 20 * MINUTE:
        at = op.t0 + rng.randint(10 * MINUTE, span - 5 * MINUTE)
        op.inc.callback(at, rng.randint(40, 240), op.person.name, "Update call to the caller")


def follow_up_kept(ctx: Ctx, op: Opening, closed: int) -> None:
    rng = ctx.rng
    planned = closed - rng.randint(20, 240)
    due = closed + rng.randint(2 * HOUR, 3 * DAY)
    plan = op.inc.follow_up(planned, due, rng.choice(("welfare visit", "call back the caller")))
    op.inc.follow_up_done(plan, due - rng.randint(5 * MINUTE, due - planned - 60), "PC4471")


def reopen(ctx: Ctx, op: Opening, closed: int) -> None:
    """The caller rings again about the same matter; the incident is reopened and attended."""
    rng = ctx.rng
    again = closed + rng.randint(30 * MINUTE, 36 * HOUR)
    summary = "Caller reports the same problem has started again"
    op.inc.call(again, rng.randint(60, 300), channel="101", person=op.person, summary=summary)
    reopened = again + rng.randint(30, 120)
    op.inc.reopen(reopened)
    alloc = reopened + rng.randint(2 * MINUTE, 20 * MINUTE)
    arrive = alloc + ctx.units.travel(urgent=False)
    clear = arrive + job_length(ctx)
    attend(ctx, op.inc, alloc, arrive, clear)
    finish_attended(ctx, op.inc, clear)
    ctx.count("routine:reopened")


def background_markers(ctx: Ctx, t0: int) -> None:
    """Markers on people and places that never call: recorded, and matching nothing."""
    rng = ctx.rng
    who = ctx.ids.name()
    subject = {"kind": "person", "key": who}
    fields = {"subject": subject, "marker": "violent-offender", "reason": "intelligence report"}
    ctx.rec.emit("MarkerAdded", t0 - rng.randint(DAY, 300 * DAY), fields, by="INTEL3")
    place = ctx.ids.place()
    subject = {"kind": "premises", "key": place.written(rng.randint(0, 3))}
    added = t0 - rng.randint(200 * DAY, 400 * DAY)
    fields = {"subject": subject, "marker": "vulnerable-occupant", "reason": "referral"}
    ctx.rec.emit("MarkerAdded", added, fields, by="INTEL3")
    removed = added + rng.randint(DAY, 150 * DAY)
    fields = {"subject": subject, "marker": "vulnerable-occupant", "reason": "occupant moved"}
    ctx.rec.emit("MarkerRemoved", removed, fields, by="INTEL3")
    ctx.count("routine:background-markers")
