"""The oracle's reading of hand-overs (round 2): urgency and words of risk lost in a transfer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from simulator.policy import SimPolicy
from tests.simulation.oracle_view import E, View


def transfers(v: View, p: SimPolicy) -> Iterator[tuple[Any, ...]]:
    """(code, incident, start, end, evidence, matures) for each transfer that lost something."""
    words = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, p.risk_terms)) + r")(?!\w)", re.I)
    for t in (e for e in v.events if e.type == "IncidentTransferred"):
        inc = t["incident"]
        mine = v.by_incident[inc]
        held = [g for g in mine if g.type == "IncidentGraded" and g["incident"] == inc]
        held = [g for g in held if (g.at, g.i) < (t.at, t.i)]
        theirs = [g for g in v.by_incident.get(t.get("to_incident") or "", []) if _graded(g, t)]
        given, cited = (t.get("to_grade"), None) if t.get("to_grade") else (None, None)
        if given is None and theirs:
            given, cited = theirs[0]["grade"], theirs[0]
        if held and given is not None:
            was, now = p.target(held[-1]["grade"]), p.target(given)
            if was is not None and (now is None or now > was):
                ready = t.at if cited is None else max(t.at, cited.at)
                yield ("transfer-urgency-lost", inc, t.at, t.at, [t, held[-1], cited], ready)
        passed = {w.lower() for w in words.findall(t.get("summary") or "")}
        said = [e for e in mine if _said_before(e, t, inc)]
        lost = [e for e in said if {w.lower() for w in words.findall(_text(e))} - passed]
        if lost:
            yield ("transfer-facts-lost", inc, t.at, t.at, [t, *lost], t.at)


def _graded(g: E, t: E) -> bool:
    return g.type == "IncidentGraded" and g["incident"] == t.get("to_incident")


def _said_before(e: E, t: E, inc: str) -> bool:
    named = e.type in ("CallReceived", "IncidentNoted") and e["incident"] == inc
    return named and (e.at, e.i) < (t.at, t.i) and e.known <= t.at


def _text(e: E) -> str:
    return (e.get("summary") if e.type == "CallReceived" else e.get("text")) or ""
