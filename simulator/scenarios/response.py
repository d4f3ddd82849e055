"""Getting there: arrivals after the target, exactly at it, and incidents closed unattended."""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.lifecycle import (
    attend,
    close_unattended,
    finish_attended,
    job_length,
    on_time,
    open_incident,
)
from simulator.texts import CLOSED_UNATTENDED

VARIANTS = ("late", "at-target", "override-late", "override-at", "upgraded", "retracted-arrival",
            "arrival-corrected")  # fmt: skip


def late_response(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choices(VARIANTS, weights=(8, 4, 2, 1, 3, 2, 2))[0]
    ctx.count(f"response:{variant}")
    grade = codes[0] if rng.random() < 0.4 or variant == "retracted-arrival" else codes[1]
    if variant.startswith("override") or variant == "upgraded":
        grade = codes[1]
    op = open_incident(ctx, t0, grade=grade)
    target = ctx.policy.target(grade)
    assert target is not None
    if variant.startswith("override"):
        target = max(target // 2, 10 * MINUTE)  # a local target set on the grading itself
        op.grading = op.inc.grade(
            op.grading.at + 5,
            grade,
            target=target,
            rationale="vulnerable caller: supervisor sets a tighter target",
        )
    if variant == "upgraded":
        top = ctx.policy.target(codes[0])
        assert top is not None
        at = op.grading.at + rng.randint(60, max(61, t0 + top - op.grading.at - 120))
        op.grading = op.inc.grade(at, codes[0], rationale="weapon now mentioned")
        target = top
    deadline = t0 + target
    if variant in ("at-target", "override-at"):
        arrive = deadline
    elif variant == "arrival-corrected":
        arrive = deadline - rng.randint(0, 3 * MINUTE)  # keyed late, corrected from video
    elif variant == "upgraded" and rng.random() < 0.5:
        arrive = on_time(ctx, op, grade=codes[0])[1]
    else:
        arrive = deadline + rng.randint(1, 90 * MINUTE)
    alloc = max(arrive - ctx.units.travel(urgent=True), op.grading.at + 20)
    if variant == "retracted-arrival":
        alloc = op.grading.at + rng.randint(30, 120)
    clear = arrive + job_length(ctx)
    unit = ctx.units.book(alloc, clear)
    if variant == "retracted-arrival":
        wrong = op.inc.arrive(alloc + rng.randint(60, 120), unit)
        op.inc.ctx.rec.retract(
            wrong.ev,
            wrong.at + rng.randint(30, 300),
            "at scene pressed in error",
            op.inc.dispatcher,
        )
    if variant == "arrival-corrected":
        keyed = deadline + rng.randint(1, 5 * MINUTE)
        attend(ctx, op.inc, alloc, keyed, clear, unit=unit)
        op.inc.correct_arrival(op.inc.arrivals[-1], keyed + rng.randint(60, 10 * MINUTE), arrive)
    else:
        attend(ctx, op.inc, alloc, arrive, clear, unit=unit)
    finish_attended(ctx, op.inc, clear)
    return 1


def closed_unattended(ctx: Ctx, t0: int) -> int:
    """A call graded for attendance that is closed without anyone going (or one that is not)."""
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choice(("before-target", "after-target", "not-required"))
    ctx.count(f"unattended:{variant}")
    grade = codes[2] if variant == "not-required" else codes[rng.randint(0, 1)]
    op = open_incident(ctx, t0, grade=grade)
    settled = max(op.call.end_at, op.triage.at, op.grading.at)
    target = ctx.policy.target(grade)
    if variant == "after-target":
        assert target is not None
        closed = t0 + target + rng.randint(1, 2 * 3600)
    elif variant == "before-target" and target is not None:
        closed = settled + rng.randint(60, max(61, t0 + target - settled - 60))
    else:
        close_unattended(ctx, op)
        return 1
    op.inc.close(closed, rng.choice(CLOSED_UNATTENDED))
    return 1


UPGRADES = ("after-arrival", "at-arrival", "after-its-deadline")


def upgrade_timing(ctx: Ctx, t0: int) -> int:
    """A call upgraded to the most urgent grade once that grade's target from the call has
    passed: after the first arrival (it does not count), at the arrival (its deadline is the
    moment it was given, met), or before a late arrival (missed from the moment it was given)."""
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choices(UPGRADES, weights=(2, 1, 2))[0]
    ctx.count(f"upgrade:{variant}")
    op = open_incident(ctx, t0, grade=codes[1])
    top, second = ctx.policy.target(codes[0]), ctx.policy.target(codes[1])
    assert top is not None
    assert second is not None
    if second - top < 10 * MINUTE:
        raise ValueError("the two most urgent targets are too close for the upgrade scenario")
    past = t0 + top + rng.randint(60, (second - top) // 2)  # the top grade's target has passed
    arrive, upgrade = {
        "after-arrival": (past, past + rng.randint(30, 5 * MINUTE)),
        "at-arrival": (past, past),
        "after-its-deadline": (past + rng.randint(1, 20 * MINUTE), past),
    }[variant]
    alloc = max(arrive - ctx.units.travel(urgent=False), op.grading.at + 20)
    clear = arrive + job_length(ctx)
    attend(ctx, op.inc, alloc, arrive, clear)
    op.inc.grade(upgrade, codes[0], rationale="weapon seen", by="SUP07")
    finish_attended(ctx, op.inc, clear)
    return 1
