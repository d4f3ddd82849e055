"""The oracle's view of a stream: corrections applied, retractions dropped, times as seconds.

The oracle is a second, deliberately naive reading of findings.md, computed from the written
events only (never from the simulator's own facts), to catch findings the simulator caused
without knowing: a number reused by accident, a unit booked twice, a missed acknowledgement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

COARSE = {"hour", "day", "month"}


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def fold_address(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def fold_phone(text: str, country: str = "44") -> str:
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") and digits.startswith(country):
        return "0" + digits[len(country) :]
    return digits


@dataclass
class E:
    i: int
    id: str
    type: str
    at: int
    known: int
    coarse: bool
    d: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.d[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.d.get(key, default)


@dataclass
class View:
    events: list[E]  # live events in ledger order (at, then append order)
    clock: int
    by_incident: dict[str, list[E]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, E] = field(default_factory=dict)  # call id -> CallReceived
    closes: dict[str, list[E]] = field(default_factory=lambda: defaultdict(list))
    raw: list[dict[str, Any]] = field(default_factory=list)
    retracted: set[str] = field(default_factory=set)


def load(stream: list[dict[str, Any]]) -> View:
    retracted = {e["retracts"] for e in stream if e["type"] == "EventRetracted"}
    changes: dict[str, dict[str, Any]] = defaultdict(dict)
    for e in stream:
        if e["type"] == "EventCorrected":
            changes[e["corrects"]].update(e["changes"])
    clock = max(max(ts(e["at"]), ts(e.get("recorded_at", e["at"]))) for e in stream)
    live = []
    for i, e in enumerate(stream):
        if e["id"] in retracted or e["type"] in ("EventRetracted", "EventCorrected"):
            continue
        d = {**e, **changes.get(e["id"], {})}
        known = ts(d["recorded_at"]) if "recorded_at" in d else ts(d["at"])
        live.append(E(i, d["id"], d["type"], ts(d["at"]), known, d.get("precision") in COARSE, d))
    live.sort(key=lambda e: (e.at, e.i))
    view = View(live, clock, raw=stream, retracted=retracted)
    for e in live:
        for key in ("incident", "from_incident", "to_incident"):
            if isinstance(e.get(key), str):
                view.by_incident[e[key]].append(e)
        if e.type == "CallReceived":
            view.calls[e["call"]] = e
        if e.type == "IncidentClosed":
            view.closes[e["incident"]].append(e)
    return view


def first_from(events: list[E], t: int) -> E | None:
    """The first of `events` (in ledger order) at or after `t`."""
    return next((e for e in events if e.at >= t), None)


def earliest(*events: E | None) -> E | None:
    """What ends a stretch: the earliest event, in ledger order."""
    present = [e for e in events if e is not None]
    return min(present, key=lambda e: (e.at, e.i)) if present else None


def at(event: E | None) -> int | None:
    return None if event is None else event.at
