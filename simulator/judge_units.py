"""Findings about units leaving an incident: losses of resource, and diversions control did not
hear of (findings.md ruling 3: the closing releases every unit; nothing leaves a closed one)."""

from __future__ import annotations

from itertools import pairwise

from simulator.judge import AmbiguousStory, Judge, mins
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
    pending: tuple[int, tuple[Ev, Ev]] | None = None  # when the last unit left, and evidence

    def resolve(ender: Ev) -> None:
        assert pending is not None
        start, evidence = pending
        if ender.at - start > grace:
            summary = f"No unit committed for {mins(ender.at - start)} after the last one left"
            stretch = (start, ender.at, (*evidence, ender), summary, start + grace + 1)
            j.add("unresourced-after-diversion", *stretch)

    for _, kind, unit, ev in steps:
        if kind == "commit":
            assert ev is not None
            committed.add(unit)
            if unit not in committed_by or ev.body["type"] == "UnitAllocated":
                committed_by[unit] = ev
            if pending is not None:
                resolve(ev)
                pending = None
        elif kind in ("clear", "leave"):
            if not is_open:
                continue  # the closing released every unit: nothing leaves a closed incident
            if unit not in committed:
                raise AmbiguousStory(f"{inc.ref}: {unit} left without being committed")
            committed.discard(unit)
            if kind == "leave" and not committed and ev is not None:
                pending = (ev.at, (ev, committed_by[unit]))
        elif kind == "close":
            assert ev is not None
            if pending is not None:
                resolve(ev)
                pending = None
            committed.clear()
            is_open = False
        else:
            is_open = True
    if pending is not None:
        start, evidence = pending
        summary = "No unit committed since the last one left"
        j.add("unresourced-after-diversion", start, None, evidence, summary, start + grace + 1)


def unknown_diversions(j: Judge) -> None:
    """Only a unit's own leaving counts: control's own moves are known to control (ruling 4)."""
    timeout = j.p.ack_timeout
    unsettled = 2 * timeout  # a message could still be sent within the timeout, and acked
    actions = sorted(j.inc.control, key=lambda ev: ev.at)
    for leave in j.inc.leaves:
        if any(close.at <= leave.at for close in j.closings):
            raise AmbiguousStory(f"{j.inc.ref}: a leaving recorded on a closed incident")
        if leave.told:
            continue
        action = next((ev for ev in actions if ev.at > leave.at), None)
        end = j.first_of(action, j.closing_from(leave.at))
        if end is not None and end.at <= leave.at + unsettled:
            raise AmbiguousStory(f"{j.inc.ref}: control acted while the diversion was unsettled")
        summary = f"{leave.unit} left without control being told"
        j.add(
            "diversion-unknown-to-control",
            leave.at,
            None if end is None else end.at,
            (leave.ev, *leave.compared, end),
            summary,
            # Known once no message can still be sent in the window nor acknowledged in time.
            max([leave.at, *(tx.at for tx in leave.compared)]) + timeout + 1,
        )
