"""`--format md`: the timeline and findings as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from projections.exports.rows import FindingView, IncidentReport, Report
from projections.exports.summary import header_facts, incident_summary

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text safe inside a table cell or a list item: no markup, no HTML, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else md(text)


def render_markdown(report: Report) -> bytes:
    out: list[str] = ["# Incident ledger report", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| {label} | {md(value)} |" for label, value in header_facts(report)]
    out += ["", "## Summary", ""]
    out += _summary(report)
    for incident in report.incidents:
        out += _incident(incident, report)
    if report.unplaced:
        out += ["", "## Findings not tied to an incident", ""]
        out += _findings(report.unplaced)
    out += ["", "## Events", ""]
    out += _events(report)
    return ("\n".join(out) + "\n").encode("utf-8")


def _summary(report: Report) -> list[str]:
    lines = [
        "| Incident | First call | Grade | Status | Units | Findings (high / medium / info) |",
        "|---|---|---|---|---|---|",
    ]
    for incident in report.incidents:
        s = incident_summary(incident, report)
        counts = f"{s.high} / {s.medium} / {s.info}"
        lines.append(
            f"| {code(s.incident)} | {md(s.first_call)} | {md(s.grade)} | {md(s.status)} "
            f"| {md(s.units)} | {counts} |"
        )
    if not report.incidents:
        lines.append("| (no incident in the selection) | | | | | |")
    return lines


def _incident(incident: IncidentReport, report: Report) -> list[str]:
    out = ["", f"## {md(incident.incident)}", "", "### Timeline", ""]
    out += [
        f"| Time ({md(report.zone)}) | Event | Who | What | Change | Open findings |",
        "|---|---|---|---|---|---|",
    ]
    for row in incident.rows:
        opened = ", ".join(code(view.code) for view in row.open_findings)
        what = md(row.what) + "".join(f" *(corrected: {md(c)})*" for c in row.corrections)
        out.append(
            f"| {md(row.local)} | {code(row.event.id)} | {md(row.who)} | {what} "
            f"| {md(row.change)} | {opened} |"
        )
    if not incident.rows:
        out.append("| | | | (no events at the clock) | | |")
    out += ["", "### Findings", ""]
    out += _findings(incident.findings) if incident.findings else ["None at the clock."]
    return out


def _findings(views: Sequence[FindingView]) -> list[str]:
    out = []
    for n, view in enumerate(views, start=1):
        f = view.finding
        approximate = " · approximate (rests on a coarse time)" if f.approximate else ""
        evidence = ", ".join(code(e) for e in f.evidence)
        out.append(f"{n}. **{f.severity.upper()} — {md(f.code)}** · {md(view.span)}{approximate}  ")
        out.append(f"   {md(view.summary)}  ")
        out.append(f"   Evidence: {evidence}")
    return out


def _events(report: Report) -> list[str]:
    out = [
        f"| Time ({md(report.zone)}) | Event | Type | By | Source | What | Recorded | Status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in report.events:
        e = row.event
        out.append(
            f"| {md(row.local)} | {code(e.id)} | {e.type} | {md(report.clean(e.by or ''))} "
            f"| {md(e.source or '')} | {md(row.what)} | {md(row.recorded)} | {md(row.status)} |"
        )
    return out
