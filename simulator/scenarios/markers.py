"""Warning markers ("special schemes") on a phone or a premises, and the calls that meet them.

A marker removed some months before the call (the IOPC 2018/104370 premises marker), at
exactly the lookback, or just outside it; an active domestic-abuse marker with a call graded
below the policy's minimum, at it, or a marker with no minimum at all.
"""

from __future__ import annotations

from typing import Any

from simulator.clock import DAY, MINUTE, floor_to
from simulator.context import Ctx
from simulator.facts import MarkerFact
from simulator.identities import Person
from simulator.lifecycle import (
    attend,
    finish_attended,
    job_length,
    on_time,
    open_incident,
    respond_and_close,
)
from simulator.policy import DOMESTIC_MARKER
from simulator.stream import Ev

REMOVED = ("within", "at-lookback", "past-lookback")
GRADED = ("below-upgraded", "below-never", "at-minimum", "top-then-downgraded", "no-minimum")
OTHER_MARKERS = ("vulnerable-occupant", "firearms-licence-holder", "mental-health-crisis-plan")


def _subject(ctx: Ctx, person: Person, kind: str) -> dict[str, Any]:
    form = ctx.rng.randint(0, 3)
    if kind == "phone" and person.phone is not None:
        return {"kind": "phone", "key": person.phone.written(form)}
    return {"kind": "premises", "key": person.place.written(form)}


def _add(ctx: Ctx, subject: dict[str, Any], marker: str, at: int, review: int | None) -> Ev:
    precision = "month" if ctx.rng.random() < 0.3 else None
    at = floor_to(at, precision) if precision else at
    fields: dict[str, Any] = {"subject": subject, "marker": marker, "reason": "risk assessment"}
    if review is not None:
        fields["review_by"] = ctx.fmt(review)
    return ctx.rec.emit("MarkerAdded", at, fields, precision=precision, by="INTEL3", source="cad")


def marker_removed(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    variant = rng.choices(REMOVED, weights=(6, 1, 1))[0]
    kind = rng.choice(("phone", "premises"))
    ctx.count(f"marker-removed:{variant}-{kind}")
    person = ctx.ids.person(mobile=True)
    lookback = ctx.policy.marker_lookback
    lag = {"at-lookback": lookback, "past-lookback": lookback + 1}.get(variant)
    removed = t0 - (lag if lag is not None else rng.randint(2 * DAY, lookback - DAY))
    precision = "day" if lag is None and rng.random() < 0.4 else None
    removed = floor_to(removed, precision) if precision else removed
    marker = DOMESTIC_MARKER if rng.random() < 0.5 else rng.choice(OTHER_MARKERS)
    subject = _subject(ctx, person, kind)
    _add(ctx, subject, marker, removed - rng.randint(30 * DAY, 400 * DAY), None)
    fields = {
        "subject": _subject(ctx, person, kind),
        "marker": marker,
        "reason": "review: no longer needed",
    }
    removal = ctx.rec.emit("MarkerRemoved", removed, fields, precision=precision, by="INTEL3")
    op = open_incident(
        ctx, t0, person=person, phone_form=rng.randint(0, 3), place_form=rng.randint(0, 3)
    )
    if variant != "past-lookback":
        op.inc.markers.append(MarkerFact(op.call, removal, None))
    respond_and_close(ctx, op)
    return 1


def marker_graded(ctx: Ctx, t0: int) -> int:
    rng = ctx.rng
    codes = ctx.policy.codes
    variant = rng.choices(GRADED, weights=(3, 3, 2, 2, 2))[0]
    kind = rng.choice(("phone", "premises"))
    ctx.count(f"marker-graded:{variant}-{kind}")
    person = ctx.ids.person(mobile=True)
    marker = rng.choice(OTHER_MARKERS) if variant == "no-minimum" else DOMESTIC_MARKER
    minimum = dict(ctx.policy.marker_min_grade).get(marker)
    added = _add(
        ctx,
        _subject(ctx, person, kind),
        marker,
        t0 - rng.randint(10 * DAY, 500 * DAY),
        t0 + rng.randint(30 * DAY, 365 * DAY),
    )
    first = codes[0] if variant in ("at-minimum", "top-then-downgraded") else codes[1]
    op = open_incident(
        ctx,
        t0,
        person=person,
        grade=first,
        domestic=True,
        phone_form=rng.randint(0, 3),
        place_form=rng.randint(0, 3),
    )
    if minimum is not None:
        op.inc.markers.append(MarkerFact(op.call, added, minimum))
    top = ctx.policy.target(codes[0])
    assert top is not None
    if variant == "below-upgraded":
        at = op.grading.at + rng.randint(60, max(61, t0 + top - op.grading.at - 5 * MINUTE))
        op.grading = op.inc.grade(at, codes[0], rationale="marker seen on review", by="SUP07")
    if variant in ("below-never", "no-minimum"):
        respond_and_close(ctx, op)
        return 1
    alloc, arrive = on_time(ctx, op, grade=codes[0])
    clear = arrive + job_length(ctx)
    attend(ctx, op.inc, alloc, arrive, clear)
    if variant == "top-then-downgraded":
        op.inc.grade(arrive + rng.randint(60, 10 * MINUTE), codes[1], rationale="suspect left")
    finish_attended(ctx, op.inc, clear)
    return 1
