"""A caller's or a place's history: every contact from a phone, at an address or by a name.

The contact index (`kc:` calls, `km:` markers; `ledger.index`) finds the candidates in a few
probes, whatever the ledger's size; the index keys are coarse, so each candidate is then
matched exactly as stream.md "Matching for markers and repeat contacts" says (`ledger.contacts`
folds), on its corrected values. The incidents those calls belong to go through the one
pipeline (`projections.query.analysed`) for their grade, status, outcome and findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from ledger.contacts import fold_address, fold_phone
from ledger.events import (
    CallReceived,
    LedgerEvent,
    MarkerAdded,
    MarkerRemoved,
)
from ledger.index import contact_keys
from ledger.store.micros import EARLIEST, LATEST
from projections.analysis.view import View

if TYPE_CHECKING:
    from ledger.store.ledger import Ledger
    from projections.analysis.effective import Effective
    from projections.analysis.state import IncidentState

Kind = Literal["phone", "address", "name"]
KINDS: tuple[Kind, ...] = ("phone", "address", "name")
# Something a person types as a phone number: digits and the usual separators, six digits or
# more (the index files a number by its last six).
_PHONE = re.compile(r"[+\d\s().\-/]+")
_INDEX_KIND = {"phone": "phone", "address": "premises", "name": "person"}
MAX_META_DEPTH = 50  # as projections.gather: corrections of corrections, and so on
_ORDER = {"marker": 0, "call": 1, "finding": 2}  # at one instant: what stood, what came, found


@dataclass(frozen=True)
class Contact:
    """What was asked for: the text, and the ways it is read (a phone, or an address or name)."""

    text: str
    kinds: tuple[Kind, ...]

    def folded(self, kind: Kind, country_code: str) -> str:
        return fold_phone(self.text, country_code) if kind == "phone" else fold_address(self.text)


def contact(text: str, kind: Kind | None = None) -> Contact:
    """`text` read as `kind`, or as a phone when it looks like one, else as an address or name."""
    if kind is not None:
        return Contact(text, (kind,))
    digits = sum(ch.isdigit() for ch in text)
    if _PHONE.fullmatch(text.strip()) and digits >= 6:
        return Contact(text, ("phone",))
    return Contact(text, ("address", "name"))


def history(ledger: Ledger, asked: Contact, view: View) -> list[dict[str, Any]]:
    """Every call matching `asked`, every marker placed on or taken off it, and the findings
    of the calls' incidents, in time order, as JSON-ready records (ISO instants)."""
    from projections import query

    effective = _effective(ledger, asked, view)
    code = view.policy.country_code
    calls = [(item, kinds) for item in effective if (kinds := _call_matches(item, asked, code))]
    markers = [item for item in effective if _marker_matches(item.event, asked, code)]
    incidents = list(dict.fromkeys(_incident(item) for item, _ in calls))
    states: dict[str, IncidentState] = {}
    findings: list[dict[str, Any]] = []
    for result, _ in query.analysed(ledger, view, incidents) if incidents else ():
        states.update((name, seen.state) for name, seen in result.incidents.items())
        findings += [_finding(f.to_json()) for f in result.findings()]
    records = [_marker(item) for item in markers]
    records += [_call(item, kinds, states.get(_incident(item))) for item, kinds in calls]
    records += findings
    records.sort(key=lambda r: (datetime.fromisoformat(r["at"]), _ORDER[r["kind"]]))
    previous: datetime | None = None
    for record in records:
        if record["kind"] == "call":
            moment = datetime.fromisoformat(record["at"])
            gap = None if previous is None else int((moment - previous).total_seconds())
            record["seconds_since_previous_call"] = gap
            previous = moment
    return records


def _effective(ledger: Ledger, asked: Contact, view: View) -> list[Effective]:
    """The calls and markers filed under the contact's index keys, corrections applied."""
    from ledger.store.ledger import decode_all
    from projections.analysis.effective import effective_events
    from projections.gather import meta_target

    # Coarse keys (a number's last six digits, or "~" for every short number): `history`
    # matches each candidate exactly.
    keys = [key for kind in asked.kinds for key in contact_keys(_INDEX_KIND[kind], asked.text)]
    backend = ledger.backend
    windows = [(f"{prefix}{key}", EARLIEST, LATEST) for key in keys for prefix in ("kc:", "km:")]
    lines = {line.notification_id: line for line in backend.by_windows(windows)}
    # A correction is filed under the keys of the value it gives: the event it corrects may
    # be filed under others. Read both ways until nothing new comes (chains of corrections).
    fresh = list(lines.values())
    for _ in range(MAX_META_DEPTH):
        if not fresh:
            break
        decoded = decode_all(fresh)
        targets = [t for e in decoded if (t := meta_target(e)) is not None]
        found = backend.by_ids(targets) + backend.by_refs([f"e:{e.id}" for e in decoded])
        fresh = [line for line in found if line.notification_id not in lines]
        lines.update((line.notification_id, line) for line in fresh)
    events = decode_all(lines[nid] for nid in sorted(lines))  # append order: corrections need it
    return effective_events(events, at=view.at, as_known_at=view.as_known_at)


def _call_matches(item: Effective, asked: Contact, code: str) -> tuple[Kind, ...]:
    event = item.event
    if not isinstance(event, CallReceived):
        return ()
    found: list[Kind] = []
    for kind in asked.kinds:
        wanted = asked.folded(kind, code)
        if wanted and _call_value(event, kind, code) == wanted:
            found.append(kind)
    return tuple(found)


def _call_value(event: CallReceived, kind: Kind, code: str) -> str:
    caller, location = event.caller, event.location
    if kind == "phone":
        return fold_phone(caller.phone, code) if caller is not None and caller.phone else ""
    if kind == "name":
        return fold_address(caller.name) if caller is not None and caller.name else ""
    return fold_address(location.address) if location is not None and location.address else ""


def _marker_matches(event: LedgerEvent, asked: Contact, code: str) -> bool:
    if not isinstance(event, MarkerAdded | MarkerRemoved):
        return False
    subject = event.subject
    for kind in asked.kinds:
        if subject.kind != _INDEX_KIND[kind]:
            continue
        folded = fold_phone(subject.key, code) if kind == "phone" else fold_address(subject.key)
        if folded and folded == asked.folded(kind, code):
            return True
    return False


def _incident(item: Effective) -> str:
    assert isinstance(item.event, CallReceived)
    return item.event.incident


def _when(event: LedgerEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "precision": event.precision,
        "uncertainty": event.uncertainty,
    }


def _call(item: Effective, kinds: Sequence[Kind], state: IncidentState | None) -> dict[str, Any]:
    event = item.event
    assert isinstance(event, CallReceived)
    call = state.call(event.call) if state is not None else None
    closings = state.closings if state is not None else ()
    return {
        "kind": "call",
        **_when(event),
        "event": event.id,
        "incident": event.incident,
        "call": event.call,
        "channel": event.channel,
        "matched": list(kinds),
        "caller": event.caller.model_dump(mode="json") if event.caller else None,
        "address": event.location.address if event.location else None,
        "summary": event.summary,
        "ended": call.how if call is not None else None,
        "grade": state.grade.grade if state is not None and state.grade else None,
        "status": state.status if state is not None else None,
        "outcome": closings[-1].outcome if closings else None,
        "corrected_by": list(item.corrected_by),
    }


def _marker(item: Effective) -> dict[str, Any]:
    event = item.event
    assert isinstance(event, MarkerAdded | MarkerRemoved)
    return {
        "kind": "marker",
        **_when(event),
        "event": event.id,
        "incident": None,
        "action": "placed" if isinstance(event, MarkerAdded) else "removed",
        "marker": event.marker,
        "subject": event.subject.model_dump(mode="json"),
        "reason": event.reason,
        "corrected_by": list(item.corrected_by),
    }


def _finding(body: dict[str, Any]) -> dict[str, Any]:
    """A finding (findings.md shape) placed at its start."""
    return {"kind": "finding", "at": body["start"], **body}
