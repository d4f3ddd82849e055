"""A synthetic CAD export in the SFFD per-unit shape, for benchmarks: volume, not realism.

Each call gets one to four unit rows with the stages a real one has (some units never arrive,
some transport a patient), so `mappings/sffd.toml` reads it as it reads the real sample.
Rows are written in call order with a little shuffling within a window, as real exports are
roughly but not exactly sorted.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HEADER = [
    "Call Number", "Unit ID", "Incident Number", "Call Type", "Received DtTm", "Entry DtTm",
    "Dispatch DtTm", "Response DtTm", "On Scene DtTm", "Transport DtTm", "Hospital DtTm",
    "Call Final Disposition", "Available DtTm", "Address", "City", "Priority", "Location", "RowID",
]  # fmt: skip
START = datetime(2019, 1, 1)
ZONE = ZoneInfo("America/Los_Angeles")
UNITS = [f"{kind}{n:02d}" for kind in ("E", "T", "M", "B", "RC") for n in range(1, 45)]
TYPES = [
    "Medical Incident",
    "Alarms",
    "Structure Fire",
    "Traffic Collision",
    "Other",
    "Outside Fire",
]
OUTCOMES = [
    "Code 2 Transport",
    "Fire",
    "No Merit",
    "Patient Declined Transport",
    "Other",
    "Cancelled",
]
STREETS = ["MARKET ST", "MISSION ST", "VALENCIA ST", "24TH ST", "GEARY BLVD", "POLK ST", "3RD ST"]


def _cell(moment: datetime | None) -> str:
    return "null" if moment is None else moment.strftime("%m/%d/%Y %I:%M:%S %p")


def near_clock_change(moment: datetime) -> bool:
    """Within six hours of a change of the Los Angeles clock. A CAD export without offsets
    cannot order times in the repeated autumn hour, and the spring hour skipped never occurs:
    calls there are left out, as a real export would not write such times."""
    before, after = moment - timedelta(hours=6), moment + timedelta(hours=6)
    return ZONE.utcoffset(before) != ZONE.utcoffset(after)


def call_rows(n: int, rng: random.Random) -> list[list[str]]:
    """One call's unit rows: received, entry, then each unit's dispatch to available."""
    received = START + timedelta(seconds=n * 61 + rng.randint(0, 50))
    if near_clock_change(received):
        return []
    entry = received + timedelta(seconds=rng.randint(20, 200))
    call, incident = str(190000000 + n), str(19000000 + n)
    address = f"{rng.randint(1, 40) * 100} Block of {rng.choice(STREETS)}"
    point = f"POINT (-122.{rng.randint(38, 51)}{rng.randint(0, 99999):05d} 37.{rng.randint(71, 80)}{rng.randint(0, 99999):05d})"
    kind, outcome, priority = rng.choice(TYPES), rng.choice(OUTCOMES), rng.choice("332E")
    rows = []
    for unit in rng.sample(UNITS, rng.choice((1, 1, 2, 2, 2, 3, 4))):
        dispatch = entry + timedelta(seconds=rng.randint(5, 120))
        response = dispatch + timedelta(seconds=rng.randint(10, 120))
        arrives = rng.random() < 0.8
        on_scene = response + timedelta(seconds=rng.randint(120, 900)) if arrives else None
        transports = arrives and unit.startswith("M") and rng.random() < 0.6
        transport = (
            on_scene + timedelta(minutes=rng.randint(5, 25)) if transports and on_scene else None
        )
        hospital = transport + timedelta(minutes=rng.randint(5, 20)) if transport else None
        last = hospital or on_scene or response
        available = last + timedelta(minutes=rng.randint(1, 40))
        rows.append([
            call, unit, incident, kind, _cell(received), _cell(entry), _cell(dispatch),
            _cell(response), _cell(on_scene), _cell(transport), _cell(hospital), outcome,
            _cell(available), address, "San Francisco", priority, point, f"{call}-{unit}",
        ])  # fmt: skip
    return rows


def rows(count: int, seed: int = 7) -> Iterator[list[str]]:
    """`count` unit rows, whole calls only while they fit, shuffled within windows of 64."""
    rng = random.Random(seed)
    made, n, window = 0, 0, []
    while made < count:
        for row in call_rows(n, rng)[: count - made]:
            window.append(row)
            made += 1
        n += 1
        if len(window) >= 64:
            rng.shuffle(window)
            yield from window
            window = []
    rng.shuffle(window)
    yield from window


def write(path: Path, count: int, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))
    return path
