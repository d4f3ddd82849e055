"""EIDO data components built from one incident's state (NENA-STA-021.1b, schema 1.0.0).

Every component starts with the prologue (`$id`, `lastUpdateTimeStamp`,
`updatedByAgencyReference`, `updatedByAgentReference` when the ledger knows who). The incident's
`$id` is its Incident Tracking Identifier (NENA-STA-010: `urn:emergency:uid:incidentid:
<unique>:<domain>`); every other component's is `urn:emergency:uid:eidodatacomponent:<unique>:
<agency>`, made from the ledger's own identifiers so a call or a unit keeps its `$id` through
the incident's series. Only registry values go where 021.1b asks for a registry value; a
ledger fact with no registry value stays in the internal text fields or a note.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from typing import Any

from ledger import events as ev
from ledger.contacts import fold_phone
from projections.analysis.state_model import IncidentState, UnitState

# The agency's domain: the ledger knows no domain of its own (`.invalid`, RFC 2606, never
# resolves), and is the same in every export so identifiers stay stable.
DOMAIN = "control-room.incident-ledger.invalid"
AGENCY = DOMAIN
# Registry values for the two registry fields 021.1b requires and the ledger holds nothing
# for: the incident type and the resource type; both are police (IANA
# urn:emergency:service:responder), the one service the ledger records.
POLICE = "police"
STATUS_SECONDARY = {
    "allocated": "Assigned",
    "en-route": "EnRoute",
    "at-scene": "OnScene",
    "cleared": "Cleared",
    "deallocated": "AssignmentCancelled",
    "diverted-away": "AssignmentCancelled",
    "left-for-other-incident": "AssignmentCancelled",
}
_CALL_TAKING = (ev.CallReceived, ev.CallEnded, ev.IncidentGraded, ev.IncidentClassified)

Component = dict[str, Any]


def ref(identifier: str) -> dict[str, str]:
    return {"$ref": identifier}


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _unique(*parts: str) -> str:
    """Parts joined with `.`, each with `:` and anything unsafe in a URN written `-xx-`."""
    return ".".join(_UNSAFE.sub(lambda m: f"-{ord(m.group(0)):x}-", part) for part in parts)


def tracking_id(incident: str) -> str:
    """The Incident Tracking Identifier of an incident (NENA-STA-010)."""
    return f"urn:emergency:uid:incidentid:{_unique(incident)}:{DOMAIN}"


def urn(kind: str, *parts: str) -> str:
    """A data component's identifier, the same in every EIDO of the incident."""
    return f"urn:emergency:uid:eidodatacomponent:{_unique(kind, *parts)}:{AGENCY}"


def prologue(identifier: str, at: datetime, by: str | None) -> Component:
    head: Component = {
        "$id": identifier,
        "lastUpdateTimeStamp": at.isoformat(),
        "updatedByAgencyReference": ref(AGENCY),
    }
    if by:
        head["updatedByAgentReference"] = ref(urn("agent", by))
    return head


def agency(at: datetime) -> Component:
    return {
        **prologue(AGENCY, at, None),
        "agencyRoleDescriptionRegistryText": ["CallReceiving", "Dispatching"],
        "agencyType": ["police"],
        "incidentOwningAgencyIndicator": True,
    }


def agents(state: IncidentState) -> list[Component]:
    """One agent for every `by` the incident's events name, with the role its events show."""
    roles: dict[str, set[str]] = {}
    last: dict[str, datetime] = {}
    units = set(state.units)
    for item in state.events:
        e = item.event
        if not e.by:
            continue
        role = (
            "Emergency Resource"
            if e.by in units
            else "Call Taking"
            if isinstance(e, _CALL_TAKING)
            else "Dispatching"
        )
        roles.setdefault(e.by, set()).add(role)
        last[e.by] = max(last.get(e.by, e.at), e.at)
    for unit, unit_state in state.units.items():
        roles.setdefault(unit, set()).add("Emergency Resource")
        last[unit] = max(last.get(unit, unit_state.event.at), unit_state.event.at)
    return [
        {
            **prologue(urn("agent", name), last[name], None),
            "agentRoleRegistryText": sorted(roles[name]),
            "agencyReference": ref(AGENCY),
        }
        for name in sorted(roles)
    ]


def note(identifier: str, at: datetime, by: str | None, text: str) -> Component:
    body: Component = {**prologue(identifier, at, by), "notesActionComments": escape(text)}
    if by:
        body["agentReference"] = ref(urn("agent", by))
    return body


def tel_uri(phone: str, country_code: str) -> str:
    national = fold_phone(phone, country_code)
    if national.startswith("0") and not national.startswith("00") and country_code:
        return f"tel:+{country_code}{national[1:]}"
    return f"tel:{national}"


def location(
    loc: ev.Location, identifier: str, at: datetime, by: str | None, kind: str
) -> Component:
    body: Component = {
        **prologue(identifier, at, by),
        "locationTypeDescriptionRegistryText": kind,
    }
    if loc.address:
        body["locationDescriptionText"] = loc.address
    if loc.lat is not None and loc.lon is not None:
        body["locationByValue"] = (
            '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:'
            'pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" entity="pres:incident-ledger">'
            '<tuple id="location"><status><gp:geopriv><gp:location-info>'
            '<gml:Point srsName="urn:ogc:def:crs:EPSG::4326">'
            f"<gml:pos>{loc.lat} {loc.lon}</gml:pos></gml:Point></gp:location-info>"
            "<gp:usage-rules/></gp:geopriv></status></tuple></presence>"
        )
    return body


def incident_status(state: IncidentState) -> str:
    if state.status == "closed":
        return "Closed"
    statuses = {unit.status for unit in state.units.values()}
    for status, word in (
        ("at-scene", "ResourcesOnscene"),
        ("en-route", "ResourcesEnroute"),
        ("allocated", "ResourcesAssigned"),
    ):
        if status in statuses:
            return word
    return "ReOpened" if state.status == "reopened" else "Active"


def resource(unit: UnitState, acknowledged: bool) -> Component:
    secondary = [STATUS_SECONDARY[unit.status]] if unit.status in STATUS_SECONDARY else []
    if acknowledged:
        secondary.append("AcknowledgedTransmission")
    body: Component = {
        **prologue(urn("unit", unit.unit), unit.event.at, unit.event.by),
        "emergencyResourceName": unit.unit,
        "emergencyResourceTypeCommonRegistryText": POLICE,
        "resourceAttributeRegistryText": [],
        "primaryUnitStatusRegistryText": "Available"
        if unit.status in ("cleared", "deallocated")
        else "NotAvailable",
        "secondaryUnitStatusRegistryText": secondary,
        "unitStatusInternal": [unit.status],
        "agentReference": [ref(urn("agent", unit.unit))],
    }
    return body
