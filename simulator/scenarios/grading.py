"""Regrading: downgrades (and back), a regrade to the same grade, upgrades, and a grading
keyed wrongly and corrected (a correction is not a regrade: findings.md)."""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.lifecycle import (
    attend,
    attend_and_close,
    finish_attended,
    job_length,
    on_time,
    open_incident,
)

VARIANTS = ("second-to-third", "top-to-second", "and-back", "same-grade", "corrected", "upgraded")


def regrade(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choices(VARIANTS, weights=(4, 2, 2, 2, 2, 2))[0]
    ctx.count(f"regrade:{variant}")
    first = {"top-to-second": codes[0], "corrected": codes[0], "upgraded": codes[2]}.get(
        variant, codes[1]
    )
    op = open_incident(ctx, t0, grade=first)
    held = op.grade
    if variant == "corrected":
        op.inc.correct_grade(op.grading, op.grading.at + rng.randint(30, 240), codes[1])
    if variant == "same-grade":
        op.inc.grade(
            op.grading.at + rng.randint(2 * MINUTE, 20 * MINUTE),
            held,
            rationale="reviewed by supervisor",
            by="SUP07",
        )
    if variant == "upgraded":
        target = ctx.policy.target(codes[1])
        assert target is not None
        at = op.grading.at + rng.randint(2 * MINUTE, max(121, target // 2))
        op.grading = op.inc.grade(at, codes[1], rationale="further information", by="SUP07")
    if variant in ("same-grade", "upgraded", "corrected"):
        attend_and_close(ctx, op)
        return 1
    # a downgrade, after which a unit still goes: on time for the grade first held, or late
    lower = codes[2] if variant != "top-to-second" else codes[1]
    target = ctx.policy.target(held)
    assert target is not None
    if rng.random() < 0.7:
        alloc, arrive = on_time(ctx, op)
    else:
        arrive = t0 + target + rng.randint(60, 3 * 3600)
        alloc = arrive - ctx.units.travel(urgent=False)
    down = op.grading.at + rng.randint(
        2 * MINUTE, max(121, min(40 * MINUTE, arrive - op.grading.at - 60))
    )
    op.inc.grade(down, lower, rationale="caller says the suspect has left", by="SUP07")
    last = down
    if variant == "and-back":
        last = down + rng.randint(5 * MINUTE, 60 * MINUTE)
        op.inc.grade(last, held, rationale="further call: suspect has returned", by="SUP07")
    clear = arrive + job_length(ctx)
    attend(ctx, op.inc, max(alloc, op.grading.at + 20), arrive, clear)
    finish_attended(ctx, op.inc, max(clear, last + MINUTE))
    return 1
