"""Findings: the gaps the ledger exposes (findings.md), and the deadlines still running.

A finding is derived, never stored as truth: `projections.analysis.compute` evaluates the
rules of `projections.analysis.rules` over the effective events at a clock. A condition that
waits for a grace, a timeout or a deadline that has not passed at the clock is `Pending`:
not a finding yet, but a time at which one may appear (and the clock at which a stored view
must be looked at again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Least to most severe: `--fail-on SEVERITY` fails on that one and those after it.
SEVERITIES = ("info", "medium", "high")


def at_least(severity: str, floor: str) -> bool:
    """True when `severity` is `floor` or more severe."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(floor)


@dataclass(frozen=True)
class Finding:
    code: str
    incident: str | None
    severity: str  # one of SEVERITIES
    start: datetime
    end: datetime | None  # None while still open at the clock
    evidence: tuple[str, ...]  # the trigger, what it was compared with, what ended the stretch
    approximate: bool
    summary: str

    def to_json(self) -> dict[str, Any]:
        """The findings.md shape; times keep the offset of the event they came from."""
        return {
            "code": self.code,
            "incident": self.incident,
            "severity": self.severity,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end is not None else None,
            "evidence": list(self.evidence),
            "approximate": self.approximate,
            "summary": self.summary,
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Finding:
        return cls(
            code=body["code"],
            incident=body["incident"],
            severity=body["severity"],
            start=datetime.fromisoformat(body["start"]),
            end=datetime.fromisoformat(body["end"]) if body["end"] else None,
            evidence=tuple(body["evidence"]),
            approximate=body["approximate"],
            summary=body["summary"],
        )

    def sort_key(self) -> tuple[datetime, str, str, tuple[str, ...]]:
        """Start instant, then incident (none first), then code; evidence breaks ties."""
        return (self.start, self.incident or "", self.code, self.evidence)


@dataclass(frozen=True)
class Pending:
    """A deadline still running at the clock: after it, a finding of `code` may exist."""

    code: str
    incident: str | None
    deadline: datetime
    what: str  # "callback window ends", "response target passes", …
    event: str = ""  # the event whose deadline it is (the trigger of the finding to come)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "incident": self.incident,
            "deadline": self.deadline.isoformat(),
            "what": self.what,
            "event": self.event,
        }
