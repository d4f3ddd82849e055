"""Which findings an incident's story holds, read from the facts the simulator kept.

Each scenario decides the facts (an arrival 4 min late, a link 10 min after the call); this
module turns them into findings with the stretches, evidence and severities of findings.md.
It refuses stories whose findings would depend on a reading of findings.md the README
lists as ambiguous: a scenario that builds one is a simulator bug, not a finding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import timedelta
from typing import TYPE_CHECKING

from ledger.durations import describe
from simulator.facts import GradeFact
from simulator.stream import Ev

if TYPE_CHECKING:
    from simulator.incident import Incident


class AmbiguousStory(AssertionError):
    """A scenario built something whose findings findings.md does not settle."""


def first_from(values: list[int], t: int) -> int | None:
    """The first value at or after `t`."""
    i = bisect_left(values, t)
    return values[i] if i < len(values) else None


def _after(values: list[int], t: int) -> int | None:
    i = bisect_right(values, t)
    return values[i] if i < len(values) else None


def earliest(*candidates: int | None) -> int | None:
    present = [c for c in candidates if c is not None]
    return min(present) if present else None


def mins(seconds: int) -> str:
    return describe(timedelta(seconds=seconds))


class Judge:
    def __init__(self, inc: Incident) -> None:
        self.inc = inc
        self.p = inc.ctx.policy
        self.closes = sorted(ev.at for ev in inc.closings)
        self.grades = sorted((g for g in inc.grades if not g.ev.retracted), key=lambda g: g.at)
        self.arrivals = sorted(a.at for a in inc.arrivals if not a.ev.retracted)
        self.found = 0

    def add(
        self,
        code: str,
        start: int,
        end: int | None,
        evidence: tuple[Ev, ...],
        summary: str,
        matures: int,
        severity: str | None = None,
    ) -> None:
        self.found += 1
        truth = self.inc.ctx.truth
        truth.add(
            code, self.inc.ref, start, end, evidence, summary, matures=matures, severity=severity
        )

    def closing(self, at: int) -> Ev:
        """The closing at `at`: evidence when the closing stood for the thing not done."""
        return next(ev for ev in self.inc.closings if ev.at == at)

    def u(self, grade: str) -> int:
        return self.p.urgency(grade)

    def target(self, g: GradeFact) -> int | None:
        return g.target if g.target is not None else self.p.target(g.grade)

    def response(self) -> None:
        calls = [c for c in self.inc.calls if not c.received.retracted]
        targeted = [(t, g) for g in self.grades if (t := self.target(g)) is not None]
        if not calls or not targeted:
            return
        first = min(calls, key=lambda c: c.at)
        shortest = min(t for t, _ in targeted)
        grading = next(g for t, g in targeted if t == shortest)
        deadline = first.at + shortest
        if grading.at > deadline:
            raise AmbiguousStory(f"{self.inc.ref}: graded after the deadline its target sets")
        arrival = self.arrivals[0] if self.arrivals else None
        if arrival is not None and arrival <= deadline:
            return
        close = first_from(self.closes, first.at)
        if close is not None and close <= deadline and (arrival is None or close < arrival):
            return
        end = earliest(arrival, close)
        how = "no arrival" if arrival is None else f"first arrival {mins(arrival - first.at)}"
        summary = f"Graded {grading.grade} (target {mins(shortest)}); {how} after the call"
        self.add(
            "response-target-missed",
            deadline,
            end,
            (first.received, grading.ev),
            summary,
            deadline + 1,
        )

    def unattended(self) -> None:
        required = self.p.attendance_required
        for close in self.inc.closings:
            if any(a <= close.at for a in self.arrivals):
                continue
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
            later = [
                g.at for g in self.grades if g.at > new.at and self.u(g.grade) <= self.u(prev.grade)
            ]
            end = earliest(later[0] if later else None, first_from(self.closes, new.at))
            summary = f"Downgraded from {prev.grade} to {new.grade}"
            self.add("incident-downgraded", new.at, end, (new.ev, prev.ev), summary, new.at)
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
            ups = [g.at for g in self.grades[below[0] :] if self.u(g.grade) <= floor]
            if ups and any(self.grades[i].at > ups[0] for i in below):
                raise AmbiguousStory(f"{self.inc.ref}: graded below the marker twice")
            end = earliest(ups[0] if ups else None, first_from(self.closes, first.at))
            summary = (
                f"Caller matches an active {hit.marker.body['marker']} marker; graded {first.grade}"
            )
            self.add(
                "marker-call-graded-below-policy",
                first.at,
                end,
                (hit.call.received, hit.marker, first.ev),
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

    def domestic(self) -> None:
        triggers = sorted((ev for ev in self.inc.triggers if not ev.retracted), key=lambda e: e.at)
        if not triggers:
            return
        start = triggers[0].at
        classes = sorted((c for c in self.inc.classes if not c.ev.retracted), key=lambda c: c.at)
        flagged = [c.at for c in classes if c.domestic]
        if any(t < start for t in flagged):
            raise AmbiguousStory(f"{self.inc.ref}: domestic before any domestic words")
        if flagged and any(not c.domestic and c.at > flagged[0] for c in classes):
            raise AmbiguousStory(f"{self.inc.ref}: domestic classification taken back")
        if flagged and triggers[-1].at > flagged[0]:
            raise AmbiguousStory(f"{self.inc.ref}: domestic words after classification")
        flag = flagged[0] if flagged else None
        grace = self.p.triage_grace
        if flag is not None and flag <= start + grace:
            return
        close = first_from(self.closes, start)
        summary = "Domestic words in a call or note, not classified domestic"
        if close is not None and close <= start + grace and (flag is None or close < flag):
            evidence = (triggers[0], self.closing(close))
            self.add("possible-domestic-not-flagged", start, close, evidence, summary, close)
        else:
            end = earliest(flag, close)
            self.add(
                "possible-domestic-not-flagged",
                start,
                end,
                (triggers[0],),
                summary,
                start + grace + 1,
            )

    def cut_offs(self) -> None:
        calls = [c for c in self.inc.calls if not c.received.retracted]
        if any(c.outbound and c.how != "completed" for c in calls):
            raise AmbiguousStory(f"{self.inc.ref}: a callback was itself cut off")
        outbound = sorted(c.at for c in calls if c.outbound)
        window = self.p.callback_window
        for call in calls:
            if call.outbound or call.how == "completed":
                continue
            assert call.ended is not None
            te = call.end_at
            if te in outbound or te in self.closes:
                raise AmbiguousStory(f"{self.inc.ref}: callback or closing at the cut-off")
            back = _after(outbound, te)
            if back is not None and back <= te + window:
                continue
            close = first_from(self.closes, te)
            severity = "high" if call.how == "handler-terminated" else None
            summary = f"Call ended ({call.how}) with no callback within {mins(window)}"
            evidence = (call.ended, call.received)
            if close is not None and close <= te + window and (back is None or close < back):
                self.add(
                    "call-cut-off-without-callback",
                    te,
                    close,
                    (*evidence, self.closing(close)),
                    summary,
                    close,
                    severity,
                )
            else:
                self.add(
                    "call-cut-off-without-callback",
                    te,
                    earliest(back, close),
                    evidence,
                    summary,
                    te + window + 1,
                    severity,
                )

    def plans(self) -> None:
        for plan in self.inc.plans:
            if plan.done is not None and plan.done <= plan.due:
                continue
            summary = f"Follow-up ({plan.ev.body['action']}) not done by its due time"
            self.add("follow-up-overdue", plan.due, plan.done, (plan.ev,), summary, plan.due + 1)

    def radio(self) -> None:
        timeout = self.p.ack_timeout
        for tx in self.inc.txs:
            if not tx.required or (tx.ack is not None and tx.ack <= tx.at + timeout):
                continue
            close = first_from(self.closes, tx.at)
            if (
                close is not None
                and close <= tx.at + timeout
                and (tx.ack is None or close < tx.ack)
            ):
                continue
            summary = f"Transmission {tx.ev.body['transmission']} not acknowledged in time"
            self.add(
                "transmission-unacknowledged",
                tx.at,
                earliest(tx.ack, close),
                (tx.ev,),
                summary,
                tx.at + timeout + 1,
            )
