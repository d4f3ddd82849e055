"""A hand-over between forces in an EIDO: what an EIDO is for (NENA's own sample is a call
transfer). The sending incident's EIDO, from the transfer on, names the receiving agency as
a second agency that now owns the incident, links the receiving incident (when its reference
is known) with that agency as the one involved, and carries what was passed on as a note; the
receiving incident's EIDO links back to the sender. Only names 021.1b defines are used.
"""

from __future__ import annotations

import re
from datetime import datetime

from projections.analysis.state_model import IncidentState, Link
from projections.exports import eido_parts as p

# Other agencies have no domain the ledger knows: each is named under one of its own.
AGENCIES = "agencies.incident-ledger.invalid"


def agency_id(name: str) -> str:
    """The identifier of an agency the ledger knows only by name (`South Wales Police`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "agency"
    return f"{slug}.{AGENCIES}"


def handed_on(state: IncidentState) -> bool:
    """True once the incident has been handed to another force or control room."""
    return any(t.outgoing for t in state.transfers)


def agencies(state: IncidentState, at: datetime) -> list[p.Component]:
    """The ledger's own agency (no longer the owner once the incident is handed on), then
    each agency it was handed to, the last of them the owner."""
    own = p.agency(at)
    sent = [t.event for t in state.transfers if t.outgoing]
    if not sent:
        return [own]
    own["incidentOwningAgencyIndicator"] = False
    receivers: dict[str, p.Component] = {}
    for event in sent:
        receivers[agency_id(event.to_agency)] = {
            **p.prologue(agency_id(event.to_agency), event.at, event.by),
            "agencyRoleDescriptionRegistryText": ["Dispatching"],
            "agencyType": ["police"],
            "incidentOwningAgencyIndicator": False,
        }
    receivers[agency_id(sent[-1].to_agency)]["incidentOwningAgencyIndicator"] = True
    return [own, *receivers.values()]


def link(state: IncidentState, item: Link) -> p.Component:
    """A link component; a transfer's names it as one and, sent from here, the agency that
    received it (021.1b: required when the sending agency is not involved there)."""
    event = item.event
    body: p.Component = {
        **p.prologue(p.urn("link", event.id), event.at, event.by),
        "incidentTrackingIdentifier": p.tracking_id(item.other),
        "linkDirectionCode": "RELATED",
        "transactionReasonText": item.relation,
    }
    if item.relation == "transfer" and getattr(event, "incident", None) == state.incident:
        body["involvedAgencyReference"] = p.ref(agency_id(getattr(event, "to_agency", "")))
    return body


def notes(state: IncidentState) -> list[p.Component]:
    """What each hand-over passed on, and the grades on either side, as notes."""
    out = []
    for transfer in state.transfers:
        e = transfer.event
        grades = "".join(
            f"; {label} {grade}"
            for label, grade in (("passed on as", e.grade), ("received as", e.to_grade))
            if grade
        )
        there = f" ({e.to_incident})" if e.to_incident else ""
        if transfer.outgoing:
            text = f"Transferred to {e.to_agency}{there}{grades}"
        else:
            text = f"Transferred here from {e.incident}{grades}"
        text += f": {e.summary}" if e.summary else ""
        text += f" (reason: {e.reason})" if e.reason else ""
        out.append(p.note(p.urn("note", e.id), e.at, e.by, text))
    return out
