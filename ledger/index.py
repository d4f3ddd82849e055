"""The reference index: how an event is found without scanning the ledger.

Every event is filed under each thing it names, with the instant it happened (`at`, in
microseconds since the epoch, UTC), so a look-up can ask for one key over a stretch of time:

- `i:INCIDENT` every incident it names (a diversion and a link name two);
- `c:CALL`, `t:TRANSMISSION` (also a diversion's `via`), `p:PLAN`: what completes what;
- `u:UNIT` every event naming a unit, radio messages from or to it included;
- `m:UNIT` the unit's moves that commit it somewhere (allocated, en route, arrived, diverted):
  "where did KD21 go next" is one probe, however long its career;
- `l:INCIDENT` both ends of a link, on the link alone (for walking chains of links); a
  transfer whose receiving incident is named is a link too (stream.md);
- `kc:KEY` a call's contact keys and `km:KEY` a marker's subject: phone (`p:`), address (`a:`)
  and name (`n:`). Keys are coarse and policy-free (`ledger.contacts`); the read side matches
  exactly;
- `g:GRADE` every grading, under its grade code, and a transfer under the codes it passes on
  and receives (the codes a ledger uses, one scan away);
- `e:ID` the event a correction or retraction names; `x:` every event that names no incident
  (a call's end, an acknowledgement, a marker, a correction, a message about no incident);
- `r:` every event once, at the instant it entered the record (`recorded_at`, else `at`): the
  ledger's clock is the latest of these, one probe away.

A correction or retraction is also filed under every reference of the event it changes, as
that event reads before it and after it (`meta_refs`): corrected values are found exactly as
recorded ones (findings.md ruling 5), and anything that depended on the old values is found too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ledger.contacts import fold_address, phone_index_keys
from ledger.events import (
    EVENT_TYPES,
    CallReceived,
    IncidentGraded,
    IncidentLinked,
    IncidentTransferred,
    LedgerEvent,
    MarkerAdded,
    MarkerRemoved,
    UnitAllocated,
    UnitArrived,
    UnitDiverted,
    UnitEnRoute,
    incidents_named,
    link_ends,
)
from ledger.store.micros import EARLIEST, LATEST, instant

__all__ = ["EARLIEST", "LATEST", "MOVES", "Ref", "contact_keys", "instant", "meta_refs", "refs_of"]

Ref = tuple[str, int]  # (reference, instant in µs since the epoch, UTC)


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
MOVES = (UnitAllocated, UnitEnRoute, UnitArrived, UnitDiverted)


def contact_keys(kind: str, key: str) -> tuple[str, ...]:
    """The coarse index keys of a phone, an address (premises) or a name (person)."""
    if kind == "phone":
        return tuple(f"p:{digits}" for digits in phone_index_keys(key))
    folded = fold_address(key)
    if not folded:
        return ()
    return (f"a:{folded}",) if kind == "premises" else (f"n:{folded}",)


def refs_of(event: LedgerEvent) -> tuple[Ref, ...]:
    """Every reference the event is filed under, each with its instant."""
    when = instant(event.at)
    values = event.__dict__
    refs: list[str] = []
    for field, prefix in _FIELDS[event.type]:
        value = values.get(field)
        if not isinstance(value, str) or not value:
            continue
        if field in ("from_", "to") and value == "control":  # the control room is no unit
            continue
        refs.append(prefix + value)
    if isinstance(event, MOVES):
        refs.append(f"m:{event.unit}")
    elif isinstance(event, IncidentGraded):
        refs.append(f"g:{event.grade}")
    elif isinstance(event, IncidentTransferred):
        refs += [f"g:{code}" for code in (event.grade, event.to_grade) if code]
    if isinstance(event, IncidentLinked):
        refs += [f"l:{event.incident}", f"l:{event.linked}"]
    elif (ends := link_ends(event)) is not None:
        refs += [f"l:{end}" for end in ends]
    if isinstance(event, CallReceived):
        refs += [f"kc:{key}" for key in _call_keys(event)]
    elif isinstance(event, MarkerAdded | MarkerRemoved):
        refs += [f"km:{key}" for key in contact_keys(event.subject.kind, event.subject.key)]
    if not incidents_named(event):
        refs.append("x:")
    return (*((ref, when) for ref in dict.fromkeys(refs)), ("r:", instant(event.known_at)))


def meta_refs(meta: LedgerEvent, versions: Iterable[LedgerEvent | None]) -> tuple[Ref, ...]:
    """A correction's or retraction's references: its own, and those of every version of the
    event it changes (as it read before the change and after; None for a retracted one)."""
    refs = dict.fromkeys(refs_of(meta))
    for version in versions:
        if version is not None:
            refs.update(dict.fromkeys(r for r in refs_of(version) if r[0] != "r:"))
    return tuple(refs)


def _call_keys(call: CallReceived) -> list[str]:
    keys: list[str] = []
    if call.caller is not None:
        if call.caller.phone:
            keys += contact_keys("phone", call.caller.phone)
        if call.caller.name:
            keys += contact_keys("person", call.caller.name)
    if call.location is not None and call.location.address:
        keys += contact_keys("premises", call.location.address)
    return keys
