"""The references that find an event without scanning the ledger.

Each event is indexed under every identifier it names, so one incident's events come from a
few index look-ups: its own (`i:`), then those of its calls, transmissions and plans, which
may not name the incident (a `CallEnded` names only its call), then corrections (`e:`).
"""

from __future__ import annotations

from ledger.events import (
    EventCorrected,
    EventRetracted,
    LedgerEvent,
    RadioTransmission,
    UnitDiverted,
    incidents_named,
)


def refs_of(event: LedgerEvent) -> tuple[str, ...]:
    refs = [f"i:{incident}" for incident in incidents_named(event)]
    for prefix, name in (("c:", "call"), ("t:", "transmission"), ("p:", "plan"), ("u:", "unit")):
        value = getattr(event, name, None)
        if isinstance(value, str):
            refs.append(prefix + value)
    if isinstance(event, UnitDiverted) and event.via:
        refs.append(f"t:{event.via}")
    if isinstance(event, RadioTransmission):
        refs += [f"u:{end}" for end in (event.from_, event.to) if end != "control"]
    if isinstance(event, EventCorrected):
        refs.append(f"e:{event.corrects}")
    if isinstance(event, EventRetracted):
        refs.append(f"e:{event.retracts}")
    return tuple(dict.fromkeys(refs))
