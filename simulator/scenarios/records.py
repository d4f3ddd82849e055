"""Promises and paperwork: follow-ups kept or missed, evidence recorded late, radio traffic
acknowledged late or never."""

from __future__ import annotations

from simulator.clock import DAY, HOUR, MINUTE, floor_to
from simulator.context import Ctx
from simulator.lifecycle import (
    attend,
    finish_attended,
    job_length,
    on_time,
    open_incident,
)
from simulator.texts import CLEARED, NOTES, STATEMENT_NOTES

ACTIONS = (
    "welfare visit within 48 h",
    "call back the caller tomorrow",
    "revisit to take statement",
)


def follow_up(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    variant = rng.choices(("done", "done-at-due", "late", "never"), weights=(3, 2, 3, 3))[0]
    ctx.count(f"follow-up:{variant}")
    op = open_incident(ctx, t0, grade=ctx.policy.codes[rng.randint(0, 2)])
    alloc, arrive = on_time(ctx, op)
    clear = arrive + job_length(ctx)
    unit = attend(ctx, op.inc, alloc, arrive, clear)
    closed = finish_attended(ctx, op.inc, clear)
    planned = clear - rng.randint(60, 5 * MINUTE)
    due = closed + rng.randint(2 * HOUR, 3 * DAY)
    plan = op.inc.follow_up(planned, due, rng.choice(ACTIONS))
    done = {
        "done": due - rng.randint(5 * MINUTE, due - planned - 60),
        "done-at-due": due,
        "late": due + rng.randint(60, 3 * DAY),
    }.get(variant)
    if done is not None:
        op.inc.follow_up_done(plan, done, unit)
    return 1


def late_record(ctx: Ctx, t0: int) -> int:
    """A statement or body-worn video entered days later, exactly 24 h later, or soon after."""
    rng = ctx.rng
    late = ctx.policy.late_recording
    variant = rng.choices(("statement", "at-threshold", "bwv-arrival", "keyed-same-day"),
                          weights=(4, 2, 2, 2))[0]  # fmt: skip
    ctx.count(f"late-recording:{variant}")
    op = open_incident(ctx, t0, grade=ctx.policy.codes[rng.randint(0, 1)])
    alloc, arrive = on_time(ctx, op)
    clear = arrive + job_length(ctx)
    if variant == "bwv-arrival":
        recorded = arrive + late + rng.randint(HOUR, 5 * DAY)
        attend(ctx, op.inc, alloc, arrive, clear, recorded=recorded)
    else:
        attend(ctx, op.inc, alloc, arrive, clear)
        at = arrive + rng.randint(60, clear - arrive - 60)
        precision = "hour" if variant == "statement" and rng.random() < 0.4 else None
        if precision and floor_to(at, precision) > arrive:
            at = floor_to(at, precision)
        else:
            precision = None
        lag = {"at-threshold": late, "keyed-same-day": rng.randint(HOUR, late - 1)}.get(variant)
        recorded = at + (lag if lag is not None else late + rng.randint(1, 10 * DAY))
        op.inc.note(
            at,
            rng.choice(STATEMENT_NOTES),
            recorded=recorded,
            precision=precision,
            source="statement",
            by="PC4471",
        )
    finish_attended(ctx, op.inc, clear)
    return 1


AMENDMENTS = ("correction-late", "correction-at-threshold", "retraction-late",
              "late-note-retracted")  # fmt: skip


def late_amendment(ctx: Ctx, t0: int) -> int:
    """Corrections and retractions entered late are late-recorded too, on the incident of the
    event they change (findings.md ruling 6); a late entry retracted counts for nothing."""
    rng = ctx.rng
    late = ctx.policy.late_recording
    variant = rng.choices(AMENDMENTS, weights=(3, 1, 2, 2))[0]
    ctx.count(f"late-amendment:{variant}")
    op = open_incident(ctx, t0, grade=ctx.policy.codes[rng.randint(0, 2)])
    alloc, arrive = on_time(ctx, op)
    clear = arrive + job_length(ctx)
    unit = attend(ctx, op.inc, alloc, arrive, clear)
    if variant.startswith("correction"):
        cleared = next(m.ev for m in reversed(op.inc.moves) if m.kind == "clear")
        at = clear + rng.randint(HOUR, 8 * HOUR)  # the supervisor's review
        lag = late if variant == "correction-at-threshold" else late + rng.randint(1, 3 * DAY)
        outcome = {"outcome": rng.choice([c for c in CLEARED if c != cleared.body["outcome"]])}
        reason = "result amended on review"
        ctx.rec.correct(cleared, at, outcome, reason, "SUP07", recorded=at + lag)
    elif variant == "retraction-late":
        noted = op.inc.note(arrive + rng.randint(60, clear - arrive - 60), rng.choice(NOTES))
        at = noted.at + rng.randint(5 * MINUTE, 2 * HOUR)
        recorded = at + late + rng.randint(HOUR, 3 * DAY)
        ctx.rec.retract(noted, at, "entered on the wrong incident", "SUP07", recorded=recorded)
    else:
        at = arrive + rng.randint(60, clear - arrive - 60)
        recorded = at + late + rng.randint(HOUR, 3 * DAY)
        text = rng.choice(STATEMENT_NOTES)
        noted = op.inc.note(at, text, recorded=recorded, source="statement", by=unit)
        retracted = recorded + rng.randint(10 * MINUTE, 2 * HOUR)
        ctx.rec.retract(noted, retracted, "statement belongs to another incident", "SUP07")
    finish_attended(ctx, op.inc, clear)
    return 1


def radio(ctx: Ctx, t0: int) -> int:
    """A message to a unit on a job, acknowledged late, exactly in time, never, or not needed."""
    rng = ctx.rng
    timeout = ctx.policy.ack_timeout
    variant = rng.choices(("ack-late", "ack-at-timeout", "no-ack", "not-required", "loose-no-ack",
                           "loose-late"), weights=(4, 2, 3, 2, 1, 1))[0]  # fmt: skip
    ctx.count(f"radio:{variant}")
    op = open_incident(ctx, t0, grade=ctx.policy.codes[rng.randint(0, 1)])
    alloc, arrive = on_time(ctx, op)
    clear = arrive + job_length(ctx)
    unit = attend(ctx, op.inc, alloc, arrive, clear)
    sent = arrive + rng.randint(2 * MINUTE, clear - arrive - 2 * MINUTE)
    ack = {
        "ack-late": sent + timeout + rng.randint(1, 10 * MINUTE),
        "ack-at-timeout": sent + timeout,
        "loose-late": sent + timeout + rng.randint(1, 10 * MINUTE),
    }.get(variant)
    message = f"{unit} update for {op.inc.ref}: suspect description circulated"
    if variant.startswith("loose"):
        fact = ctx.radio(sent, "control", unit, f"{unit} contact your supervisor", ack, True, None)
        ctx.loose_txs.append(fact)
    else:
        op.inc.tx(sent, "control", unit, message, ack, required=variant != "not-required")
    finish_attended(ctx, op.inc, clear)
    return 1
