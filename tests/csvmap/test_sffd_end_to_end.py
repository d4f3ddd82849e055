"""The SFFD sample imported through the CLI: counts and response-target findings, checked
against an independent computation from the raw CSV; a real unit leaving one call for another."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.csvmap.csvmap_support import imported, json_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "sffd_per_unit_calls_sample.csv"
MAPPING = ROOT / "mappings" / "sffd.toml"
POLICY = ROOT / "mappings" / "sffd-policy.toml"
ZONE = ZoneInfo("America/Los_Angeles")
TARGETS = {"3": timedelta(minutes=10), "E": timedelta(minutes=10), "2": timedelta(minutes=20)}


def _time(text: str) -> datetime | None:
    if text in ("", "null"):
        return None
    return datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=ZONE)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample imported once into a fresh ledger."""
    return imported(tmp_path_factory.mktemp("sffd"), SAMPLE, MAPPING)


def _json(store: list[str], *args: str) -> list[dict[str, object]]:
    return json_of(store, *args)


def _raw() -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Incident Number"]].append(row)
    return rows


def test_every_incident_and_unit_of_the_export_is_in_the_ledger(store: list[str]) -> None:
    """2,406 incidents, and every unit the CSV names, counted from the raw file."""
    raw = _raw()
    incidents = _json(store, "incidents")
    assert len(incidents) == len(raw) == 2406
    units = {unit for row in incidents for unit in row["units"]}  # type: ignore[attr-defined]
    assert units == {r["Unit ID"] for rows in raw.values() for r in rows}


def test_response_target_findings_match_an_independent_computation(store: list[str]) -> None:
    """Missed targets under the shipped policy are exactly those the raw CSV implies."""
    expected = set()
    for incident, rows in _raw().items():
        received = min(t for r in rows if (t := _time(r["Received DtTm"])) is not None)
        graded = min(t for r in rows if (t := _time(r["Entry DtTm"])) is not None)
        # A grade cannot be missed before it was given (findings.md, response-target-missed).
        deadline = max(received + TARGETS[rows[0]["Priority"]], graded)
        arrivals = [
            t
            for r in rows
            for c in ("On Scene DtTm", "Hospital DtTm")
            if (t := _time(r[c])) is not None
        ]
        available = [_time(r["Available DtTm"]) for r in rows]
        closed = max(available) if all(available) else None  # type: ignore[type-var]
        first = min(arrivals, default=None)
        if first is not None and first <= deadline:
            continue  # met
        if first is None and closed is not None and closed <= deadline:
            continue  # closed inside the window: the closing does not count as missed
        expected.add((incident, deadline))
    found = _json(store, "findings", "--policy", str(POLICY), "--code", "response-target-missed")
    got = {(f["incident"], datetime.fromisoformat(str(f["start"]))) for f in found}
    assert got == expected
    assert len(got) == 259


def test_unit_sent_to_a_new_call_before_it_is_free_has_left_the_first(store: list[str]) -> None:
    """B01, on scene at 18014254, is dispatched to 18014257 at 00:16:16: it has left. The
    allocation is 18014257's event, in its timeline and the unit's, not in 18014254's
    (findings.md ruling 10)."""
    first = CliRunner().invoke(main, [*store, "timeline", "18014254", "--format", "csv"])
    second = CliRunner().invoke(main, [*store, "timeline", "18014257", "--format", "csv"])
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert "B01 allocated to 18014257" not in first.stdout
    assert ",UnitAllocated,,B01 allocated to 18014257,B01 allocated" in second.stdout
    unit = _json(store, "unit", "B01")
    sent = [row for row in unit if str(row["what"]).startswith("B01 allocated to 18014257")]
    assert [(row["at"], row["incidents"]) for row in sent] == [
        ("2018-02-03T00:16:16-08:00", ["18014257"])
    ]
