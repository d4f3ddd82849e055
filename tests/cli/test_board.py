"""`ledger board`: why no one was free, on a night when every unit was committed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import REPO, imported, ok, write_stream

NIGHT = REPO / "examples" / "night-all-units-committed.jsonl"


@pytest.fixture
def store(store_url: str) -> list[str]:
    """The night of the example stream, on each backend."""
    return imported(store_url, NIGHT)


def _board(store: list[str], *args: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(units by name, incidents by name) of `ledger board ARGS --format json`."""
    records = json.loads(ok(*store, "board", *args, "--format", "json").out)
    units = {r["unit"]: r for r in records if r["kind"] == "unit"}
    incidents = {r["incident"]: r for r in records if r["kind"] == "incident"}
    return units, incidents


def test_every_unit_committed_while_an_emergency_call_waits(store: list[str]) -> None:
    """At 23:40 K1, K2 and K3 are all at scene, and INC-D has waited 20 min with none."""
    units, incidents = _board(store, "--at", "2024-01-13T23:40:00+00:00")
    assert {u: (r["status"], r["incident"]) for u, r in units.items()} == {
        "K1": ("at-scene", "INC-A"),
        "K2": ("at-scene", "INC-B"),
        "K3": ("at-scene", "INC-B"),
    }
    waiting = incidents["INC-D"]
    assert (waiting["status"], waiting["grade"], waiting["units"]) == ("waiting", "I", [])
    assert (waiting["seconds_since_call"], waiting["seconds_left"]) == (1200, -300)
    assert waiting["deadline"] == "2024-01-13T23:35:00+00:00"


def test_open_incidents_come_most_urgent_first(store: list[str]) -> None:
    """The missed emergency first, then the one with time left, then those attended."""
    _, incidents = _board(store, "--at", "2024-01-13T23:40:00+00:00")
    assert list(incidents) == ["INC-D", "INC-C", "INC-A", "INC-B"]


def test_a_unit_diverted_away_is_committed_elsewhere(store: list[str]) -> None:
    """INC-C's only unit was sent to the collision: INC-C waits, K3 is held by INC-B."""
    units, incidents = _board(store, "--at", "2024-01-13T23:40:00+00:00")
    assert incidents["INC-C"]["units"] == [
        {"unit": "K3", "status": "committed-elsewhere", "elsewhere": "INC-B"}
    ]
    assert incidents["INC-C"]["status"] == "waiting"
    assert units["K3"]["since"] == "2024-01-13T23:18:00+00:00"
    assert units["K3"]["since_event"] == "c5"


def test_as_known_at_shows_what_the_screen_could_show(store: list[str]) -> None:
    """The diversion was typed in at 23:40: at 23:35 the screen still had K3 on INC-C."""
    units, incidents = _board(store, "--as-known-at", "2024-01-13T23:35:00+00:00")
    assert (units["K3"]["status"], units["K3"]["incident"]) == ("en-route", "INC-C")
    assert incidents["INC-C"]["status"] == "en-route"


def test_a_unit_cleared_from_a_closed_incident_is_free(store: list[str]) -> None:
    """After the collision is closed K2 is free, released by its clearance."""
    units, incidents = _board(store, "--at", "2024-01-14T00:40:00+00:00")
    assert (units["K2"]["status"], units["K2"]["incident"]) == ("free", "INC-B")
    assert units["K2"]["since_event"] == "b6"
    assert (units["K3"]["status"], units["K3"]["incident"]) == ("allocated", "INC-C")
    assert "INC-B" not in incidents


def test_a_retracted_closing_keeps_the_incident_on_the_board(
    store_url: str, tmp_path: Path
) -> None:
    """A closing retracted later never closed the incident: its unit is still held."""
    lines = NIGHT.read_text(encoding="utf-8").splitlines()
    retraction = {
        "id": "r1",
        "type": "EventRetracted",
        "at": "2024-01-14T02:00:00+00:00",
        "retracts": "b8",
        "reason": "closed on the wrong log",
    }
    events = [json.loads(line) for line in lines if '"b6"' not in line]
    store = imported(store_url, write_stream(tmp_path / "night.jsonl", [*events, retraction]))
    units, incidents = _board(store, "--at", "2024-01-14T00:40:00+00:00")
    assert (units["K2"]["status"], units["K2"]["incident"]) == ("at-scene", "INC-B")
    assert "INC-B" in incidents


def test_lookback_leaves_out_incidents_quiet_for_longer(store: list[str]) -> None:
    """With ten minutes' lookback at 23:40, INC-A (quiet since 22:50) is not on the board."""
    units, incidents = _board(store, "--at", "2024-01-13T23:40:00+00:00", "--lookback", "PT10M")
    assert "INC-A" not in incidents
    assert "K1" not in units
    assert "INC-D" in incidents


def test_area_keeps_the_incidents_at_matching_addresses(store: list[str]) -> None:
    """`--area "cliff road"` is INC-D and the unit it holds."""
    units, incidents = _board(store, "--at", "2024-01-14T00:10:00+00:00", "--area", "CLIFF RD")
    assert (list(units), list(incidents)) == ([], [])
    units, incidents = _board(store, "--at", "2024-01-14T00:10:00+00:00", "--area", "Cliff Road")
    assert (list(units), list(incidents)) == (["K1"], ["INC-D"])


def test_table_states_clock_policy_and_what_it_counted(store: list[str]) -> None:
    """The people's board says what it rests on, then the units, then the incidents."""
    ran = ok(*store, "board", "--at", "2024-01-13T23:40")
    lines = ran.out.splitlines()
    assert lines[0] == "Units at 2024-01-13 23:40 +00:00"
    assert lines[1].startswith("clock 2024-01-13 23:40:00 +00:00 (--at) · policy built-in")
    assert lines[2].startswith("3 units: 3 committed, 0 free · 4 incidents open, 2 with no unit")
    assert "every unit was committed while 2 incidents waited with none: INC-D, INC-C" in lines
    assert "-5 min (missed)" in ran.out
    assert "K3 committed elsewhere" in ran.out


def test_html_draws_the_board_on_one_page(store: list[str]) -> None:
    """One self-contained page: no script, both tables, the waiting incidents marked."""
    page = ok(*store, "board", "--at", "2024-01-13T23:40", "--format", "html").out
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert 'http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;' in page
    assert page.count('<span class="badge sev-high">waiting</span>') == 2
    assert "K3 committed elsewhere (INC-B)" in page


def test_a_policy_with_other_targets_moves_the_deadlines(store: list[str], tmp_path: Path) -> None:
    """With a 30-minute target for grade I, INC-D still has ten minutes at 23:40."""
    policy = tmp_path / "policy.toml"
    policy.write_text('[grades]\nI = "PT30M"\nS = "PT60M"\nE = "none"\nR = "none"\n')
    _, incidents = _board(store, "--at", "2024-01-13T23:40:00+00:00", "--policy", str(policy))
    assert incidents["INC-D"]["seconds_left"] == 600


def test_the_screen_showed_a_unit_that_had_already_left(store_url: str) -> None:
    """Seed case at 00:30: the screen had CS41 on her call; it had gone elsewhere at 00:15."""
    store = imported(store_url, REPO / "examples" / "iopc-2018-104370.jsonl")
    incident = "MPS-2018-0531-8842"
    units, incidents = _board(store, "--as-known-at", "2018-06-01T00:30:00+01:00")
    assert (units["CS41"]["status"], units["CS41"]["incident"]) == ("allocated", incident)
    assert incidents[incident]["status"] == "allocated"
    units, incidents = _board(store, "--at", "2018-06-01T00:30:00+01:00")
    assert (units["CS41"]["incident"], units["CS41"]["since_event"]) == (
        "MPS-2018-0601-0102",
        "mps-e16",
    )
    assert incidents[incident]["status"] == "waiting"
    assert incidents[incident]["units"] == [
        {"unit": "CS41", "status": "committed-elsewhere", "elsewhere": "MPS-2018-0601-0102"}
    ]
