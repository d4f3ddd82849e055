"""A from-the-spec evaluation of findings.md over a written stream, at its default clock.

Output rows are (code, incident, severity, start, end, evidence, approximate): everything in
a finding but its free-text summary. Used only to check the simulator's ground truth: it
reads the events as written, never the simulator's own facts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise
from typing import Any

from ledger.durations import parse_duration
from simulator.policy import SimPolicy
from tests.simulation.oracle_calls import across
from tests.simulation.oracle_late import late
from tests.simulation.oracle_transfers import transfers
from tests.simulation.oracle_units import unit_findings
from tests.simulation.oracle_view import E, View, at, earliest, first_from, load, ts

Row = tuple[str, str | None, str, int, int | None, tuple[str, ...], bool]
SEVERITY = {
    "unresourced-after-diversion": "high",
    "response-target-missed": "high",
    "transmission-unacknowledged": "medium",
    "diversion-unknown-to-control": "high",
    "call-cut-off-without-callback": "medium",
    "marker-removed-before-call": "medium",
    "repeat-contact-not-linked": "medium",
    "closed-without-attendance": "high",
    "possible-domestic-not-flagged": "medium",
    "incident-downgraded": "medium",
    "marker-call-graded-below-policy": "high",
    "follow-up-overdue": "high",
    "transfer-urgency-lost": "high",
    "transfer-facts-lost": "high",
    "late-recording": "info",
}


class Oracle:
    def __init__(self, stream: list[dict[str, Any]], policy: SimPolicy) -> None:
        self.v: View = load(stream)
        self.p = policy
        self.urgency = {code: n for n, code in enumerate(policy.codes)}
        self.rows: list[tuple[Row, int]] = []
        self.ends: dict[str | None, list[E]] = defaultdict(list)  # by the call's incident
        for e in self.v.events:
            if e.type == "CallEnded":
                call = self.v.calls.get(e["call"])
                self.ends[None if call is None else call["incident"]].append(e)
        terms = sorted(policy.domestic_terms, key=len, reverse=True)
        self.terms = (
            re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")\b", re.I) if terms else None
        )

    def add(
        self,
        code: str,
        inc: str | None,
        start: int,
        end: int | None,
        ev: list[E | None],
        matures: int,
        severity: str | None = None,
    ) -> None:
        sev = severity or SEVERITY[code]
        cited = list({e.id: e for e in ev if e is not None}.values())
        row = (code, inc, sev, start, end, tuple(e.id for e in cited), any(e.coarse for e in cited))
        self.rows.append((row, matures))

    def run(self) -> list[Row]:
        for inc, evs in self.v.by_incident.items():
            kinds: dict[str, list[E]] = defaultdict(list)
            for e in evs:
                kinds[e.type].append(e)
            self.response(inc, kinds)
            self.unattended(inc, kinds)
            self.downgrades(inc, kinds["IncidentGraded"])
            self.domestic(inc, evs)
            self.cut_offs(inc, kinds["CallReceived"])
        self.cut_offs(None, [])
        self.radio()
        self.plans()
        for found in (
            *across(self.v, self.p),
            *unit_findings(self.v, self.p),
            *late(self.v, self.p),
            *transfers(self.v, self.p),
        ):
            self.add(*found)
        return sorted((r for r, m in self.rows if m <= self.v.clock), key=row_key)

    def closing_from(self, inc: str | None, t: int) -> E | None:
        return first_from(self.v.closes[inc], t) if inc is not None else None

    def target(self, g: E) -> int | None:
        if g.get("target"):
            return int(parse_duration(g["target"]).total_seconds())
        return self.p.target(g["grade"])

    def response(self, inc: str, kinds: dict[str, list[E]]) -> None:
        calls, arrivals = kinds["CallReceived"], kinds["UnitArrived"]
        # Handed over from another incident: its first call counts when earlier (ruling 13).
        senders = [t["incident"] for t in kinds["IncidentTransferred"] if t["incident"] != inc]
        theirs = [c for s in senders for c in self.v.by_incident[s] if c.type == "CallReceived"]
        calls = sorted([*calls, *(c for c in theirs if c["incident"] != inc)], key=_order)
        arrival = arrivals[0] if arrivals else None
        deadlines = [
            (max(calls[0].at + t, g.at), g)
            for g in kinds["IncidentGraded"]
            if (t := self.target(g)) is not None and (arrival is None or g.at <= arrival.at)
        ]
        if not calls or not deadlines:
            return
        deadline = min(d for d, _ in deadlines)
        grading = next(g for d, g in deadlines if d == deadline)
        if arrival is not None and arrival.at <= deadline:
            return
        close = self.closing_from(inc, calls[0].at)
        if close is not None and close.at <= deadline:
            return
        end = earliest(arrival, close)
        evidence = [calls[0], grading, end]
        self.add("response-target-missed", inc, deadline, at(end), evidence, deadline + 1)

    def unattended(self, inc: str, kinds: dict[str, list[E]]) -> None:
        handed_on = [t for t in kinds["IncidentTransferred"] if t["incident"] == inc]
        for c in kinds["IncidentClosed"]:
            if any((a.at, a.i) < (c.at, c.i) for a in kinds["UnitArrived"]):
                continue
            if any(t.at <= c.at for t in handed_on):
                continue
            before = [g for g in kinds["IncidentGraded"] if (g.at, g.i) < (c.at, c.i)]
            if before and before[-1]["grade"] in self.p.attendance_required:
                inc = c["incident"]
                self.add("closed-without-attendance", inc, c.at, c.at, [c, before[-1]], c.at)

    def downgrades(self, inc: str, grades: list[E]) -> None:
        u = self.urgency
        for prev, new in pairwise(grades):
            if u[new["grade"]] > u[prev["grade"]]:
                back = [g for g in grades if g.at > new.at and u[g["grade"]] <= u[prev["grade"]]]
                end = earliest(back[0] if back else None, self.closing_from(inc, new.at))
                self.add("incident-downgraded", inc, new.at, at(end), [new, prev, end], new.at)

    def domestic(self, inc: str, evs: list[E]) -> None:
        terms = self.terms
        if terms is None:
            return  # an empty list of terms matches nothing (ruling 9)

        def says(e: E) -> bool:
            text = e.get("summary") if e.type == "CallReceived" else e.get("text")
            return e.type in ("CallReceived", "IncidentNoted") and bool(terms.search(text or ""))

        texts = [e for e in evs if says(e)]
        if not texts:
            return
        t, grace = texts[0].at, self.p.triage_grace
        flags = [e for e in evs if e.type == "IncidentClassified" and e.get("domestic") is True]
        flag = first_from(flags, t)
        if flag is not None and flag.at <= t + grace:
            return
        close = self.closing_from(inc, t)
        code = "possible-domestic-not-flagged"
        if close is not None and close.at <= t + grace and (flag is None or close.at < flag.at):
            self.add(code, inc, t, close.at, [texts[0], close], close.at)
        else:
            end = earliest(flag, close)
            self.add(code, inc, t, at(end), [texts[0], end], t + grace + 1)

    def cut_offs(self, inc: str | None, calls: list[E]) -> None:
        """`inc` None: the call ends whose call is in no incident (ruling 7)."""
        outbound = [e for e in calls if e["channel"] == "outbound"]
        window = self.p.callback_window
        for end in self.ends.get(inc, []):
            if end["how"] == "completed":
                continue
            call, te = self.v.calls.get(end["call"]), end.at
            back = next((o for o in outbound if o.at > te), None)
            if back is not None and back.at <= te + window:
                continue
            sev = "high" if end["how"] == "handler-terminated" else None
            close = self.closing_from(inc, te)
            code = "call-cut-off-without-callback"
            if (
                close is not None
                and close.at <= te + window
                and (back is None or close.at < back.at)
            ):
                self.add(code, inc, te, close.at, [end, call, close], close.at, sev)
            else:
                last = earliest(back, close)
                self.add(code, inc, te, at(last), [end, call, last], te + window + 1, sev)

    def radio(self) -> None:
        acks: dict[str, E] = {}
        for e in self.v.events:
            if e.type == "RadioAcknowledged":
                acks.setdefault(e["transmission"], e)
        timeout = self.p.ack_timeout
        for e in self.v.events:
            if e.type != "RadioTransmission" or e.get("ack_required", True) is False:
                continue
            ack = acks.get(e["transmission"])
            if ack is not None and ack.at <= e.at + timeout:
                continue
            inc = e.get("incident")
            close = self.closing_from(inc, e.at)
            if close is not None and close.at <= e.at + timeout:
                continue
            end = earliest(ack, close)
            self.add(
                "transmission-unacknowledged", inc, e.at, at(end), [e, end], e.at + timeout + 1
            )

    def plans(self) -> None:
        done: dict[str, E] = {}
        for e in self.v.events:
            if e.type == "FollowUpDone":
                done.setdefault(e["plan"], e)
        for e in self.v.events:
            if e.type == "FollowUpPlanned":
                due, finished = ts(e["due"]), done.get(e["plan"])
                if finished is None or finished.at > due:
                    self.add(
                        "follow-up-overdue",
                        e["incident"],
                        due,
                        at(finished),
                        [e, finished],
                        due + 1,
                    )


def _order(e: E) -> tuple[int, int]:
    return (e.at, e.i)


def row_key(r: Row) -> tuple[Any, ...]:
    return (r[0], r[1] or "", r[3], -1 if r[4] is None else r[4], r[5])


def truth_rows(truth: list[dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for f in truth:
        end = None if f["end"] is None else ts(f["end"])
        row = (f["code"], f["incident"], f["severity"], ts(f["start"]), end)
        rows.append((*row, tuple(f["evidence"]), f["approximate"]))
    return sorted(rows, key=row_key)
