"""Hand-overs to another force: urgency and words of risk lost on the way (findings.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.texts import domestic_pattern

if TYPE_CHECKING:
    from simulator.judge import Judge


def transfers(j: Judge) -> None:
    """Each hand-over the incident made: `transfer-urgency-lost`, `transfer-facts-lost`."""
    p = j.p
    risk = domestic_pattern(p.risk_terms)  # whole words in any case, as for domestic terms
    for t in j.inc.sent:
        before = [g for g in j.grades if g.at < t.at]
        receiver_grades = sorted(t.to.grades, key=lambda g: g.at) if t.to else []
        given = t.to_grade or (receiver_grades[0].grade if receiver_grades else None)
        if before and given is not None:
            held = before[-1]
            was, now = p.target(held.grade), p.target(given)
            if was is not None and (now is None or now > was):
                cited = None if t.to_grade else receiver_grades[0].ev
                j.add(
                    "transfer-urgency-lost",
                    t.at,
                    t.at,
                    (t.ev, held.ev, cited),
                    f"Received as {given}, held {held.grade}",
                    t.at if cited is None else max(t.at, cited.at),
                )
        passed = {w.lower() for w in risk.findall(t.summary)}
        sources = [c.received for c in j.inc.calls if c.at < t.at]
        lost = [
            ev for ev in sources if {w.lower() for w in risk.findall(ev.body["summary"])} - passed
        ]
        if lost:
            j.add(
                "transfer-facts-lost", t.at, t.at, (t.ev, *lost), "Risk words not passed on", t.at
            )
