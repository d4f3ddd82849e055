"""What the swimlane chart of one incident is drawn from: its computed timeline entries (each
with the incident's state after it) beside the lines the export shows (redacted when asked),
and its findings with their anchors in the page."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.events import LedgerEvent
from projections.analysis.findings import Finding
from projections.analysis.state_model import IncidentState
from projections.analysis.timeline import Entry
from projections.exports.htmlkit import slug
from projections.exports.pieces import IncidentPiece
from projections.exports.timefmt import local_text, span_text


@dataclass(frozen=True)
class FindingView:
    anchor: str  # "f-MPS-2018-0531-8842-3": unique within the report
    finding: Finding
    summary: str
    span: str  # "2018-06-01 00:54 BST → 03:00 BST (2 h 6 min)"

    @property
    def code(self) -> str:
        return self.finding.code


@dataclass(frozen=True)
class Row:
    incident: str
    entry: Entry
    local: str
    what: str
    change: str

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


def finding_views(piece: IncidentPiece, zone: str) -> tuple[FindingView, ...]:
    return tuple(
        FindingView(f"f-{slug(piece.incident)}-{n}", f, f.summary, span_text(f.start, f.end, zone))
        for n, f in enumerate(piece.findings, start=1)
    )


def chart_report(piece: IncidentPiece, zone: str) -> IncidentReport:
    """The chart's model; `piece.computed` must be set (html exports always compute)."""
    assert piece.computed is not None
    rows = tuple(
        Row(
            piece.incident,
            entry,
            local_text(entry.at, zone, approximate=entry.approximate),
            line.what,
            line.change,
        )
        for entry, line in zip(piece.computed.timeline, piece.lines, strict=True)
    )
    return IncidentReport(piece.incident, rows, finding_views(piece, zone))
