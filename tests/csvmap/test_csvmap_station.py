"""keys.unit_kind = "station": a unit column naming a squad, not a vehicle, is never read as one
vehicle moving between calls."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from tests.csvmap.csvmap_support import PER_CALL, convert_text, payloads

STATION = PER_CALL.replace('unit = "Squad"\n', 'unit = "Squad"\nunit_kind = "station"\n')
# R10 is dispatched to call 2 while its crew is on scene at call 1: two ambulances of one squad.
ROWS = """
    Call,Squad,Received,Dispatched,On Scene
    1,R10,1/4/17 14:31,1/4/17 14:32,1/4/17 14:34
    2,R10,1/4/17 14:35,1/4/17 14:36,1/4/17 14:45
"""
ARTEFACTS = ("diversion-unknown-to-control", "unresourced-after-diversion")


def test_each_row_gets_its_stations_resource_for_that_call(tmp_path: Path) -> None:
    """The unit is R10@CALL, one per call, with the station kept as the event's `station`."""
    found = payloads(convert_text(tmp_path, STATION, ROWS))
    units = {(p["id"], p["unit"], p["station"]) for p in found if "unit" in p}
    assert units == {
        ("t:1:dispatch", "R10@1", "R10"),
        ("t:1:on_scene", "R10@1", "R10"),
        ("t:2:dispatch", "R10@2", "R10"),
        ("t:2:on_scene", "R10@2", "R10"),
    }
    assert all("station" not in p for p in found if "unit" not in p)


def _import(tmp_path: Path, mapping: str) -> list[str]:
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    (tmp_path / "calls.csv").write_text(ROWS.replace("    ", "").lstrip(), encoding="utf-8")
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    csv_file, map_file = str(tmp_path / "calls.csv"), str(tmp_path / "map.toml")
    result = CliRunner().invoke(main, [*store, "import-csv", csv_file, "--mapping", map_file])
    assert result.exit_code == 0, result.output
    return store


def _codes(store: list[str]) -> list[str]:
    result = CliRunner().invoke(main, [*store, "findings", "--format", "json"])
    assert result.exit_code == 0, result.output
    return [finding["code"] for finding in json.loads(result.stdout)]


def test_a_squad_read_as_a_vehicle_invents_a_diversion(tmp_path: Path) -> None:
    """The mistake this prevents: read as one vehicle, R10 seems to leave call 1 unasked."""
    codes = _codes(_import(tmp_path, PER_CALL))
    assert set(ARTEFACTS) <= set(codes)


def test_a_squad_read_as_a_station_moves_nowhere(tmp_path: Path) -> None:
    """As a station, R10's two ambulances serve their own calls: no diversion, nobody left."""
    codes = _codes(_import(tmp_path, STATION))
    assert not set(ARTEFACTS) & set(codes)


def test_timeline_names_the_station_the_unit_came_from(tmp_path: Path) -> None:
    """ "a unit from R10 arrived at 1", not "R10@1 arrived at 1" nor the bare station."""
    store = _import(tmp_path, STATION)
    result = CliRunner().invoke(main, [*store, "timeline", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "a unit from R10 allocated to 1" in result.stdout
    assert "a unit from R10 arrived at 1" in result.stdout
