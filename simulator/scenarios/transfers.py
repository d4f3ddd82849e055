"""A call answered by the wrong force and handed to the right one (Joanna Michael, 2009).

The sending incident is graded, hands the call on with a summary, and closes (ruling 13: no
attendance of its own is required). The receiving incident is in the same ledger: it takes a
call from the sending control room, is graded, and is attended, its response target running
from the sender's first call. Three things vary, each with its near miss:

- the urgency the receiver gives: a grade with a longer target or none (in the transfer's
  `to_grade`, or only in the receiver's own first grading), the same grade, or a more urgent
  one;
- the words passed on: a risk word left out, the same text passed on (in capitals), risk
  words only inside longer words ("knifepoint"), or no risk words at all;
- the receiver's arrival: within the target counted from the sender's first call, or after
  it but within the target counted from the receiver's own call (a finding only because the
  target runs from the earlier call).
"""

from __future__ import annotations

from simulator.clock import MINUTE
from simulator.context import Ctx
from simulator.incident import Incident
from simulator.lifecycle import attend, finish_attended, job_length, open_incident
from simulator.texts import (
    LONGER_WORD_HANDOVERS,
    PLAIN_HANDOVERS,
    RISK_HANDOVERS,
    TRANSFERRED,
)

URGENCY = ("lower-grade", "receiver-graded-lower", "same-grade", "more-urgent")
WORDS = ("lost", "passed-on", "longer-word", "plain")
AGENCY = "Neighbouring Force"


def transfer(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    urgency = rng.choices(URGENCY, weights=(3, 3, 2, 2))[0]
    words = rng.choices(WORDS, weights=(3, 2, 2, 2))[0]
    ctx.count(f"transfer:{urgency}")
    ctx.count(f"transfer-words:{words}")
    held = codes[1] if urgency == "more-urgent" or rng.random() < 0.3 else codes[0]
    lower = codes[codes.index(held) + 1]  # S after I; after S a grade with no target (none)
    given = {"same-grade": held, "more-urgent": codes[0]}.get(urgency, lower)
    pool = {"longer-word": LONGER_WORD_HANDOVERS, "plain": PLAIN_HANDOVERS}
    said, passed = rng.choice(pool.get(words, RISK_HANDOVERS))
    if words == "passed-on":
        passed = said.upper()
    op = open_incident(ctx, t0, grade=held, summary=said, domestic=False, category="general")
    sent = max(op.grading.at, op.triage.at) + rng.randint(30, 180)
    receiver = ctx.new_incident(sent)
    to_grade = None if urgency == "receiver-graded-lower" else given
    op.inc.transfer(sent, AGENCY, receiver, grade=held, to_grade=to_grade, summary=passed)
    op.inc.close(max(sent, op.call.end_at) + rng.randint(30, 240), TRANSFERRED)
    # The receiving control room: the sending one on the phone, a grading, a unit.
    taken = sent + rng.randint(0, 60)
    desk = ctx.ids.person(with_phone=False)
    receiver.call(
        taken,
        rng.randint(60, 180),
        channel="other",
        person=desk,
        summary=passed,
        relation="professional",
        with_place=False,
    )
    graded = receiver.grade(taken + rng.randint(20, 120), given).at
    target = ctx.policy.target(given)
    if target is None:  # no target to meet: a unit goes when one is free
        ctx.count("transfer-response:no-target")
        arrive = graded + rng.randint(20 * MINUTE, 3 * 60 * MINUTE)
        _attend(ctx, receiver, arrive, graded)
        return 2
    from_sender, from_own = t0 + target, taken + target
    soon = max(graded + MINUTE, sent + 4 * MINUTE)
    if soon < from_sender - 20 and rng.random() < 0.6:
        arrive = rng.randint(soon, from_sender - 20)
    else:
        arrive = rng.randint(max(soon, from_sender + 1), max(soon, from_sender + 1, from_own))
    if arrive <= from_sender:
        ctx.count("transfer-response:on-time")
    else:  # late: a finding; when by the receiver's own call's target, only because of the rule
        ctx.count(f"transfer-response:{'late' if arrive > from_own else 'late-only-from-sender'}")
    _attend(ctx, receiver, arrive, graded)
    return 2


def _attend(ctx: Ctx, receiver: Incident, arrive: int, graded: int) -> None:
    alloc = max(arrive - ctx.units.travel(urgent=True), graded + 20)
    clear = arrive + job_length(ctx)
    attend(ctx, receiver, alloc, arrive, clear)
    finish_attended(ctx, receiver, clear)
