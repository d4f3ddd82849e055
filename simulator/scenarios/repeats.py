"""The same caller or address again within the repeat window: linked in time, late, never.

Matches are written in another form (+44 for 07..., different case and punctuation in the
address) so that folding is what makes them match. Only inbound calls carry the number.
"""

from __future__ import annotations

from simulator.clock import HOUR, MINUTE
from simulator.context import Ctx
from simulator.facts import RepeatFact
from simulator.identities import Person
from simulator.lifecycle import Opening, open_incident, respond_and_close
from simulator.mix import days_later
from simulator.stream import Ev
from simulator.texts import CLOSED_UNATTENDED

GAPS = ("within", "at-window", "past-window")
LINKS = ("linked", "linked-at-grace", "linked-late", "never", "closed-in-grace")


def repeat_contact(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    if rng.random() < 0.2:
        return _chain(ctx, t0)
    gap_kind = rng.choices(GAPS, weights=(8, 1, 1))[0]
    link = "never" if gap_kind != "within" else rng.choices(LINKS, weights=(6, 2, 3, 3, 2))[0]
    match = rng.choice(("phone", "address", "both"))
    ctx.count(f"repeat:{gap_kind}-{link}-{match}")
    first = open_incident(ctx, t0, person=ctx.ids.person(mobile=True), phone_form=1)
    respond_and_close(ctx, first)
    window = ctx.policy.repeat_window
    tb = {"at-window": t0 + window, "past-window": t0 + window + 1}.get(gap_kind)
    if tb is None:
        tb = _within(ctx, t0)
    again = _again(ctx, tb, first.person, match, quick=link == "closed-in-grace")
    connected = _link(ctx, again, first, link)
    if gap_kind != "past-window":
        again.inc.repeats.append(RepeatFact(again.call, first.call, connected))
    return 2


def _within(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    days = rng.randint(0, ctx.policy.repeat_window // 86400 - 1)
    tb = days_later(rng, t0, days) if days else t0 + rng.randint(20 * MINUTE, 6 * HOUR)
    if not t0 + 10 * MINUTE < tb < t0 + ctx.policy.repeat_window:
        tb = t0 + rng.randint(20 * MINUTE, 6 * HOUR)
    return tb


def _again(ctx: Ctx, at: int, person: Person, match: str, quick: bool = False) -> Opening:
    """A call from someone matching `person` by phone, address or both, written differently."""
    rng = ctx.rng
    fresh = ctx.ids.person()
    phone = person.phone if match in ("phone", "both") else fresh.phone
    place = person.place if match in ("address", "both") else fresh.place
    caller = Person(fresh.name, phone, place)
    phone_form, place_form = rng.choice((2, 3)), rng.randint(1, 3)
    grade = ctx.policy.codes[-1] if quick else None  # a resolution call, dealt with in minutes
    length = rng.randint(60, 150) if quick else None
    return open_incident(ctx, at, person=caller, grade=grade, length=length,
                         phone_form=phone_form, place_form=place_form)  # fmt: skip


def _link(ctx: Ctx, again: Opening, first: Opening, link: str) -> Ev | None:
    """Link as the variant says, close `again`, and return the link (None: never linked)."""
    rng = ctx.rng
    grace = ctx.policy.triage_grace
    tb = again.t0
    if link == "closed-in-grace":
        settled = max(again.call.end_at, again.triage.at, again.grading.at)
        closed = settled + rng.randint(30, max(31, tb + grace - settled - 10))
        again.inc.close(closed, rng.choice(CLOSED_UNATTENDED))
        return None
    at = {
        "linked": tb + rng.randint(30, grace - 1),
        "linked-at-grace": tb + grace,
        "linked-late": tb + grace + rng.randint(1, 3 * HOUR),
    }.get(link)
    respond_and_close(ctx, again, not_before=at or 0)
    if at is None:
        return None
    relation = "duplicate" if tb - first.t0 < 6 * HOUR else "repeat-call"
    if rng.random() < 0.5:
        return again.inc.link(at, first.inc, relation)
    return ctx.rec.emit(
        "IncidentLinked",
        at,
        {"incident": first.inc.ref, "linked": again.inc.ref, "relation": relation},
        by=again.inc.handler,
    )


def _chain(ctx: Ctx, t0: int) -> int:
    """Three contacts: links are followed through other links (findings.md)."""
    rng = ctx.rng
    variant = rng.choice(("all-linked", "middle-unlinked", "both-to-first"))
    ctx.count(f"repeat:chain-{variant}")
    grace = ctx.policy.triage_grace
    a = open_incident(ctx, t0, person=ctx.ids.person(mobile=True))
    respond_and_close(ctx, a)
    tb = t0 + rng.randint(1, 10) * 86400 + rng.randint(-3 * HOUR, 3 * HOUR)
    b = _again(ctx, tb, a.person, "phone")
    b_link = None
    if variant != "middle-unlinked":
        b_link = b.inc.link(tb + rng.randint(30, grace), a.inc)
    respond_and_close(ctx, b, not_before=b_link.at if b_link else 0)
    tc = tb + rng.randint(1, 10) * 86400 + rng.randint(-3 * HOUR, 3 * HOUR)
    c = _again(ctx, tc, a.person, "phone")
    c_link = c.inc.link(tc + rng.randint(30, grace), a.inc if variant == "both-to-first" else b.inc)
    respond_and_close(ctx, c, not_before=c_link.at)
    b.inc.repeats.append(RepeatFact(b.call, a.call, b_link))
    both = None if b_link is None else max(b_link, c_link, key=lambda link: link.at)
    c.inc.repeats.append(RepeatFact(c.call, a.call, c_link if variant == "both-to-first" else both))
    direct = variant in ("all-linked", "middle-unlinked")  # C was linked to B itself
    c.inc.repeats.append(RepeatFact(c.call, b.call, c_link if direct else both))
    return 3
