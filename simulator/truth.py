"""The ground truth: the findings a scenario injected, known by construction.

A finding is held with the instant from which it exists (`matures`): a finding that waits
for a grace, a timeout or a deadline only exists at clocks after it has run out, so
`settle(clock)` keeps those that exist at the evaluation clock (findings.md, "The clock").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.clock import rfc3339

if TYPE_CHECKING:
    from simulator.stream import Ev

SEVERITY: dict[str, str] = {
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


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    incident: str | None
    severity: str
    start: int
    end: int | None
    evidence: tuple[Ev, ...]
    summary: str
    matures: int

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "incident": self.incident,
            "severity": self.severity,
            "start": rfc3339(self.start),
            "end": None if self.end is None else rfc3339(self.end),
            "evidence": [ev.id for ev in self.evidence],
            "approximate": any(ev.coarse for ev in self.evidence),
            "summary": self.summary,
        }


class Truth:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        code: str,
        incident: str | None,
        start: int,
        end: int | None,
        evidence: tuple[Ev, ...],
        summary: str,
        *,
        matures: int,
        severity: str | None = None,
    ) -> None:
        if end is not None and end < start:
            raise ValueError(f"{code} on {incident}: stretch ends before it starts")
        finding = Finding(
            code, incident, severity or SEVERITY[code], start, end, evidence, summary, matures
        )
        self.findings.append(finding)

    def settle(self, clock: int) -> list[dict[str, Any]]:
        """The findings that exist at `clock`, sorted by start instant, incident, code."""
        live = [f for f in self.findings if f.matures <= clock]
        live.sort(key=lambda f: (f.start, f.incident or "", f.code))
        return [f.as_json() for f in live]
