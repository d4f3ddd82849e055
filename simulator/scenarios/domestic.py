"""Domestic words in a call or a note, and whether triage classified the incident domestic.

Words that only contain a term ("partnership", "housewife") are the near miss; so is a note
with a term entered on the wrong incident and retracted, and a triage keyed non-domestic
then corrected (the corrected classification counts from its own time: findings.md).
"""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.lifecycle import open_incident, respond_and_close
from simulator.texts import (
    CATEGORY_DOMESTIC,
    CLOSED_UNATTENDED,
    NEAR_MISS_TEXTS,
    ROUTINE,
    TERM_NOTES,
    TERM_UNFLAGGED_SUMMARIES,
)

VARIANTS = ("unflagged", "flagged-late", "flagged-at-grace", "note-unflagged", "note-flagged",
            "near-words", "closed-in-grace", "retracted-note", "corrected")  # fmt: skip


def domestic_words(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    grace = ctx.policy.triage_grace
    codes = ctx.policy.codes
    variant = rng.choices(VARIANTS, weights=(4, 3, 2, 2, 1, 2, 1, 1, 1))[0]
    ctx.count(f"domestic:{variant}")
    note = variant.startswith("note") or variant == "retracted-note"
    if variant == "near-words":
        summary = rng.choice(NEAR_MISS_TEXTS)
    elif note:
        summary = rng.choice(ROUTINE[1])[1]
    else:
        summary = rng.choice(TERM_UNFLAGGED_SUMMARIES)
    grade = codes[-1] if variant == "closed-in-grace" else codes[rng.randint(0, len(codes) - 1)]
    length = rng.randint(60, 150) if variant == "closed-in-grace" else None
    op = open_incident(
        ctx, t0, grade=grade, summary=summary, category="suspicious", domestic=False, length=length
    )
    inc = op.inc
    if variant == "closed-in-grace":
        settled = max(op.call.end_at, op.triage.at, op.grading.at)
        closed = settled + rng.randint(30, max(31, t0 + grace - settled - 10))
        inc.close(closed, rng.choice(CLOSED_UNATTENDED))
        return 1
    last = t0
    if variant == "flagged-late":
        last = t0 + grace + rng.randint(1, 90 * MINUTE)
        inc.classify(last, CATEGORY_DOMESTIC, True, "caller confirms a relationship")
    elif variant == "flagged-at-grace":
        last = t0 + grace
        inc.classify(last, CATEGORY_DOMESTIC, True, "caller confirms a relationship")
    elif note:
        last = t0 + rng.randint(5 * MINUTE, 40 * MINUTE)
        ev = inc.note(last, rng.choice(TERM_NOTES), by=inc.handler)
        if variant == "note-flagged":
            last += rng.randint(30, grace)
            inc.classify(last, CATEGORY_DOMESTIC, True, "note shows a relationship")
        elif variant == "retracted-note":
            last += rng.randint(30, 5 * MINUTE)
            ctx.rec.retract(ev, last, "entered on the wrong incident", inc.handler)
    elif variant == "corrected":
        last = op.triage.at + rng.randint(20 * MINUTE, 60 * MINUTE)
        inc.correct_to_domestic(op.triage, last)
    respond_and_close(ctx, op, not_before=last + MINUTE)
    return 1
