"""The rows an analysis leaves in the read models, and writing them in place of the old ones.

Rows are plain tuples, so a chunk computed in a worker process crosses back cheaply to the
process that writes it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from projections.analysis.compute import Analysis, IncidentView
from projections.analysis.findings import Finding, Pending
from projections.gather import Gathered, Owner
from projections.readmodels import seals
from projections.readmodels.tables import COLUMNS, EVENT, INCIDENT, OWNED, Sql, utc


@dataclass
class OwnerRows:
    """Everything written for a set of owners; `owners` are those whose old rows go."""

    owners: list[Owner] = field(default_factory=list)
    summaries: list[tuple[Any, ...]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    findings: list[tuple[Any, ...]] = field(default_factory=list)
    pending: list[tuple[Any, ...]] = field(default_factory=list)
    timeline: list[tuple[Any, ...]] = field(default_factory=list)
    deps: list[tuple[str, int, int, str, str]] = field(default_factory=list)
    placed: list[tuple[int, str]] = field(default_factory=list)  # (notification id, incident)
    errors: list[tuple[Owner, str]] = field(default_factory=list)


def owner_rows(
    analysis: Analysis, gathered: Gathered, incidents: Collection[str], loose: Collection[str]
) -> OwnerRows:
    rows = OwnerRows(owners=[(INCIDENT, i) for i in incidents] + [(EVENT, e) for e in loose])
    for incident in incidents:
        view = analysis.incidents.get(incident)
        if view is not None:
            _incident_rows(rows, view, gathered)
            _owned(rows, (INCIDENT, incident), view.findings, view.pending, gathered)
    for event_id in loose:
        if event_id in analysis.loose:
            found, waiting = analysis.loose[event_id], analysis.loose_pending[event_id]
            stale = min((p.deadline for p in waiting), default=None)
            rows.summaries.append(
                (
                    EVENT,
                    event_id,
                    None,
                    None,
                    None,
                    "loose",
                    0,
                    0,
                    "",
                    len(found),
                    utc(stale) if stale else None,
                    None,
                )
            )
            _owned(rows, (EVENT, event_id), found, waiting, gathered)
    rows.placed = [
        (gathered.nids[event_id], incident)
        for event_id, incident in analysis.placed.items()
        if event_id in gathered.nids
    ]
    return rows


def _incident_rows(rows: OwnerRows, view: IncidentView, gathered: Gathered) -> None:
    state, incident = view.state, view.incident
    for position, entry in enumerate(view.timeline):
        body = _json(entry.to_json()) if entry.item.corrected_by else None
        nid = gathered.nids[entry.event.id]
        rows.timeline.append((incident, position, nid, _json(entry.row()), body))
    units = sorted({entry.unit for entry in state.unit_log})
    rows.units += [(unit, incident) for unit in units]
    first = state.first_call
    stale = min((p.deadline for p in view.pending), default=None)
    rows.summaries.append(
        (
            INCIDENT,
            incident,
            first.at.isoformat() if first else None,
            utc(first.at) if first else None,
            state.grade.grade if state.grade else None,
            state.status,
            len(state.events),
            len(state.calls),
            ",".join(units),
            len(view.findings),
            utc(stale) if stale else None,
            None,
        )
    )


def _owned(
    rows: OwnerRows,
    owner: Owner,
    found: Sequence[Finding],
    waiting: Sequence[Pending],
    gathered: Gathered,
) -> None:
    kind, name = owner
    rows.findings += [
        (kind, name, n, utc(f.start), f.incident or "", f.code, f.severity, _json(f.to_json()))
        for n, f in enumerate(found)
    ]
    rows.pending += [
        (kind, name, n, utc(p.deadline), _json(p.to_json())) for n, p in enumerate(waiting)
    ]
    rows.deps += [(ref, lo, hi, kind, name) for ref, lo, hi in sorted(gathered.deps[owner])]


_ERROR = (None, None, None, "error", 0, 0, "", 0, None)  # an owner that could not be computed


def table_rows(rows: OwnerRows) -> dict[str, list[tuple[Any, ...]]]:
    """The rows each table gets for these owners, in the columns of `COLUMNS`."""
    failed = [(kind, name, *_ERROR, error) for (kind, name), error in rows.errors]
    return {
        "rm_owners": [*rows.summaries, *failed],
        "rm_findings": rows.findings,
        "rm_pending": rows.pending,
        "rm_deps": [(kind, name, ref, lo, hi) for ref, lo, hi, kind, name in rows.deps],
        "rm_timeline": rows.timeline,
        "rm_units": [(incident, unit) for unit, incident in rows.units],
        "rm_placed": [(incident, nid) for nid, incident in rows.placed],
    }


def sealed_parts(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The served tables' rows by seal part, each row led by its owner's kind and name."""
    return {
        "owner": tables["rm_owners"],
        "findings": tables["rm_findings"],
        "pending": tables["rm_pending"],
        "timeline": [(INCIDENT, *row) for row in tables["rm_timeline"]],
    }


def write(sql: Sql, rows: OwnerRows, *, fresh: bool = False) -> None:
    """Replace the owners' rows (in the caller's transaction); `fresh`: the tables hold none
    of them (a build from nothing), so there is nothing to delete first."""
    tables = table_rows(rows)
    seals.replace(sql, rows.owners, seals.written(rows.owners, sealed_parts(tables)), fresh=fresh)
    if not fresh:
        _delete(sql, rows)
    for table, columns in COLUMNS.items():
        sql.insert(table, columns, tables[table])


def _delete(sql: Sql, rows: OwnerRows) -> None:
    for kind in (INCIDENT, EVENT):
        names = [name for k, name in rows.owners if k == kind]
        for table, kind_column, owner_column in OWNED:
            sql.delete_in(
                f"DELETE FROM {table} WHERE {kind_column} = ? AND {owner_column} IN ({{marks}})",
                names,
                kind,
            )
        if kind == INCIDENT:
            for table in ("rm_units", "rm_timeline", "rm_placed"):
                sql.delete_in(f"DELETE FROM {table} WHERE incident IN ({{marks}})", names)


def _json(value: object) -> str:
    return orjson.dumps(value).decode()
