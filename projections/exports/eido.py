"""`--format eido`: NENA EIDO JSON (NENA-STA-021.1b, EIDO JSON schema 1.0.0, `eidoVersion`
"1.0"), one EIDO per line (JSON Lines).

An EIDO holds an incident's current state, not its history; a series of EIDOs is how history
travels (021.1b). So each incident gets one EIDO for each timeline entry that changed what an
EIDO shows (a call, a grading, a unit's status, a closing), each the whole state after that
entry, all with the incident's Incident Tracking Identifier as `$id`. The last EIDO of an
incident is its state at the clock. Incidents follow in first-call order. Only names the
021.1b schema defines are written; what the ledger holds beyond them is listed in the README.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

import orjson

from ledger import events as ev
from ledger.contacts import fold_address
from projections.analysis.policy import Policy
from projections.analysis.state_model import IncidentState
from projections.analysis.timeline import Entry
from projections.exports import eido_parts as p
from projections.exports import eido_transfers as transfers
from projections.exports.context import Context, Totals
from projections.exports.pieces import IncidentPiece
from projections.exports.redact import Redactor
from projections.exports.spool import Spool

EIDO_VERSION = "1.0"
# Caller relations as person roles of the 021.1b registry (a caller is always `Caller`; a
# third party or a professional has no other role there).
ROLES = {"victim": "Victim", "witness": "Witness"}
SCHEMA = "NENA-STA-021.1 EIDO JSON schema 1.0.0"


class EidoWriter:
    needs_events = False

    def __init__(self, context: Context, redactor: Redactor | None) -> None:
        self.policy = context.policy
        self.redactor = redactor

    def part(self, piece: IncidentPiece) -> list[tuple[str, bytes]]:
        entries = piece.computed.timeline if piece.computed is not None else []
        lines = []
        for document in eido_series(piece.incident, entries, self.policy):
            value = self.redactor.json(document) if self.redactor is not None else document
            lines.append(orjson.dumps(value) + b"\n")
        return [("eido", b"".join(lines))]

    def finish(self, out: IO[bytes], spool: Spool, totals: Totals) -> None:
        for part in spool.parts("eido"):
            out.write(part)


def eido_series(incident: str, entries: Sequence[Entry], policy: Policy) -> list[dict[str, Any]]:
    """One EIDO per entry that changed the incident's EIDO, from its first own event on."""
    result: list[dict[str, Any]] = []
    previous: str | None = None
    started = False
    for entry in entries:
        started = started or incident in ev.incidents_named(entry.event)
        if not started:
            continue
        body = _components(entry.state, policy)
        fingerprint = json.dumps(body, sort_keys=True)
        if fingerprint == previous:
            continue
        previous = fingerprint
        document = {
            **p.prologue(p.tracking_id(incident), entry.at, entry.event.by),
            "eidoVersion": EIDO_VERSION,
            "issuingElementIdentification": "incident-ledger",
            **body,
        }
        result.append(document)
    return result


def _components(state: IncidentState, policy: Policy) -> dict[str, Any]:
    own = [item.event for item in state.events]
    at = max(e.at for e in own) if own else state.events[0].at
    notes: list[p.Component] = []
    parts: dict[str, list[p.Component]] = {
        "callComponent": [],
        "callbackComponent": [],
        "personComponent": [],
        "locationComponent": [],
    }
    _calls(state, policy, parts, notes)
    incident: p.Component = {
        **p.prologue(p.tracking_id(state.incident), at, own[-1].by if own else None),
        "incidentTypeCommonRegistryText": p.POLICE,
        "incidentStatusCommonRegistryText": [p.incident_status(state)],
        "incidentStatusInternalText": [state.status],
        "internalIncidentId": state.incident,
    }
    if state.classification is not None:
        c = state.classification
        incident["incidentTypeInternalCode"] = c.category
        incident["incidentTypeInternalText"] = c.category + (" (domestic)" if c.domestic else "")
    if state.grade is not None:
        incident["incidentPriorityInternalText"] = state.grade.grade
    closings = state.closings
    if state.status == "closed" and closings:
        # The outcome has no APCO disposition code in the ledger: a note, not a disposition.
        last = closings[-1]
        notes.append(p.note(p.urn("note", last.id), last.at, last.by, f"Closed: {last.outcome}"))
    for entry in state.notes:
        notes.append(p.note(p.urn("note", entry.id), entry.at, entry.by, entry.text))
    notes += _markers(state, policy)
    notes += _diversions(state)
    notes += transfers.notes(state)
    for match in state.markers:
        removed = match.record.removed
        if removed is not None:
            text = f"Marker {removed.marker} on {removed.subject.kind} {removed.subject.key} was "
            text += f"removed at {removed.at.isoformat()}" + (
                f": {removed.reason}" if removed.reason else ""
            )
            notes.append(p.note(p.urn("note", removed.id), removed.at, removed.by, text))
    incident["personReference"] = [p.ref(c["$id"]) for c in parts["personComponent"]]
    incident["locationReference"] = [p.ref(c["$id"]) for c in parts["locationComponent"]]
    incident["notesReference"] = [p.ref(i) for i in dict.fromkeys(n["$id"] for n in notes)]
    acked = {
        name
        for t in state.transmissions.values()
        if t.ack is not None
        for name in (t.sent.from_, t.sent.to)
    }
    components: dict[str, Any] = {
        "incidentComponent": {k: v for k, v in incident.items() if v != []},
        **parts,
        "dispatchComponent": [
            {
                **p.prologue(p.urn("dispatch", u.event.id), u.event.at, u.event.by),
                "agencyReference": p.ref(p.AGENCY),
                "emergencyResourceReference": [p.ref(p.urn("unit", u.unit))],
            }
            for u in state.unit_log
            if isinstance(u.event, ev.UnitAllocated) and u.event.incident == state.incident
        ],
        "emergencyResourceComponent": [
            p.resource(u, u.unit in acked) for _, u in sorted(state.units.items())
        ],
        "notesComponent": list({n["$id"]: n for n in notes}.values()),
        "linkComponent": [transfers.link(state, link) for link in state.links],
        "agencyComponent": transfers.agencies(state, at),
        "agentComponent": p.agents(state),
    }
    return {k: v for k, v in components.items() if v != []}


def _calls(
    state: IncidentState,
    policy: Policy,
    parts: dict[str, list[p.Component]],
    notes: list[p.Component],
) -> None:
    people: dict[str, p.Component] = {}
    places: dict[str, p.Component] = {}
    inbound: list[str] = []
    for call in sorted(state.calls, key=lambda c: c.received.at):
        r = call.received
        call_id = p.urn("call", call.call)
        last = call.ended or r
        body: p.Component = {
            **p.prologue(call_id, last.at, last.by),
            "callStateRegistryText": "callEnd" if call.ended is not None else "callAnswered",
            "standardPrimaryCallType": "emergency" if r.channel == "999" else "nonEmergency",
            "localCallType": r.channel,
            "direction": "outgoing" if r.channel == "outbound" else "incoming",
            "callStartTimestamp": r.at.isoformat(),
            "answerDate": r.at.isoformat(),
        }
        if r.by:
            body["agentReference"] = [p.ref(p.urn("agent", r.by))]
        if r.channel == "outbound" and inbound:
            body["relatedCallIdentifier"] = list(inbound)
        else:
            inbound.append(call_id)
        refs: list[p.Component] = []
        if r.summary:
            refs.append(p.note(p.urn("note", r.id), r.at, r.by, f"Call summary: {r.summary}"))
        if call.ended is not None:
            e = call.ended
            outcome = f" — {e.outcome}" if e.outcome else ""
            refs.append(p.note(p.urn("note", e.id), e.at, e.by, f"Call ended: {e.how}{outcome}"))
        if r.caller is not None and (r.caller.name or r.caller.phone):
            person = _person(r, call_id, policy, people, parts, refs)
            body["personReference"] = [p.ref(person)]
        if r.location is not None and (r.location.address or r.location.lat is not None):
            place_key = (
                fold_address(r.location.address or "") or f"{r.location.lat},{r.location.lon}"
            )
            if place_key not in places:
                place_id = p.urn("location", str(len(places) + 1))
                places[place_key] = p.location(r.location, place_id, r.at, r.by, "Caller")
            body["locationReference"] = [p.ref(places[place_key]["$id"])]
        if refs:
            body["notesReference"] = [p.ref(n["$id"]) for n in refs]
            notes.extend(refs)
        parts["callComponent"].append(body)
    parts["locationComponent"].extend(places.values())


def _person(
    r: ev.CallReceived,
    call_id: str,
    policy: Policy,
    people: dict[str, p.Component],
    parts: dict[str, list[p.Component]],
    notes: list[p.Component],
) -> str:
    """The caller's person component (one per name or number), and the caller's name as a note."""
    caller = r.caller
    assert caller is not None
    key = " ".join((caller.name or "").casefold().split()) or (caller.phone or "")
    person_id = p.urn("person", str(len(people) + 1)) if key not in people else people[key]["$id"]
    if key in people:
        people[key]["callIdentifier"].append(call_id)
        return str(person_id)
    roles = ["Caller"] + ([ROLES[caller.relation]] if caller.relation in ROLES else [])
    person: p.Component = {
        **p.prologue(person_id, r.at, r.by),
        "personIncidentRoleRegistryText": roles,
        "callIdentifier": [call_id],
    }
    if caller.name:
        name_note = p.note(p.urn("note", r.id, "caller"), r.at, r.by, f"Caller: {caller.name}")
        notes.append(name_note)
        person["notesReference"] = [p.ref(name_note["$id"])]
    if caller.phone:
        callback_id = p.urn("callback", str(len(people) + 1))
        parts["callbackComponent"].append(
            {
                **p.prologue(callback_id, r.at, r.by),
                "callBackInformationUri": [p.tel_uri(caller.phone, policy.country_code)],
            }
        )
        person["callBackReference"] = p.ref(callback_id)
    people[key] = person
    parts["personComponent"].append(person)
    return str(person_id)


def _markers(state: IncidentState, policy: Policy) -> list[p.Component]:
    """Markers as notes: 021.1b has no caution component."""
    out: dict[str, p.Component] = {}
    for match in state.markers:
        added = match.record.added
        if added is None or not match.record.active:
            continue
        high = (
            " (high: the policy sets a minimum grade)"
            if added.marker in policy.marker_min_grade
            else ""
        )
        text = (
            f"Marker {added.marker}{high} on {added.subject.kind} {added.subject.key}, placed "
            f"{added.at.isoformat()} by {added.by or added.source or 'unknown'}"
        )
        out[added.id] = p.note(p.urn("note", added.id), added.at, added.by, text)
    return list(out.values())


def _diversions(state: IncidentState) -> list[p.Component]:
    """Where a unit went when it left: 021.1b has no field for the incident a unit is on."""
    out = []
    for unit in state.unit_log:
        event = unit.event
        if isinstance(event, ev.UnitDiverted) and event.from_incident == state.incident:
            text = f"Unit {unit.unit} diverted to incident {event.to_incident}"
            out.append(p.note(p.urn("note", event.id, unit.unit), event.at, event.by, text))
    return out
