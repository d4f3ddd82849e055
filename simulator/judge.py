"""Which findings an incident's story holds, read from the facts the simulator kept.

Each scenario decides the facts (an arrival 4 min late, a link 10 min after the call); the
judge turns them into findings with the stretches, evidence and severities of findings.md.
This module holds what every rule shares and the rules about grading; `judge_calls.py`,
`judge_units.py` and `judge_ledger.py` hold the rest. The judge refuses stories whose findings
would depend on a reading of findings.md the README lists as ambiguous: a scenario that
builds one is a simulator bug, not a finding.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ledger.durations import describe
from simulator.facts import GradeFact
from simulator.stream import Ev

if TYPE_CHECKING:
    from simulator.incident import Incident


class AmbiguousStory(AssertionError):
    """A scenario built something whose findings findings.md does not settle."""


def mins(seconds: int) -> str:
    return describe(timedelta(seconds=seconds))


class Judge:
    def __init__(self, inc: Incident) -> None:
        self.inc = inc
        self.p = inc.ctx.policy
        self.closings = sorted(inc.closings, key=lambda ev: ev.at)
        self.grades = sorted((g for g in inc.grades if not g.ev.retracted), key=lambda g: g.at)
        self.arrivals = sorted((a for a in inc.arrivals if not a.ev.retracted), key=lambda a: a.at)
        self.found = 0

    def add(
        self,
        code: str,
        start: int,
        end: int | None,
        evidence: tuple[Ev | None, ...],
        summary: str,
        matures: int,
        severity: str | None = None,
    ) -> None:
        """Record a finding; `evidence` is the trigger, what it was compared with, and the
        event that ended the stretch (findings.md ruling 8), None where there is none."""
        self.found += 1
        cited = tuple(ev for ev in evidence if ev is not None)
        self.inc.ctx.truth.add(
            code, self.inc.ref, start, end, cited, summary, matures=matures, severity=severity
        )

    def closing_from(self, t: int) -> Ev | None:
        """The incident's first closing at or after `t`."""
        return next((ev for ev in self.closings if ev.at >= t), None)

    def first_of(self, *candidates: Ev | None) -> Ev | None:
        """The event that ends a stretch: the earliest candidate. Two at the same instant
        would make the cited one a matter of tie-breaking, which findings.md leaves open."""
        present = sorted((ev for ev in candidates if ev is not None), key=lambda ev: ev.at)
        if len(present) > 1 and present[0].at == present[1].at:
            raise AmbiguousStory(f"{self.inc.ref}: a stretch ends at two events at once")
        return present[0] if present else None

    def u(self, grade: str) -> int:
        return self.p.urgency(grade)

    def target(self, g: GradeFact) -> int | None:
        return g.target if g.target is not None else self.p.target(g.grade)

    def response(self) -> None:
        """Only grades given by the first arrival count; a grade's deadline is the later of
        the first call + its target and the moment it was given (findings.md's table)."""
        calls = [c for c in self.inc.calls if not c.received.retracted]
        # Handed over from another incident: the target runs from the earlier first call
        # (findings.md ruling 13); the simulator's senders always called first.
        calls += [t.sender.calls[0] for t in self.inc.received]
        if not calls:
            return
        first = min(calls, key=lambda c: c.at)
        arrival = self.arrivals[0] if self.arrivals else None
        deadlines = [
            (max(first.at + t, g.at), n, g)
            for n, g in enumerate(self.grades)
            if (t := self.target(g)) is not None and (arrival is None or g.at <= arrival.at)
        ]
        if not deadlines:
            return
        deadline, _, grading = min(deadlines)
        if arrival is not None and arrival.at <= deadline:
            return
        close = self.closing_from(first.at)
        if close is not None and close.at <= deadline:
            return
        end = self.first_of(arrival.ev if arrival else None, close)
        how = "no arrival" if arrival is None else f"first arrival {mins(arrival.at - first.at)}"
        due = mins(deadline - first.at)
        summary = f"Graded {grading.grade}, due {due} after the call; {how} after the call"
        self.add(
            "response-target-missed",
            deadline,
            None if end is None else end.at,
            (first.received, grading.ev, end),
            summary,
            deadline + 1,
        )

    def unattended(self) -> None:
        required = self.p.attendance_required
        for close in self.closings:
            if any(a.at <= close.at for a in self.arrivals):
                continue
            if any(t.at <= close.at for t in self.inc.sent):
                continue  # handed on before it closed: attendance became the receiver's
            before = [g for g in self.grades if g.at < close.at]
            if not before:
                continue
            current = before[-1]
            if current.grade in required:
                summary = f"Closed while graded {current.grade} without any unit arriving"
                self.add(
                    "closed-without-attendance",
                    close.at,
                    close.at,
                    (close, current.ev),
                    summary,
                    close.at,
                )
            elif any(g.grade in required for g in before):
                raise AmbiguousStory(f"{self.inc.ref}: downgraded out of attendance, unattended")

    def downgrades(self) -> None:
        found = 0
        for prev, new in zip(self.grades, self.grades[1:], strict=False):
            if self.u(new.grade) <= self.u(prev.grade):
                continue
            found += 1
            old = self.u(prev.grade)
            backs = (g.ev for g in self.grades if g.at > new.at and self.u(g.grade) <= old)
            back = next(backs, None)
            end = self.first_of(back, self.closing_from(new.at))
            summary = f"Downgraded from {prev.grade} to {new.grade}"
            self.add(
                "incident-downgraded",
                new.at,
                None if end is None else end.at,
                (new.ev, prev.ev, end),
                summary,
                new.at,
            )
        if found > 1:
            raise AmbiguousStory(f"{self.inc.ref}: more than one downgrade")

    def marker_grade(self) -> None:
        hits = [m for m in self.inc.markers if m.min_grade is not None]
        if len(hits) > 1:
            raise AmbiguousStory(f"{self.inc.ref}: two minimum-grade markers match")
        for hit in hits:
            assert hit.min_grade is not None
            if hit.call is not self.inc.calls[0] or any(g.at < hit.call.at for g in self.grades):
                raise AmbiguousStory(f"{self.inc.ref}: marker call is not the first event")
            floor = self.u(hit.min_grade)
            below = [i for i, g in enumerate(self.grades) if self.u(g.grade) > floor]
            if not below:
                continue
            first = self.grades[below[0]]
            ups = [g for g in self.grades[below[0] :] if self.u(g.grade) <= floor]
            if ups and any(self.grades[i].at > ups[0].at for i in below):
                raise AmbiguousStory(f"{self.inc.ref}: graded below the marker twice")
            end = self.first_of(ups[0].ev if ups else None, self.closing_from(first.at))
            summary = (
                f"Caller matches an active {hit.marker.body['marker']} marker; graded {first.grade}"
            )
            self.add(
                "marker-call-graded-below-policy",
                first.at,
                None if end is None else end.at,
                (hit.call.received, hit.marker, first.ev, end),
                summary,
                first.at,
            )
        for hit in self.inc.markers:
            if hit.min_grade is None:
                summary = f"{hit.marker.body['marker']} marker removed before this call"
                self.add(
                    "marker-removed-before-call",
                    hit.marker.at,
                    hit.call.at,
                    (hit.call.received, hit.marker),
                    summary,
                    hit.call.at,
                )
