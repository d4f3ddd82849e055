"""IOPC 2018/104370 (Metropolitan Police, June 2018), replayed with fictional details.

A woman who asked for help about her ex-husband days before calls 999 at night: someone is
banging on her door, she thinks it may be him. Her premises marker was removed months ago.
Graded significant and not treated as domestic; the unit sent is diverted by radio to an
immediate call and nobody acknowledges it; nobody is sent instead. Hours later she calls
from hospital, the handler puts the phone down, then officers are sent to the hospital.
"""

from __future__ import annotations

from simulator.clock import DAY, HOUR, MINUTE, floor_to, local_midnight
from simulator.context import Ctx
from simulator.facts import MarkerFact, RepeatFact
from simulator.identities import Person
from simulator.lifecycle import attend, finish_attended, job_length, open_incident
from simulator.policy import DOMESTIC_MARKER
from simulator.texts import CATEGORY_DOMESTIC, CLEARED


def iopc_104370(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    ctx.count("iopc-104370")
    t0 = local_midnight(t0) + 23 * HOUR + 54 * MINUTE + rng.randint(0, 59)  # 23:54, as reported
    her = ctx.ids.person(mobile=True)
    home = {"kind": "premises", "key": her.place.written(1)}
    added = floor_to(t0 - rng.randint(400 * DAY, 700 * DAY), "day")
    fields = {"subject": home, "marker": DOMESTIC_MARKER, "reason": "MARAC referral"}
    ctx.rec.emit("MarkerAdded", added, fields, precision="day", by="DVU2")
    removed = floor_to(t0 - rng.randint(100 * DAY, 150 * DAY), "day")
    fields = {"subject": {"kind": "premises", "key": her.place.written(3)},
              "marker": DOMESTIC_MARKER, "reason": "review: no contact for a year"}  # fmt: skip
    removal = ctx.rec.emit("MarkerRemoved", removed, fields, precision="day", by="DVU2")

    before = t0 - rng.randint(3 * DAY, 7 * DAY)
    asked = open_incident(ctx, before, grade=codes[-1], person=her, category="advice",
                          summary="Caller asks how to stop her ex-husband coming to her home",
                          domestic=False, length=rng.randint(120, 200))  # fmt: skip
    settled = max(asked.call.end_at, asked.grading.at, asked.triage.at)
    asked.inc.close(settled + rng.randint(60, 120), "advised to see a solicitor")

    summary = "Banging on the door and buzzer; caller thinks it may be her ex-husband"
    a = open_incident(
        ctx,
        t0,
        grade=codes[1],
        person=her,
        summary=summary,
        category="suspicious",
        domestic=False,
        phone_form=2,
        place_form=0,
    )
    asked.inc.markers.append(MarkerFact(asked.call, removal, None))
    a.inc.markers.append(MarkerFact(a.call, removal, None))
    a.inc.repeats.append(RepeatFact(a.call, asked.call, None))
    alloc = a.grading.at + rng.randint(6 * MINUTE, 10 * MINUTE)
    tb = alloc + rng.randint(3 * MINUTE, 8 * MINUTE)
    b = open_incident(ctx, tb, grade=codes[0])
    tv = b.grading.at + rng.randint(40, 120)
    arrive_b = min(
        tv + rng.randint(5 * MINUTE, 9 * MINUTE), tb + (ctx.policy.grades[0][1] or 900) - 20
    )
    clear_b = arrive_b + job_length(ctx)
    unit = ctx.units.book(alloc, clear_b)
    a.inc.allocate(alloc, unit)
    a.inc.en_route(alloc + rng.randint(20, 50), unit)
    said = tv - rng.randint(15, 40)
    via = a.inc.tx(said, unit, "control", f"{unit} diverting to {b.inc.ref}", None).ev
    a.inc.divert(tv, unit, b.inc, by_unit=True, via=via, told=False, compared=(via,))
    b.inc.en_route(tv + rng.randint(10, 30), unit)
    b.inc.arrive(arrive_b, unit)
    b.inc.clear(clear_b, unit, rng.choice(CLEARED))
    finish_attended(ctx, b.inc, clear_b)

    hospital = Person(ctx.ids.name(), ctx.ids.phone(), ctx.ids.place())
    rang = t0 + 2 * HOUR + rng.randint(20 * MINUTE, 50 * MINUTE)
    a.inc.call(rang, rng.randint(120, 240), channel="999", person=hospital, relation="victim",
               summary="Caller now at hospital: her ex-husband kicked the door in and hit her",
               how="handler-terminated", with_place=False)  # fmt: skip
    sent = rang + rng.randint(8 * MINUTE, 12 * MINUTE)
    arrive = sent + ctx.units.travel(urgent=True)
    clear = arrive + job_length(ctx)
    a.inc.classify(
        sent + rng.randint(3 * MINUTE, 6 * MINUTE),
        CATEGORY_DOMESTIC,
        True,
        "assault reported from hospital",
    )
    attend(ctx, a.inc, sent, arrive, clear, address="Kingsdown General Hospital")
    finish_attended(ctx, a.inc, clear)
    return 3
