"""The references that find an event without scanning the ledger.

Each event is indexed under every identifier it names, so one incident's events come from a
few index look-ups: its own (`i:`), then those of its calls, transmissions and plans, which
may not name the incident (a `CallEnded` names only its call), then corrections (`e:`).
"""

from __future__ import annotations

from ledger.events import EVENT_TYPES, LedgerEvent

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


def refs_of(event: LedgerEvent) -> tuple[str, ...]:
    values = event.__dict__
    refs = []
    for field, prefix in _FIELDS[event.type]:
        value = values.get(field)
        # A radio message's `from`/`to` is a call sign, or "control", which is no unit.
        if isinstance(value, str) and value and not (prefix == "u:" and value == "control"):
            refs.append(prefix + value)
    return tuple(dict.fromkeys(refs))
