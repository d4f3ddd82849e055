"""The references that find an event without scanning the ledger.

Each event is indexed under every identifier it names, so one incident's related events come
from a few index look-ups:

- `i:` incidents named; `c:` calls, `t:` transmissions, `p:` plans, which may be named
  without the incident (a `CallEnded` names only its call); `e:` the event a correction or
  retraction targets; `l:` both ends of a link, on the link alone (for walking link chains);
- `ud:` a unit on one UTC day, so "where else was KD21 that night" reads one day of its
  movements rather than its whole career (which is the range of keys `ud:KD21:…`);
- `k:` contact keys: a caller's phone (its last nine digits) and a folded address, and a
  marker's subject, so repeat callers and markers are found by key. These keys are coarse on
  purpose (they do not depend on any policy); the read side matches exactly.
"""

from __future__ import annotations

from ledger.contacts import fold_address, phone_index_key
from ledger.events import (
    EVENT_TYPES,
    CallReceived,
    IncidentLinked,
    LedgerEvent,
    MarkerAdded,
    MarkerRemoved,
)

_PREFIXES = {
    "incident": "i:",
    "from_incident": "i:",
    "to_incident": "i:",
    "linked": "i:",
    "call": "c:",
    "transmission": "t:",
    "via": "t:",
    "plan": "p:",
    "unit": "u:",
    "from_": "u:",
    "to": "u:",
    "corrects": "e:",
    "retracts": "e:",
}

# Per type, the fields that carry a reference: worked out once, since import calls this per event.
_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    name: tuple((field, _PREFIXES[field]) for field in cls.model_fields if field in _PREFIXES)
    for name, cls in EVENT_TYPES.items()
}


def contact_refs(kind: str, key: str) -> str | None:
    if kind == "premises":
        folded = fold_address(key)
        return f"k:a:{folded}" if folded else None
    if kind == "phone":
        digits = phone_index_key(key)
        return f"k:p:{digits}" if digits else None
    folded = fold_address(key)
    return f"k:n:{folded}" if folded else None


def refs_of(event: LedgerEvent) -> tuple[str, ...]:
    values = event.__dict__
    refs = []
    day = None
    for field, prefix in _FIELDS[event.type]:
        value = values.get(field)
        if not isinstance(value, str) or not value:
            continue
        if prefix != "u:":
            refs.append(prefix + value)
        elif value != "control":  # a radio message's `from`/`to` may be control, not a unit
            # Only the unit-day: a unit's whole history is the range of its `ud:UNIT:` keys.
            day = day or unit_day(event)
            refs.append(f"ud:{value}:{day}")
    if isinstance(event, IncidentLinked):
        refs += [f"l:{event.incident}", f"l:{event.linked}"]
    elif isinstance(event, CallReceived):
        if event.caller is not None and event.caller.phone:
            refs.append(contact_refs("phone", event.caller.phone) or "")
        if event.location is not None and event.location.address:
            refs.append(contact_refs("premises", event.location.address) or "")
    elif isinstance(event, MarkerAdded | MarkerRemoved):
        refs.append(contact_refs(event.subject.kind, event.subject.key) or "")
    return tuple(ref for ref in dict.fromkeys(refs) if ref)


def unit_day(event: LedgerEvent) -> str:
    """The UTC day of the event: the bucket of the `ud:` reference."""
    at = event.at
    offset = at.utcoffset()
    if not offset:
        return at.date().isoformat()
    return (at.replace(tzinfo=None) - offset).date().isoformat()
