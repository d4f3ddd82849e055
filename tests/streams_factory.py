"""Small streams for tests, written as the evidence would be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def event(id: str, type: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "at": at, **fields}


BASIC = [
    event(
        "b-01",
        "CallReceived",
        "2018-05-31T23:54:00+01:00",
        incident="CAD-1",
        call="C1",
        channel="999",
        caller={"name": "A. Caller", "phone": "07700 900123"},
        location={"address": "1 Example Road"},
        summary="someone banging on the door",
    ),
    event(
        "b-02",
        "IncidentGraded",
        "2018-05-31T23:57:00+01:00",
        incident="CAD-1",
        grade="S",
        by="CH101",
    ),
    event("b-03", "UnitAllocated", "2018-06-01T00:02:00+01:00", incident="CAD-1", unit="KD21"),
    event(
        "b-04",
        "RadioTransmission",
        "2018-06-01T00:14:00+01:00",
        transmission="T1",
        **{"from": "KD21"},
        to="control",
        message="diverting to immediate",
        incident="CAD-1",
    ),
    event(
        "b-05",
        "UnitDiverted",
        "2018-06-01T00:14:00+01:00",
        unit="KD21",
        from_incident="CAD-1",
        to_incident="CAD-2",
        initiated_by="unit",
        via="T1",
        recorded_at="2018-06-20T10:00:00+01:00",
        source="radio-log",
    ),
    event("b-06", "CallEnded", "2018-05-31T23:58:00+01:00", call="C1", how="completed"),
    event(
        "b-07",
        "EventCorrected",
        "2018-06-02T09:00:00+01:00",
        corrects="b-02",
        changes={"rationale": "caller unsure who it was"},
        reason="log updated",
    ),
]


def write(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path
