"""Findings about units and about other incidents: losses of resource, diversions control
did not hear of, repeat contacts; then judging a whole simulation."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from simulator.judge import AmbiguousStory, Judge, earliest, first_from, mins

if TYPE_CHECKING:
    from simulator.context import Ctx
    from simulator.stream import Ev

_ORDER = {"commit": 0, "clear": 1, "leave": 2, "close": 3, "reopen": 4}


def unresourced(j: Judge) -> None:
    inc = j.inc
    steps: list[tuple[int, str, str, Ev | None]] = [
        (m.at, m.kind, m.unit, m.ev) for m in inc.moves if not m.ev.retracted
    ]
    steps += [(ev.at, "close", "", ev) for ev in inc.closings]
    steps += [(at, "reopen", "", None) for at in inc.reopenings]
    steps.sort(key=lambda s: (s[0], _ORDER[s[1]]))
    for a, b in pairwise(steps):
        if a[0] == b[0] and "leave" in (a[1], b[1]):
            raise AmbiguousStory(f"{inc.ref}: a unit left at the same instant as something else")
    grace = j.p.reallocation_grace
    committed: set[str] = set()
    committed_by: dict[str, Ev] = {}  # the unit's allocation here, else what first committed it
    is_open = True
    pending: tuple[int, tuple[Ev, ...]] | None = None

    def resolve(at: int) -> None:
        assert pending is not None
        start, evidence = pending
        if at - start > grace:
            summary = f"No unit committed for {mins(at - start)} after the last one left"
            j.add("unresourced-after-diversion", start, at, evidence, summary, start + grace + 1)

    for at, kind, unit, ev in steps:
        if kind == "commit":
            committed.add(unit)
            assert ev is not None
            if unit not in committed_by or ev.body["type"] == "UnitAllocated":
                committed_by[unit] = ev
            if pending is not None:
                resolve(at)
                pending = None
        elif kind in ("clear", "leave"):
            if unit not in committed:
                raise AmbiguousStory(f"{inc.ref}: {unit} left without being committed")
            committed.discard(unit)
            if kind == "leave" and not committed and is_open and ev is not None:
                pending = (at, (ev, committed_by[unit]))
        elif kind == "close":
            if pending is not None:
                resolve(at)
                pending = None
            is_open = False
        else:
            is_open = True
    if pending is not None:
        start, evidence = pending
        summary = "No unit committed since the last one left"
        j.add("unresourced-after-diversion", start, None, evidence, summary, start + grace + 1)


def unknown_diversions(j: Judge) -> None:
    settle = 2 * j.p.ack_timeout  # the last transmission that could tell control, and its ack
    control = sorted(j.inc.control)
    for leave in j.inc.leaves:
        if leave.told:
            continue
        later = [at for at in control if at > leave.at]
        end = earliest(later[0] if later else None, first_from(j.closes, leave.at))
        if end is not None and end <= leave.at + settle:
            raise AmbiguousStory(f"{j.inc.ref}: control acted while the diversion was unsettled")
        summary = f"{leave.unit} left without control being told"
        j.add(
            "diversion-unknown-to-control",
            leave.at,
            end,
            (leave.ev, *leave.compared),
            summary,
            leave.at + settle + 1,
        )


def repeats(j: Judge) -> None:
    grace = j.p.triage_grace
    for r in j.inc.repeats:
        t = r.call.at
        if r.connected is not None and r.connected <= t + grace:
            continue
        close = first_from(j.closes, t)
        summary = f"Repeat of {r.earlier.received.body['incident']}, not linked"
        evidence = (r.call.received, r.earlier.received)
        if (
            close is not None
            and close <= t + grace
            and (r.connected is None or close < r.connected)
        ):
            shut = (*evidence, j.closing(close))
            j.add("repeat-contact-not-linked", t, close, shut, summary, close)
        else:
            j.add(
                "repeat-contact-not-linked",
                t,
                earliest(r.connected, close),
                evidence,
                summary,
                t + grace + 1,
            )


def judge_all(ctx: Ctx) -> None:
    """Record in the truth every finding the simulation's stories hold."""
    for inc in ctx.incidents:
        j = Judge(inc)
        j.response()
        j.unattended()
        j.downgrades()
        j.marker_grade()
        j.domestic()
        j.cut_offs()
        j.plans()
        j.radio()
        unresourced(j)
        unknown_diversions(j)
        repeats(j)
        if inc.reopened and j.found:
            raise AmbiguousStory(f"{inc.ref}: a reopened incident with findings")
    timeout = ctx.policy.ack_timeout
    for tx in ctx.loose_txs:
        if tx.required and (tx.ack is None or tx.ack > tx.at + timeout):
            summary = f"Transmission {tx.ev.body['transmission']} not acknowledged in time"
            ctx.truth.add(
                "transmission-unacknowledged",
                None,
                tx.at,
                tx.ack,
                (tx.ev,),
                summary,
                matures=tx.at + timeout + 1,
            )
