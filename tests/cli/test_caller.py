"""`ledger caller`: a repeat victim's calls, markers and findings, one command away."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import imported, ok, write_stream

PHONE = "07700 900555"


def _call(n: int, at: str, phone: str, address: str, **more: Any) -> list[dict[str, Any]]:
    incident = f"INC-{n}"
    return [
        {
            "id": f"c{n}",
            "type": "CallReceived",
            "at": at,
            "incident": incident,
            "call": f"call-{n}",
            "channel": "999",
            "caller": {"name": "Ms B", "phone": phone, "relation": "victim"},
            "location": {"address": address},
            **more,
        },
        {"id": f"g{n}", "type": "IncidentGraded", "at": at, "incident": incident, "grade": "S"},
    ]


def _stream() -> list[dict[str, Any]]:
    """Four calls from one woman, the number written three ways; one from a neighbour."""
    return [
        {
            "id": "m1",
            "type": "MarkerAdded",
            "at": "2024-01-01T00:00:00+00:00",
            "subject": {"kind": "phone", "key": "+447700900555"},
            "marker": "domestic-abuse-priority",
            "reason": "repeat victim",
        },
        *_call(1, "2024-03-01T10:00:00+00:00", PHONE, "1 Elm Close"),
        {
            "id": "x1",
            "type": "IncidentClosed",
            "at": "2024-03-01T11:00:00+00:00",
            "incident": "INC-1",
            "outcome": "advice given",
        },
        *_call(2, "2024-03-03T10:00:00+00:00", "+44 7700 900555", "1, ELM CLOSE."),
        {
            "id": "m2",
            "type": "MarkerRemoved",
            "at": "2024-03-04T00:00:00+00:00",
            "subject": {"kind": "phone", "key": "07700900555"},
            "marker": "domestic-abuse-priority",
            "reason": "review",
        },
        *_call(3, "2024-03-05T10:00:00+00:00", "07700 900999", "1 Elm Close"),
        *_call(4, "2024-03-06T10:00:00+00:00", "07700 111111", "9 High Street"),
        {
            "id": "fix4",
            "type": "EventCorrected",
            "at": "2024-03-07T09:00:00+00:00",
            "corrects": "c4",
            "changes": {"caller.phone": "0044 7700 900555"},
            "reason": "number misheard",
        },
    ]


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> list[str]:
    """The repeat victim's ledger, on each backend."""
    return imported(store_url, write_stream(tmp_path / "calls.jsonl", _stream()), zone="UTC")


def _json(store: list[str], *args: str) -> list[dict[str, Any]]:
    ran = ok(*store, "caller", *args, "--format", "json")
    result: list[dict[str, Any]] = json.loads(ran.out)
    return result


def test_every_call_from_a_number_is_found_however_it_was_written(store: list[str]) -> None:
    """+44, 0044 and spaced national forms are one number; a corrected number counts."""
    calls = [r for r in _json(store, "07700900555") if r["kind"] == "call"]
    assert [r["incident"] for r in calls] == ["INC-1", "INC-2", "INC-4"]
    assert [r["seconds_since_previous_call"] for r in calls] == [None, 172800, 259200]
    assert calls[2]["corrected_by"] == ["fix4"]
    assert (calls[0]["outcome"], calls[0]["status"]) == ("advice given", "closed")
    assert (calls[1]["grade"], calls[1]["status"]) == ("S", "open")


def test_markers_placed_and_removed_on_the_number_are_in_time_order(store: list[str]) -> None:
    """The priority marker's placing and its removal sit between the calls they came between."""
    kinds = [(r["kind"], r.get("action"), r.get("incident")) for r in _json(store, PHONE)]
    assert [k for k in kinds if k[0] != "finding"] == [
        ("marker", "placed", None),
        ("call", None, "INC-1"),
        ("call", None, "INC-2"),
        ("marker", "removed", None),
        ("call", None, "INC-4"),
    ]


def test_an_address_matches_with_case_and_punctuation_folded(store: list[str]) -> None:
    """Three calls at 1 Elm Close, one of them from a neighbour's phone."""
    calls = [r for r in _json(store, "1 elm close") if r["kind"] == "call"]
    assert [(r["incident"], r["matched"]) for r in calls] == [
        ("INC-1", ["address"]),
        ("INC-2", ["address"]),
        ("INC-3", ["address"]),
    ]


def test_the_callers_incidents_bring_their_findings(store: list[str]) -> None:
    """Unlinked repeat calls are findings of the later incidents, listed with the calls."""
    found = [(r["code"], r["incident"]) for r in _json(store, PHONE) if r["kind"] == "finding"]
    assert ("repeat-contact-not-linked", "INC-2") in found
    assert ("marker-removed-before-call", "INC-4") in found


def test_as_known_at_leaves_out_what_was_corrected_later(store: list[str]) -> None:
    """Before the correction the fourth call was from another number."""
    calls = _json(store, PHONE, "--as-known-at", "2024-03-06T12:00:00+00:00")
    assert [r["incident"] for r in calls if r["kind"] == "call"] == ["INC-1", "INC-2"]


def test_table_states_its_clock_policy_and_how_the_contact_was_read(store: list[str]) -> None:
    """The people's table says what it rests on and how the text was matched."""
    ran = ok(*store, "caller", PHONE, "--at", "2024-03-05T00:00:00+00:00")
    lines = ran.out.splitlines()
    assert lines[0] == f"Contacts: {PHONE}"
    assert lines[1].startswith("clock 2024-03-05 00:00:00 +00:00 (--at) · policy built-in")
    assert lines[2] == "matched as phone '07700900555': 2 calls, 2 incidents"
    assert "2 d" in ran.out  # the gap between the two calls


def test_csv_carries_instants_and_precision(store: list[str]) -> None:
    """A sheet row per entry: ISO instant, precision, seconds since the previous call."""
    ran = ok(*store, "caller", PHONE, "--kind", "phone", "--format", "csv")
    header, *rows = ran.out.splitlines()
    assert header.startswith("kind,at,precision,uncertainty,event,incident,seconds_since")
    assert "call,2024-03-03T10:00:00+00:00,second,,c2,INC-2,172800," in ran.out
    assert len(rows) >= 5


def test_a_contact_with_no_calls_says_so(store: list[str]) -> None:
    """Nothing matching is an empty answer, not an error."""
    ran = ok(*store, "caller", "Nobody At All")
    assert "0 calls, 0 incidents" in ran.out
    assert "no calls or markers match" in ran.err


def test_a_name_matches_every_call_by_that_caller_however_typed(store: list[str]) -> None:
    """`--kind name` folds case and punctuation: "MS. B" is Ms B, from every number."""
    calls = [r for r in _json(store, "MS. B", "--kind", "name") if r["kind"] == "call"]
    assert [r["incident"] for r in calls] == ["INC-1", "INC-2", "INC-3", "INC-4"]
    assert {tuple(r["matched"]) for r in calls} == {("name",)}


def test_dozens_of_calls_from_one_number_come_back_in_order_with_their_gaps(
    store_url: str, tmp_path: Path
) -> None:
    """A repeat victim who called thirty times, every other day: one command lists them all."""
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    events = [
        event
        for n in range(30)
        for event in _call(n, (start + timedelta(days=2 * n)).isoformat(), PHONE, "3 Elm Close")
    ]
    store = imported(store_url, write_stream(tmp_path / "many.jsonl", events), zone="UTC")
    calls = [r for r in _json(store, PHONE) if r["kind"] == "call"]
    assert len(calls) == 30
    assert [r["seconds_since_previous_call"] for r in calls] == [None] + [172800] * 29
