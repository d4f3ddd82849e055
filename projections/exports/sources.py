"""Where an export's pieces come from: the read models, or the one pipeline run on the spot.

The read models hold exactly what the pipeline gives at the ledger's own clock under the
built-in policy (findings.md ruling 1), so a whole-ledger export of that view reads them in
chunks: no event is decoded, nothing is recomputed. Any other view, any selection, and the
formats that draw each incident's state after every entry (html, eido: the read models keep
no states) run `query.analysed`, a chunk of incidents at a time. Either way memory holds one
chunk, whatever the ledger's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import orjson

from ledger.store.ledger import Ledger
from projections import query
from projections.analysis.findings import Finding, Pending
from projections.analysis.view import View
from projections.exports import stored_reads
from projections.exports.pieces import Chunk, IncidentPiece, line_of
from projections.readmodels import runner

CHUNK = 300


def can_read_stored(ledger: Ledger, view: View) -> bool:
    """True when the read models answer for this view (brought up to date first)."""
    return view.default and runner.refresh(ledger)


def stored_chunks(ledger: Ledger) -> Iterator[Chunk]:
    """Every incident of the ledger from the read models, by first call, then the findings
    and deadlines of no incident."""
    rows = query.incidents(ledger)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        names = [row.incident for row in chunk]
        timelines = stored_reads.timelines(ledger, names)
        found = stored_reads.findings(ledger, names)
        waiting = stored_reads.pending(ledger, names)
        pieces = []
        for row in chunk:
            first = datetime.fromisoformat(row.first_call) if row.first_call else None
            lines = tuple(
                line_of(orjson.loads(text), orjson.loads(body))
                for text, body in timelines.get(row.incident, [])
            )
            pieces.append(
                IncidentPiece(
                    row.incident,
                    first,
                    row.grade,
                    row.status,
                    tuple(row.units),
                    lines,
                    tuple(found.get(row.incident, [])),
                    tuple(waiting.get(row.incident, [])),
                )
            )
        yield Chunk(pieces, [], [], [])
    loose, loose_pending = stored_reads.loose(ledger)
    yield Chunk([], loose, loose_pending, [])


def computed_chunks(
    ledger: Ledger, view: View, incidents: Sequence[str] | None, *, with_lines: bool
) -> Iterator[Chunk]:
    """The pipeline over `incidents` (None: the whole ledger, loose events too), a chunk at a
    time; `with_lines` keeps the stored events each chunk rests on."""
    for analysis, gathered in query.analysed(ledger, view, incidents):
        pieces = []
        for name, seen in analysis.incidents.items():
            state = seen.state
            first = state.first_call
            pieces.append(
                IncidentPiece(
                    name,
                    first.at if first is not None else None,
                    state.grade.grade if state.grade is not None else None,
                    state.status,
                    tuple(sorted({change.unit for change in state.unit_log})),
                    tuple(line_of(entry.row(), entry.to_json()) for entry in seen.timeline),
                    tuple(sorted(seen.findings, key=Finding.sort_key)),
                    tuple(seen.pending),
                    seen,
                )
            )
        loose = [f for listed in analysis.loose.values() for f in listed]
        waiting = [p for listed in analysis.loose_pending.values() for p in listed]
        lines = []
        if with_lines:
            from ledger.store.backend import StoredLine

            lines = [
                StoredLine(gathered.nids[e.id], e.id, e.type, gathered.lines[e.id])
                for e in gathered.events
            ]
        yield Chunk(pieces, loose, waiting, lines)


def pending_order(pending: Pending) -> tuple[datetime, str, str]:
    return (pending.deadline, pending.incident or "", pending.code)
