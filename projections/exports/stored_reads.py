"""Reading a chunk of incidents' read-model rows at once, for whole-ledger exports.

`projections.readmodels.stored` answers one incident at a time (what the read commands ask);
an export of every incident asks the same rows a few hundred incidents per query.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from ledger.store.ledger import Ledger
from projections.analysis.findings import Finding, Pending
from projections.readmodels import seals
from projections.readmodels.tables import EVENT, Sql


def timelines(ledger: Ledger, incidents: Sequence[str]) -> dict[str, list[tuple[str, bytes]]]:
    """Each incident's stored timeline: (row for people as JSON, event as imported)."""
    with ledger.backend.reader() as cursor:
        rows = seals.checked_rows(Sql(cursor), "timeline", "", incidents)
    plain = [r["notification_id"] for r in rows if r["body"] is None]
    lines = {line.notification_id: line.line for line in ledger.backend.by_nids(plain)}
    found: dict[str, list[tuple[str, bytes]]] = {}
    for r in sorted(rows, key=lambda r: (r["incident"], r["position"])):
        body = r["body"].encode() if r["body"] is not None else lines[r["notification_id"]]
        found.setdefault(r["incident"], []).append((r["row"], body))
    return found


def findings(ledger: Ledger, incidents: Sequence[str]) -> dict[str, list[Finding]]:
    """Each incident's stored findings, in findings.md order."""
    with ledger.backend.reader() as cursor:
        rows = seals.checked_rows(Sql(cursor), "findings", "", incidents)
    found: dict[str, list[Finding]] = {}
    for r in rows:
        found.setdefault(r["owner"], []).append(Finding.from_json(json.loads(r["body"])))
    for listed in found.values():
        listed.sort(key=Finding.sort_key)
    return found


def pending(ledger: Ledger, incidents: Sequence[str]) -> dict[str, list[Pending]]:
    with ledger.backend.reader() as cursor:
        rows = seals.checked_rows(Sql(cursor), "pending", "", incidents)
    found: dict[str, list[Pending]] = {}
    for r in sorted(rows, key=lambda r: (r["deadline_utc"], r["position"])):
        found.setdefault(r["owner"], []).append(pending_of(json.loads(r["body"])))
    return found


def loose(ledger: Ledger) -> tuple[list[Finding], list[Pending]]:
    """The findings and deadlines of no incident."""
    with ledger.backend.reader() as cursor:
        sql = Sql(cursor)
        loose = [
            r["owner"] for r in sql.rows("SELECT owner FROM rm_owners WHERE kind = ?", (EVENT,))
        ]
        found = seals.checked_rows(sql, "findings", "", loose, EVENT)
        waiting = seals.checked_rows(
            sql, "pending", " ORDER BY deadline_utc, owner, position", loose, EVENT
        )
    return (
        sorted((Finding.from_json(json.loads(r["body"])) for r in found), key=Finding.sort_key),
        [pending_of(json.loads(r["body"])) for r in waiting],
    )


def pending_of(body: dict[str, object]) -> Pending:
    return Pending(
        str(body["code"]),
        body["incident"] if isinstance(body["incident"], str) else None,
        datetime.fromisoformat(str(body["deadline"])),
        str(body["what"]),
        str(body.get("event") or ""),
    )
