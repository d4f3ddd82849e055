"""Everything a scenario works with: randomness, policy, the record, the truth, the world."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from simulator.clock import local_date, rfc3339
from simulator.facts import StrayEnd, TxFact
from simulator.identities import Identities
from simulator.incident import Incident
from simulator.policy import SimPolicy
from simulator.stream import Recorder
from simulator.texts import domestic_pattern
from simulator.truth import Truth
from simulator.world import Units


class Ctx:
    def __init__(self, seed: int, policy: SimPolicy) -> None:
        self.rng = random.Random(seed)
        self.policy = policy
        self.truth = Truth()
        self.rec = Recorder(seed)
        self.units = Units(random.Random(seed * 7919 + 1))
        self.ids = Identities(random.Random(seed * 7919 + 2))
        self.terms = domestic_pattern(policy.domestic_terms)
        self.scenarios: Counter[str] = Counter()
        self.incidents: list[Incident] = []
        self.loose_txs: list[TxFact] = []  # transmissions about no incident
        self.stray_ends: list[StrayEnd] = []  # call ends whose call is in no incident
        self._serial: Counter[str] = Counter()

    def next_id(self, kind: str) -> str:
        self._serial[kind] += 1
        return f"{kind}-{self._serial[kind]:06d}"

    def fmt(self, t: int) -> str:
        return rfc3339(t)

    def count(self, scenario: str) -> None:
        self.scenarios[scenario] += 1

    def new_incident(self, first_call: int) -> Incident:
        day = local_date(first_call)
        self._serial["CAD" + day] += 1
        incident = Incident(self, f"CAD-{day}-{self._serial['CAD' + day]:04d}")
        self.incidents.append(incident)
        return incident

    def radio(
        self,
        at: int,
        frm: str,
        to: str,
        message: str,
        ack: int | None,
        required: bool,
        incident: str | None,
        dispatcher: str = "",
    ) -> TxFact:
        transmission = self.next_id("TX")
        fields: dict[str, Any] = {"transmission": transmission, "from": frm, "to": to}
        fields["message"] = message
        if incident is not None:
            fields["incident"] = incident
        fields["ack_required"] = required
        desk = dispatcher or f"DS{self.rng.randint(201, 230)}"
        by = desk if frm == "control" else frm
        ev = self.rec.emit("RadioTransmission", at, fields, by=by, source="radio-log")
        acked = None
        if ack is not None:
            who = desk if to == "control" else to
            fields = {"transmission": transmission}
            acked = self.rec.emit(
                "RadioAcknowledged", ack, fields, by=who, source="radio-log", home=incident
            )
        return TxFact(ev, at, required, acked)
