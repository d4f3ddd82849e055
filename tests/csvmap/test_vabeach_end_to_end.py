"""The Virginia Beach EMS sample imported through the CLI: every call an incident, response
times and findings checked against an independent computation from the raw CSV, and no
artefact of reading a rescue squad as one vehicle."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.csvmap.csvmap_support import REPO, imported, json_of

SAMPLE = REPO / "tests" / "data" / "vabeach_ems_calls_2017_18_sample.csv"
MAPPING = REPO / "mappings" / "vabeach.toml"
POLICY = REPO / "mappings" / "vabeach-policy.toml"
ZONE = ZoneInfo("America/New_York")
TARGETS = {"1": timedelta(minutes=9), "2": timedelta(minutes=20)}  # vabeach-policy.toml


def _time(text: str) -> datetime | None:
    """The instant, in UTC: Python compares two times of one zone by their wall clocks."""
    if not text:
        return None
    return datetime.strptime(text, "%m/%d/%y %H:%M").replace(tzinfo=ZONE).astimezone(UTC)


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, str]]:
    """The sample's rows by call number, read with csv alone (the file starts with a BOM)."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return {row["EMSCallNumber"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample imported once into a fresh ledger."""
    return imported(tmp_path_factory.mktemp("vabeach"), SAMPLE, MAPPING)


def _json(store: list[str], *args: str) -> list[dict[str, object]]:
    return json_of(store, *args)


def _findings(store: list[str], code: str) -> list[dict[str, object]]:
    return _json(store, "findings", "--policy", str(POLICY), "--code", code)


def test_every_call_is_an_incident_and_every_squad_a_unit_of_its_call(
    store: list[str], raw: dict[str, dict[str, str]]
) -> None:
    """965 incidents, all closed; 952 with their squad's unit, 13 never dispatched with none."""
    incidents = {str(row["incident"]): row for row in _json(store, "incidents")}
    assert set(incidents) == set(raw)
    assert len(incidents) == 965
    assert {row["status"] for row in incidents.values()} == {"closed"}
    units = {call: row["units"] for call, row in incidents.items()}
    expected = {c: [f"{r['RescueSquad.Number']}@{c}"] if r["RescueSquad.Number"] else []
                for c, r in raw.items()}  # fmt: skip
    assert units == expected
    assert sum(not squads for squads in units.values()) == 13


def test_response_times_are_those_of_the_raw_csv(
    store: list[str], raw: dict[str, dict[str, str]]
) -> None:
    """From each call to its first unit on scene, to the minute, for the 885 calls reached."""
    exported = CliRunner().invoke(main, [*store, "export", "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    called: dict[str, datetime] = {}
    arrived: dict[str, datetime] = {}
    for line in exported.stdout.splitlines():
        event = json.loads(line)
        at = datetime.fromisoformat(event["at"])
        if event["type"] == "CallReceived":
            called[event["incident"]] = min(at, called.get(event["incident"], at))
        elif event["type"] == "UnitArrived":
            arrived[event["incident"]] = min(at, arrived.get(event["incident"], at))
    got = {call: arrived[call] - called[call] for call in arrived}
    expected = {
        call: on_scene - _time(row["CallDateandTime"])  # type: ignore[operator]
        for call, row in raw.items()
        if (on_scene := _time(row["OnSceneDateandTime"])) is not None
    }
    assert got == expected
    assert len(got) == 885


def test_response_target_findings_match_an_independent_computation(
    store: list[str], raw: dict[str, dict[str, str]]
) -> None:
    """Missed targets are exactly those the raw CSV implies: late, or closed late unattended."""
    expected = set()
    for call, row in raw.items():
        if row["CallPriority"] not in TARGETS:
            continue
        received = _time(row["CallDateandTime"])
        assert received is not None
        deadline = received + TARGETS[row["CallPriority"]]
        on_scene, closed = _time(row["OnSceneDateandTime"]), _time(row["CloseDateandTime"])
        if on_scene is not None and on_scene <= deadline:
            continue
        end = on_scene if on_scene is not None else closed
        assert end is not None
        if on_scene is None and end <= deadline:
            continue  # closed inside the window: the closing does not count as missed
        expected.add((call, deadline, end))
    found = _findings(store, "response-target-missed")
    got = {
        (f["incident"], datetime.fromisoformat(str(f["start"])),
         datetime.fromisoformat(str(f["end"])))
        for f in found
    }  # fmt: skip
    assert got == expected
    assert len(got) == 253


def test_closed_without_attendance_is_every_priority_1_call_never_reached(
    store: list[str], raw: dict[str, dict[str, str]]
) -> None:
    """67 priority 1 calls closed with no unit on scene, 13 of them never dispatched."""
    expected = {
        call for call, row in raw.items()
        if row["CallPriority"] == "1" and not row["OnSceneDateandTime"]
    }  # fmt: skip
    found = {f["incident"] for f in _findings(store, "closed-without-attendance")}
    assert found == expected
    assert len(found) == 67


@pytest.mark.parametrize("code", ["diversion-unknown-to-control", "unresourced-after-diversion"])
def test_a_squad_serving_several_calls_at_once_is_no_diversion(store: list[str], code: str) -> None:
    """R10's ambulances overlap all the time; read as R10's unit per call, none is a diversion."""
    assert _findings(store, code) == []


def test_timeline_says_which_squad_arrived(store: list[str]) -> None:
    """The closed incident of the issue: "a unit from R10 arrived at 170003111"."""
    result = CliRunner().invoke(main, [*store, "timeline", "170003111", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "a unit from R10 arrived at 170003111" in result.stdout
    assert "≈" not in result.stdout  # minutes are exact enough: no approximate marks
