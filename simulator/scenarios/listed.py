"""An incident closed while its unit is still listed on it (the clear was never keyed), and
the same unit sent to a later call: the closing released it, so nothing leaves the closed
incident (findings.md ruling 3) and neither incident has a finding."""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.lifecycle import attend, job_length, on_time, open_incident
from simulator.texts import CLEARED, CLOSED_ATTENDED

VARIANTS = ("allocated", "en-route")


def still_listed(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choice(VARIANTS)
    ctx.count(f"still-listed:{variant}")
    a = open_incident(ctx, t0, grade=codes[rng.randint(0, 1)])
    alloc_a, arrive_a = on_time(ctx, a)
    closed_a = arrive_a + job_length(ctx)
    b = open_incident(ctx, closed_a + rng.randint(2 * MINUTE, 40 * MINUTE), grade=codes[1])
    alloc_b, arrive_b = on_time(ctx, b)
    clear_b = arrive_b + job_length(ctx)
    unit = ctx.units.book(alloc_a, clear_b)
    a.inc.allocate(alloc_a, unit)
    a.inc.en_route(alloc_a + rng.randint(15, 60), unit)
    a.inc.arrive(arrive_a, unit)
    a.inc.close(closed_a, rng.choice(CLOSED_ATTENDED))
    if variant == "allocated":
        attend(ctx, b.inc, alloc_b, arrive_b, clear_b, unit=unit)
    else:  # the unit takes the call it hears on the radio, without an allocation
        b.inc.en_route(alloc_b, unit)
        b.inc.arrive(arrive_b, unit)
        b.inc.clear(clear_b, unit, rng.choice(CLEARED))
    b.inc.close(clear_b + rng.randint(60, 15 * MINUTE), rng.choice(CLOSED_ATTENDED))
    return 2
