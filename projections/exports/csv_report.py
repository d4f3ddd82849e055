"""`--format csv`: one row per timeline entry, ready for a spreadsheet.

RFC 4180 (comma, CRLF, quotes doubled), UTF-8; `excel=True` adds the byte-order mark that
Excel needs to read UTF-8. A cell that a spreadsheet would take for a formula (starting with
`=`, `+`, `-`, `@`, tab or carriage return, such as the number `+44 7700 900123`) gets a
leading apostrophe, which spreadsheets show as text and hide.
"""

from __future__ import annotations

import csv
import io

from projections.exports.rows import Report, Row
from projections.exports.timefmt import local, spreadsheet_text

BOM = "\ufeff"
COLUMNS = (
    "incident",
    "event",
    "type",
    "at",
    "local_time",
    "time_zone",
    "approximate",
    "who",
    "source",
    "what",
    "change",
    "status",
    "grade",
    "units",
    "open_findings",
    "corrections",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Report, *, excel: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for incident in report.incidents:
        for row in incident.rows:
            writer.writerow([_safe(cell) for cell in _cells(row, report)])
    text = out.getvalue()
    return ((BOM if excel else "") + text).encode("utf-8")


def _cells(row: Row, report: Report) -> list[str]:
    state = row.state
    zone = report.zone
    return [
        row.incident,
        row.event.id,
        row.event.type,
        row.entry.at.isoformat(),
        spreadsheet_text(row.entry.at, zone),
        f"{zone} ({local(row.entry.at, zone).strftime('%Z')})",
        "yes" if row.entry.approximate else "no",
        row.who,
        report.clean(row.event.source or ""),
        row.what,
        row.change,
        state.status,
        state.grade.grade if state.grade is not None else "",
        " ".join(sorted(state.committed)),
        "; ".join(view.code for view in row.open_findings),
        "; ".join(row.corrections),
    ]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA) else cell
