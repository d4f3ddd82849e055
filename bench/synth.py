"""A fast synthetic stream for benchmarks: realistic event mix and sizes, no scenario logic.

(`ledger simulate` makes streams with known findings; this makes volume.)
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=0)))
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Green Lane",
    "Mill Road",
    "Park Avenue",
    "Queens Road",
    "London Road",
    "Manor Way",
    "Kings Drive",
    "Elm Close",
]
TOWNS = [
    "Ashby",
    "Brookfield",
    "Carlton",
    "Dunmore",
    "Eastleigh",
    "Fairview",
    "Greystone",
    "Hillcrest",
    "Ivybridge",
    "Juniper Vale",
    "Kingsmead",
    "Larkhill",
]
REPEAT_CALLERS = (
    0.05  # share of calls from an earlier caller: the repeat contacts the rules look for
)
SUMMARIES = [
    "caller reports someone banging on the door and buzzing the buzzer",
    "shoplifter detained by security, becoming aggressive",
    "road traffic collision, two vehicles, no injuries reported",
    "neighbour dispute, raised voices, caller concerned for child",
    "suspicious male trying car door handles",
]


def _t(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def incident_events(n: int, rng: random.Random) -> list[dict[str, object]]:
    """About a dozen events for one incident, as a CAD log would record them."""
    ref = f"CAD-{n:07d}"
    at = START + timedelta(seconds=n * 97 + rng.randint(0, 60))
    unit = f"{rng.choice('KDEPM')}{rng.choice('KDEPM')}{rng.randint(1, 99):02d}"
    call = f"{ref}-C1"
    caller = rng.randint(0, n) if rng.random() < REPEAT_CALLERS else n
    phone = f"07{700000000 + caller * 7919 % 99999999:09d}"
    address = (
        f"{caller % 397 + 1} {STREETS[caller % 12]}, {TOWNS[caller // 12 % 12]} {caller % 9973}"
    )
    events: list[dict[str, object]] = [
        {
            "type": "CallReceived",
            "incident": ref,
            "call": call,
            "channel": "999",
            "caller": {"name": f"Caller {n}", "phone": phone, "relation": "victim"},
            "location": {"address": address},
            "summary": rng.choice(SUMMARIES),
            "by": "CH" + str(rng.randint(100, 199)),
        },
        {
            "type": "IncidentGraded",
            "incident": ref,
            "grade": rng.choice("ISSEER"),
            "rationale": "THRIVE assessment",
        },
        {"type": "CallEnded", "call": call, "how": "completed"},
        {
            "type": "UnitAllocated",
            "incident": ref,
            "unit": unit,
            "by": "DISP" + str(rng.randint(1, 9)),
        },
        {
            "type": "RadioTransmission",
            "transmission": f"{ref}-T1",
            "from": "control",
            "to": unit,
            "message": "please attend, details on your terminal",
            "incident": ref,
        },
        {"type": "RadioAcknowledged", "transmission": f"{ref}-T1", "by": unit},
        {"type": "UnitEnRoute", "incident": ref, "unit": unit},
        {"type": "UnitArrived", "incident": ref, "unit": unit},
        {"type": "IncidentNoted", "incident": ref, "text": "officers on scene, speaking to caller"},
        {"type": "UnitCleared", "incident": ref, "unit": unit, "outcome": "advice given"},
        {"type": "IncidentClosed", "incident": ref, "outcome": "resolved"},
    ]
    out = []
    for step, fields in enumerate(events):
        # Acknowledgements come within seconds; the rest of a job takes minutes.
        gap = rng.randint(3, 60) if fields["type"] == "RadioAcknowledged" else rng.randint(20, 300)
        at += timedelta(seconds=gap)
        out.append({"id": f"{ref}-e{step:02d}", "at": _t(at), "source": "cad", **fields})
    return out


def generate(count: int, seed: int = 7) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    made, n = 0, 0
    while made < count:
        for item in incident_events(n, rng):
            if made == count:
                return
            made += 1
            yield item
        n += 1


def write(path: Path, count: int, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for item in generate(count, seed):
            out.write(json.dumps(item) + "\n")
    return path
