"""Calls that end badly: hung up, dropped, or put down by the handler; callbacks or not."""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.facts import StrayEnd
from simulator.lifecycle import close_unattended, open_incident, respond_and_close
from simulator.scenarios.routine import routine
from simulator.texts import CLOSED_UNATTENDED

HOW = ("caller-hung-up", "line-dropped", "handler-terminated")
VARIANTS = ("callback-in-window", "callback-at-window", "callback-late", "no-callback",
            "closed-in-window")  # fmt: skip


def cut_off(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    window = ctx.policy.callback_window
    how = rng.choices(HOW, weights=(5, 4, 2))[0]
    variant = rng.choices(VARIANTS, weights=(5, 2, 3, 3, 2))[0]
    ctx.count(f"cut-off:{variant}")
    codes = ctx.policy.codes
    grade = codes[-1] if variant == "closed-in-window" else codes[rng.randint(0, len(codes) - 1)]
    op = open_incident(ctx, t0, grade=grade, how=how, length=rng.randint(15, 100))
    ended = op.call.end_at
    back = {
        "callback-in-window": ended + rng.randint(30, window - 1),
        "callback-at-window": ended + window,
        "callback-late": ended + window + rng.randint(1, 45 * MINUTE),
    }.get(variant)
    if back is not None:
        summary = "Callback after the call was cut off"
        op.inc.callback(back, rng.randint(60, 300), op.person.name, summary)
    if variant == "closed-in-window":
        settled = max(ended, op.triage.at, op.grading.at)
        closed = settled + rng.randint(60, max(61, ended + window - settled - 30))
        op.inc.close(closed, rng.choice(CLOSED_UNATTENDED))
        return 1
    if back is None and rng.random() < 0.3 and grade not in ctx.policy.attendance_required:
        close_unattended(ctx, op)
        return 1
    respond_and_close(ctx, op, not_before=(back or ended) + 300)
    return 1


def stray_end(ctx: Ctx, t0: int) -> int:
    """The telephony log's end of a call that never reached the CAD (the caller was lost
    before an incident was opened), then the same caller's next call, taken normally. A
    cut-off with no call behind it is judged on its own (findings.md ruling 7); a completed
    one is the near miss."""
    rng = ctx.rng
    how = rng.choices(("completed", *HOW), weights=(2, 3, 3, 1))[0]
    ctx.count(f"stray-end:{how}")
    fields = {"call": ctx.next_id("CALL"), "how": how, "outcome": "no CAD record"}
    ended = ctx.rec.emit("CallEnded", t0, fields, by="telephony", source="call-recording")
    ctx.stray_ends.append(StrayEnd(ended, how))
    return routine(ctx, t0 + rng.randint(60, 10 * MINUTE))
