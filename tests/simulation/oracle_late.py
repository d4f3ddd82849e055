"""Oracle: late-recording, for every event as written, corrections and retractions included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from simulator.policy import SimPolicy
from tests.simulation.oracle_view import COARSE, E, View, ts

Out = tuple[str, str | None, int, int | None, list[E | None], int]


def late(v: View, p: SimPolicy) -> Iterator[Out]:
    """Each event entered more than `late_recording` after it happened, unless retracted, on
    the incident it belongs to: a correction's or retraction's is its target's (ruling 6)."""
    by_id = {e["id"]: e for e in v.raw}
    owner = {("call", e["call"]): e["incident"] for e in v.raw if e["type"] == "CallReceived"}
    owner |= {("plan", e["plan"]): e["incident"] for e in v.raw if e["type"] == "FollowUpPlanned"}
    owner |= {
        ("transmission", e["transmission"]): e.get("incident")
        for e in v.raw
        if e["type"] == "RadioTransmission"
    }

    def home(e: dict[str, Any]) -> str | None:
        target = e.get("corrects") or e.get("retracts")
        if target is not None:
            return home(by_id[target])
        for key in ("incident", "from_incident"):
            if isinstance(e.get(key), str):
                return str(e[key])
        for kind in ("call", "plan", "transmission"):
            if kind in e:
                return owner.get((kind, e[kind]))
        return None

    live = {e.id: e for e in v.events}
    for i, raw in enumerate(v.raw):
        if raw["id"] in v.retracted:
            continue
        e = live.get(raw["id"]) or E(
            i, raw["id"], raw["type"], ts(raw["at"]), ts(raw.get("recorded_at", raw["at"])),
            raw.get("precision") in COARSE, raw,
        )  # fmt: skip
        if e.known - e.at > p.late_recording:
            yield ("late-recording", home(raw), e.at, e.known, [e], e.known)
