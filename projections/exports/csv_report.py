"""`--format csv`: one row per timeline entry, every field in full, for a spreadsheet or a
script.

RFC 4180 (comma, CRLF, quotes doubled), UTF-8. `at` and `recorded_at` are ISO 8601 instants
with the offset they were recorded with, and `precision` says how exact `at` is; `local_time`
is the same instant in the export's one zone (named in `time_zone`) as a spreadsheet reads a
date. `what` and `change` are the timeline's words; `fields` is every field of the event as
imported (corrections applied) in full. Control and bidi characters are shown escaped
(`\\u001b`). `excel=True` adds the
byte-order mark Excel needs for UTF-8 and defuses every cell a spreadsheet could take for a
formula (`text.defused`).
"""

from __future__ import annotations

import csv
import io
from typing import IO

from projections.exports.context import Context, Totals
from projections.exports.event_fields import fields_text
from projections.exports.findings_open import open_codes
from projections.exports.pieces import IncidentPiece, Line
from projections.exports.spool import Spool
from projections.exports.text import defused, visible_all
from projections.exports.timefmt import local

BOM = "\ufeff"
COLUMNS = (
    "incident",
    "event",
    "type",
    "at",
    "precision",
    "recorded_at",
    "local_time",
    "time_zone",
    "who",
    "source",
    "what",
    "change",
    "corrections",
    "open_findings",
    "fields",
)


class CsvWriter:
    needs_events = False

    def __init__(self, context: Context, *, excel: bool = False) -> None:
        self.zone = context.zone
        self.excel = excel

    def part(self, piece: IncidentPiece) -> list[tuple[str, bytes]]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for line in piece.lines:
            cells = visible_all(self._cells(piece, line))
            writer.writerow([defused(c) for c in cells] if self.excel else cells)
        return [("rows", out.getvalue().encode("utf-8"))]

    def _cells(self, piece: IncidentPiece, line: Line) -> list[str]:
        there = local(line.at, self.zone)
        return [
            piece.incident,
            line.event_id,
            line.type,
            line.at.isoformat(),
            line.precision,
            line.recorded_at.isoformat() if line.recorded_at is not None else "",
            there.replace(microsecond=0, tzinfo=None).isoformat(sep=" "),
            f"{self.zone} ({there.tzname()})",
            line.by,
            line.source,
            line.what,
            line.change,
            "\n".join(line.corrections),
            "; ".join(open_codes(piece.findings, line.at)),
            fields_text(line.body),
        ]

    def finish(self, out: IO[bytes], spool: Spool, totals: Totals) -> None:
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(COLUMNS)
        out.write(((BOM if self.excel else "") + header.getvalue()).encode("utf-8"))
        for part in spool.parts("rows"):
            out.write(part)
