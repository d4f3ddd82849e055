"""A unit on its way to one call leaves for a more urgent one (IOPC 2018/104370).

Who decided (control or the unit), how the unit went (a diversion, an allocation elsewhere,
going en route to or turning up at the other call), whether control heard (the radio message
acknowledged in time, late, never, or not sent), and whether anyone replaced the unit, are
the variants.
The incident left (A) is graded significant or lower; the urgent call (B) gets the unit.
"""

from __future__ import annotations

from simulator.clock import DAY, HOUR, MINUTE
from simulator.context import Ctx
from simulator.incident import Incident
from simulator.lifecycle import (
    Opening,
    attend,
    finish_attended,
    job_length,
    open_incident,
)
from simulator.stream import Ev
from simulator.texts import CLEARED, CLOSED_UNATTENDED

TOLD = ("control", "unit-acked", "unit-ack-at-timeout", "unit-nearby-at-edge", "arrival-reported",
        "en-route-reported")  # fmt: skip
UNTOLD = ("unit-ack-late", "unit-no-ack", "unit-nearby-too-far", "silent-arrival", "allocated-over",
          "silent-en-route")  # fmt: skip
WEIGHTS = (30, 10, 4, 4, 3, 3, 6, 8, 3, 5, 4, 4)


def diversion(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    policy = ctx.policy
    variant = rng.choices(TOLD + UNTOLD, weights=WEIGHTS)[0]
    a = open_incident(ctx, t0, grade=policy.codes[1 if rng.random() < 0.8 else 2])
    alloc = a.grading.at + rng.randint(60, 10 * MINUTE)
    tb = alloc + rng.randint(90, 6 * MINUTE)
    b = open_incident(ctx, tb, grade=policy.codes[0])
    tv = max(b.grading.at, tb) + rng.randint(40, 150)
    top = policy.target(policy.codes[0]) or 15 * MINUTE
    arrive_b = min(tv + rng.randint(270, 9 * MINUTE), tb + top - 20)
    if arrive_b < tv + 2 * policy.ack_timeout + 10:
        raise ValueError("policy targets too short for the diversion scenario")
    clear_b = arrive_b + job_length(ctx)
    unit = ctx.units.book(alloc, clear_b)
    a.inc.allocate(alloc, unit)
    a.inc.en_route(alloc + rng.randint(20, 50), unit)
    second = None
    if variant == "control" and rng.random() < 0.25:
        second = _second_unit(ctx, a, alloc)
    left, told = _leave(ctx, variant, a.inc, b.inc, unit, tv, arrive_b, clear_b)
    ctx.count(f"diversion:{variant}")
    if second is not None:
        ctx.count("diversion:control-second-unit")
        finish_attended(ctx, a.inc, second)
    else:
        _aftermath(ctx, a, left, told)
    return 2


def _second_unit(ctx: Ctx, a: Opening, alloc: int) -> int:
    """A second unit on A that does arrive: losing one of two units is not unresourced."""
    rng = ctx.rng
    target = ctx.policy.target(a.grade) or 3600
    arrive = min(alloc + rng.randint(15 * MINUTE, 30 * MINUTE), a.t0 + target - 20)
    clear = arrive + job_length(ctx)
    attend(ctx, a.inc, alloc + 13, arrive, clear)
    return clear


def _leave(
    ctx: Ctx, variant: str, a: Incident, b: Incident, unit: str, tv: int, arrive: int, clear: int
) -> tuple[int, bool]:
    """The unit leaves A for B; returns when it left and whether control was told in time."""
    rng = ctx.rng
    t = ctx.policy.ack_timeout
    told = variant in TOLD
    said = tv - rng.randint(10, 60)
    via: Ev | None = None
    compared: tuple[Ev, ...] = ()
    message = f"{unit} diverting to {b.ref}, urgent assistance"
    if variant == "control":
        order = a.tx(said, "control", unit, f"{unit} divert to {b.ref}", said + rng.randint(3, 30))
        recorded = None
        if rng.random() < 0.2:  # keyed weeks later from the radio log: late on the one left
            ctx.count("diversion:control-recorded-late")
            recorded = tv + ctx.policy.late_recording + rng.randint(HOUR, 20 * DAY)
        a.divert(tv, unit, b, by_unit=False, via=order.ev, recorded=recorded)
    elif variant.startswith("unit-ack") or variant == "unit-no-ack":
        ack = {
            "unit-acked": said + rng.randint(3, t - 1),
            "unit-ack-at-timeout": said + t,
            "unit-ack-late": said + t + rng.randint(1, 8 * MINUTE),
            "unit-no-ack": None,
        }[variant]
        via = a.tx(said, unit, "control", message, ack).ev
        compared = () if told else (via,)
        a.divert(tv, unit, b, by_unit=True, via=via, told=told, compared=compared)
    elif variant.startswith("unit-nearby"):
        a.divert(tv, unit, b, by_unit=True, via=None, told=told)
        gap = t if variant == "unit-nearby-at-edge" else t + rng.randint(1, 50)
        sent = tv + gap if rng.random() < 0.5 or not told else tv - gap
        a.tx(sent, unit, "control", f"{unit} show me at {b.ref}", sent + (t if told else 5))
    if variant in ("silent-arrival", "arrival-reported"):
        fact = b.arrive(arrive, unit)
        if variant == "arrival-reported":
            b.tx(arrive + rng.randint(5, 40), unit, "control", f"{unit} at scene", arrive + 60)
        a.left_silently(fact.ev, unit, told, ())
        b.clear(clear, unit, rng.choice(CLEARED))
        finish_attended(ctx, b, clear)
        return arrive, told
    if variant == "allocated-over":
        a.left_silently(b.allocate(tv, unit), unit, told, ())
    if "en-route" in variant:
        # Going en route to another call is leaving this one (findings.md ruling 3).
        a.left_silently(b.en_route(tv, unit), unit, told, ())
        if told:
            sent = tv + rng.randint(5, t - 5)
            a.tx(sent, unit, "control", f"{unit} en route to {b.ref}", sent + rng.randint(3, t))
    else:
        b.en_route(tv + rng.randint(10, 30), unit)
    b.arrive(arrive, unit)
    said = arrive + rng.randint(5, 40)
    b.tx(said, unit, "control", f"{unit} at scene", said + rng.randint(2, 50))
    b.clear(clear, unit, rng.choice(CLEARED))
    finish_attended(ctx, b, clear)
    return tv, told


def _aftermath(ctx: Ctx, a: Opening, left: int, told: bool) -> None:
    """What happens to the incident left: a replacement in time, late, or none."""
    rng = ctx.rng
    grace = ctx.policy.reallocation_grace
    if told:
        outcome = rng.choices(("in-grace", "at-grace", "late"), weights=(5, 2, 3))[0]
        gap = {
            "in-grace": rng.randint(30, grace - 1),
            "at-grace": grace,
            "late": grace + rng.randint(1, 40 * MINUTE),
        }[outcome]
        ctx.count(f"replacement:{outcome}")
        _replace(ctx, a, left + gap)
        return
    outcome = rng.choices(("rang-again", "noticed", "closed"), weights=(5, 3, 2))[0]
    ctx.count(f"unknown:{outcome}")
    if outcome == "closed":
        closed = left + rng.randint(20 * MINUTE, 2 * 3600)
        a.inc.close(closed, rng.choice(CLOSED_UNATTENDED))
        return
    when = left + rng.randint(15 * MINUTE, 90 * MINUTE)
    if outcome == "rang-again":
        summary = "Caller chasing: still no police, asks where they are"
        a.inc.call(when, rng.randint(60, 200), channel="999", person=a.person, summary=summary)
        when += rng.randint(60, 4 * MINUTE)
    _replace(ctx, a, when)


def _replace(ctx: Ctx, a: Opening, alloc: int) -> None:
    arrive = alloc + ctx.units.travel(urgent=False)
    clear = arrive + job_length(ctx)
    attend(ctx, a.inc, alloc, arrive, clear)
    finish_attended(ctx, a.inc, clear)


def stood_down(ctx: Ctx, t0: int) -> int:
    """Control releases the only unit; someone else is sent in time, late, or never."""
    rng = ctx.rng
    grace = ctx.policy.reallocation_grace
    a = open_incident(ctx, t0, grade=ctx.policy.codes[1 if rng.random() < 0.6 else 2])
    alloc = a.grading.at + rng.randint(60, 8 * MINUTE)
    released = max(alloc + rng.randint(2 * MINUTE, 10 * MINUTE), a.call.end_at + 30)
    unit = ctx.units.book(alloc, released)
    a.inc.allocate(alloc, unit)
    a.inc.en_route(alloc + rng.randint(20, 50), unit)
    a.inc.deallocate(released, unit, "required for a higher priority call")
    variant = rng.choice(("in-grace", "at-grace", "late", "closed-in-grace", "closed-late"))
    ctx.count(f"stood-down:{variant}")
    if variant.startswith("closed"):
        wait = (
            rng.randint(60, grace) if variant == "closed-in-grace" else grace + rng.randint(1, 3600)
        )
        a.inc.close(released + wait, rng.choice(CLOSED_UNATTENDED))
        return 1
    gap = {"in-grace": rng.randint(20, grace - 1), "at-grace": grace}.get(variant)
    _replace(ctx, a, released + (gap if gap is not None else grace + rng.randint(1, 1800)))
    return 1
