"""`--format md`: the header facts, a summary, each incident's timeline, findings and pending
deadlines, and every event the export rests on (GitHub-flavoured tables, every field in
full)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO

import orjson

from ledger.instants import read_instant
from projections.analysis.findings import Finding
from projections.exports.context import Context, Totals, header_facts, pending_text
from projections.exports.event_fields import fields_text
from projections.exports.findings_open import open_codes
from projections.exports.pieces import IncidentPiece
from projections.exports.redact import Redactor
from projections.exports.spool import Spool
from projections.exports.text import visible
from projections.exports.timefmt import local_text, span_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text safe inside a table cell or a list item: no markup, no HTML, one line, control
    and bidi characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text and text == visible(text) else md(text)


class MarkdownWriter:
    needs_events = True

    def __init__(self, context: Context, redactor: Redactor | None) -> None:
        self.context = context
        self.zone = context.zone
        self.redactor = redactor

    def part(self, piece: IncidentPiece) -> list[tuple[str, bytes]]:
        severities = [f.severity for f in piece.findings]
        counts = " / ".join(str(severities.count(s)) for s in ("high", "medium", "info"))
        first = (
            local_text(piece.first_call, self.zone, approximate=piece.first_call_approximate)
            if piece.first_call is not None
            else "no call"
        )
        summary = (
            f"| {code(piece.incident)} | {md(first)} | {md(piece.grade or 'ungraded')} "
            f"| {md(piece.status)} | {md(', '.join(piece.units) or 'none')} | {counts} |\n"
        )
        return [("summary", summary.encode()), ("incident", self._incident(piece).encode())]

    def _incident(self, piece: IncidentPiece) -> str:
        out = ["", f"## {md(piece.incident)}", "", "### Timeline", ""]
        out += [
            f"| Time ({md(self.zone)}) | Event | Type | Who | What | Change | Open findings |",
            "|---|---|---|---|---|---|---|",
        ]
        for line in piece.lines:
            opened = ", ".join(code(c) for c in open_codes(piece.findings, line.at))
            what = md(line.what) + "".join(f" *({md(c)})*" for c in line.corrections)
            when = local_text(line.at, self.zone, approximate=line.approximate)
            out.append(
                f"| {md(when)} | {code(line.event_id)} | {line.type} | {md(line.by)} | {what} "
                f"| {md(line.change)} | {opened} |"
            )
        if not piece.lines:
            out.append("| | | | | (no events at the clock) | | |")
        out += ["", "### Findings", ""]
        out += self._findings(piece.findings) if piece.findings else ["None at the clock."]
        if piece.pending:
            out += ["", f"Pending: {md(pending_text(self.context, list(piece.pending)))}"]
        return "\n".join(out) + "\n"

    def _findings(self, findings: Sequence[Finding]) -> list[str]:
        out = []
        for n, f in enumerate(findings, start=1):
            approximate = " · approximate (rests on a coarse time)" if f.approximate else ""
            evidence = ", ".join(code(e) for e in f.evidence)
            span = span_text(f.start, f.end, self.zone)
            out.append(f"{n}. **{f.severity.upper()} — {md(f.code)}** · {md(span)}{approximate}  ")
            out.append(f"   {md(f.summary)}  ")
            out.append(f"   Evidence: {evidence}")
        return out

    def finish(self, out: IO[bytes], spool: Spool, totals: Totals) -> None:
        head = ["# Incident ledger report", "", "| | |", "|---|---|"]
        head += [
            f"| {label} | {md(value)} |" for label, value in header_facts(self.context, totals)
        ]
        head += [
            "",
            "## Summary",
            "",
            "| Incident | First call | Grade | Status | Units | Findings (high / medium / info) |",
            "|---|---|---|---|---|---|",
        ]
        if not totals.incidents:
            head.append("| (no incident in the selection) | | | | | |")
        out.write(("\n".join(head) + "\n").encode())
        for part in spool.parts("summary"):
            out.write(part)
        for part in spool.parts("incident"):
            out.write(part)
        if totals.unplaced:
            tail = ["", "## Findings not tied to an incident", "", *self._findings(totals.unplaced)]
            out.write(("\n".join(tail) + "\n").encode())
        out.write(self._events_head().encode())
        for line, status in spool.events():
            out.write(self._event_row(line, status).encode())

    def _events_head(self) -> str:
        return (
            "\n## Events\n\nEvery event the export rests on, as recorded, in time order. "
            "Corrections and retractions are events of their own.\n\n"
            f"| Time ({md(self.zone)}) | Event | Type | Recorded | By | Source | Fields "
            "| Status |\n"
            "|---|---|---|---|---|---|---|---|\n"
        )

    def _event_row(self, line: bytes, status: str) -> str:
        body = orjson.loads(line)
        if self.redactor is not None:
            body = self.redactor.event(body)

        at = read_instant(body["at"])
        coarse = body.get("precision", "second") in ("hour", "day", "month")
        recorded = body.get("recorded_at")
        recorded_text = local_text(read_instant(recorded), self.zone) if recorded else ""
        return (
            f"| {md(local_text(at, self.zone, approximate=coarse))} | {code(str(body['id']))} "
            f"| {md(str(body['type']))} | {md(recorded_text)} | {md(str(body.get('by') or ''))} "
            f"| {md(str(body.get('source') or ''))} | {md(fields_text(body))} | {md(status)} |\n"
        )
