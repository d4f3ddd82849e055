"""The report model the csv, Markdown and HTML writers share: rows, findings, events.

Each timeline entry becomes a `Row` with the findings open at that moment: a finding is open
from its start up to (not including) its end, and a point finding at its one instant. Every
string a reader sees passes through the redactor here, once, so no writer can forget it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.events import EventCorrected, EventRetracted, LedgerEvent, dump
from projections.analysis.describe import describe_event
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.state_model import IncidentState
from projections.analysis.timeline import Entry
from projections.exports.redact import Redactor
from projections.exports.selection import Material
from projections.exports.timefmt import local_text, span_text


@dataclass(frozen=True)
class FindingView:
    anchor: str  # "f-3": unique within the report
    finding: Finding
    summary: str  # redacted
    span: str  # "2018-06-01 00:54 BST → 03:00 BST (2 h 6 min)"

    @property
    def code(self) -> str:
        return self.finding.code


@dataclass(frozen=True)
class Row:
    incident: str
    entry: Entry
    local: str
    who: str
    what: str
    change: str
    open_findings: tuple[FindingView, ...]
    corrections: tuple[str, ...]

    @property
    def event(self) -> LedgerEvent:
        return self.entry.event

    @property
    def state(self) -> IncidentState:
        return self.entry.state


@dataclass(frozen=True)
class IncidentReport:
    incident: str
    rows: tuple[Row, ...]
    findings: tuple[FindingView, ...]

    @property
    def final(self) -> IncidentState | None:
        return self.rows[-1].state if self.rows else None


@dataclass(frozen=True)
class EventRow:
    """One event of the export as recorded, for the full event table."""

    event: LedgerEvent
    local: str
    recorded: str  # local recorded_at when it differs from `at`, else ""
    what: str
    status: str  # "corrected by …", "retracted by …", or ""
    effects: tuple[tuple[str, str], ...]  # (incident, what it changed there)
    body: dict[str, Any]  # the event's JSON, redacted


@dataclass(frozen=True)
class Report:
    incidents: tuple[IncidentReport, ...]
    unplaced: tuple[FindingView, ...]  # findings that name no incident
    events: tuple[EventRow, ...]
    chain_head: str
    ledger_events: int
    policy: Policy
    policy_name: str
    clock: datetime | None
    clock_kind: str
    generated_at: str | None
    redacted: bool
    clean: Callable[[str], str]

    @property
    def zone(self) -> str:
        return self.policy.timezone

    @property
    def findings(self) -> tuple[FindingView, ...]:
        placed = tuple(view for report in self.incidents for view in report.findings)
        return placed + self.unplaced


def build_report(
    material: Material,
    policy: Policy,
    policy_name: str,
    redactor: Redactor | None = None,
    generated_at: str | None = None,
) -> Report:
    clean: Callable[[str], str] = redactor.text if redactor is not None else _same
    zone = policy.timezone
    views = [
        FindingView(f"f-{n}", f, clean(f.summary), span_text(f.start, f.end, zone))
        for n, f in enumerate(material.findings, start=1)
    ]
    incidents = []
    for incident in material.incidents:
        own = tuple(v for v in views if v.finding.incident == incident)
        entries = material.timelines.get(incident, ())
        rows = tuple(_row(incident, entry, own, zone, clean) for entry in entries)
        incidents.append(IncidentReport(incident, rows, own))
    return Report(
        incidents=tuple(incidents),
        unplaced=tuple(v for v in views if v.finding.incident is None),
        events=_event_rows(material.events, incidents, zone, clean, redactor),
        chain_head=material.head.hex(),
        ledger_events=material.count,
        policy=policy,
        policy_name=policy_name,
        clock=material.clock,
        clock_kind=material.clock_kind,
        generated_at=generated_at,
        redacted=redactor is not None,
        clean=clean,
    )


def _same(text: str) -> str:
    return text


def is_open(finding: Finding, moment: datetime) -> bool:
    if finding.end is not None and finding.end == finding.start:
        return moment == finding.start
    return finding.start <= moment and (finding.end is None or moment < finding.end)


def _row(
    incident: str,
    entry: Entry,
    findings: Sequence[FindingView],
    zone: str,
    clean: Callable[[str], str],
) -> Row:
    return Row(
        incident=incident,
        entry=entry,
        local=local_text(entry.at, zone, approximate=entry.approximate),
        who=clean(entry.event.by or ""),
        what=clean(entry.what),
        change=clean(entry.change),
        open_findings=tuple(v for v in findings if is_open(v.finding, entry.at)),
        corrections=tuple(
            clean(f"{c.field}: {c.old!r} → {c.new!r} by {c.by or '?'} ({c.reason})")
            for c in entry.corrections
        ),
    )


def _event_rows(
    events: Sequence[LedgerEvent],
    incidents: Sequence[IncidentReport],
    zone: str,
    clean: Callable[[str], str],
    redactor: Redactor | None,
) -> tuple[EventRow, ...]:
    """Every exported event in time order (append order breaks ties), as recorded."""
    status: dict[str, list[str]] = {}
    for event in events:
        if isinstance(event, EventCorrected):
            status.setdefault(event.corrects, []).append(f"corrected by {event.id}")
        elif isinstance(event, EventRetracted):
            status.setdefault(event.retracts, []).append(f"retracted by {event.id}")
    effects: dict[str, list[tuple[str, str]]] = {}
    for report in incidents:
        for row in report.rows:
            if row.change:
                effects.setdefault(row.event.id, []).append((report.incident, row.change))
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].at, pair[0]))
    result = []
    for _, event in ordered:
        recorded = ""
        if event.recorded_at is not None and event.recorded_at != event.at:
            recorded = local_text(event.recorded_at, zone)
        body = dump(event)
        result.append(
            EventRow(
                event=event,
                local=local_text(event.at, zone, approximate=event.approximate),
                recorded=recorded,
                what=clean(describe_event(event)),
                status="; ".join(status.get(event.id, [])),
                effects=tuple(effects.get(event.id, [])),
                body=redactor.json(body) if redactor is not None else body,
            )
        )
    return tuple(result)
