"""The cases where findings used to change with the way they were asked (D1-D6, T1-T2), each
asked every way: stored and computed, one incident or all, in one import or two, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from projections import query
from projections.readmodels import runner

T0 = "2024-05-01T10:00:00+00:00"


def at(minutes: float) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(T0) + timedelta(minutes=minutes)).isoformat()


def _write(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def _run(store_url: str, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--store", store_url, *args])
    assert result.exit_code in (0, 1), result.output
    return result


def _findings(store_url: str, *args: str) -> list[dict[str, Any]]:
    return json.loads(_run(store_url, "findings", "--format", "json", *args).stdout)


def _import(store_url: str, path: Path) -> None:
    result = CliRunner().invoke(main, ["--store", store_url, "import", str(path)])
    assert result.exit_code == 0, result.output


def _codes(found: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(f["code"], f["incident"]) for f in found]


LOOSE = [  # a message about no incident, unacknowledged; a cut-off call not in the ledger
    {
        "id": "l1",
        "type": "RadioTransmission",
        "at": at(0),
        "transmission": "TX1",
        "from": "control",
        "to": "K9",
        "message": "all units: road closed",
    },
    {"id": "l2", "type": "CallEnded", "at": at(1), "call": "nowhere", "how": "line-dropped"},
    {
        "id": "l3",
        "type": "CallReceived",
        "at": at(30),
        "incident": "A",
        "call": "c1",
        "channel": "999",
    },
]


def test_findings_of_no_incident_are_in_every_unfiltered_answer(
    store_url: str, tmp_path: Path
) -> None:
    """D1: --at, --as-known-at and --policy (even a copy of the default) keep them."""
    _import(store_url, _write(tmp_path / "s.jsonl", LOOSE))
    copy = tmp_path / "policy.toml"
    copy.write_text(
        (Path(__file__).parents[2] / "projections/analysis/default_policy.toml").read_text()
    )
    expected = [("transmission-unacknowledged", None), ("call-cut-off-without-callback", None)]
    assert _codes(_findings(store_url)) == expected
    assert _codes(_findings(store_url, "--policy", str(copy))) == expected
    assert _codes(_findings(store_url, "--at", at(30))) == expected
    assert _codes(_findings(store_url, "--as-known-at", at(30))) == expected
    assert _findings(store_url, "A") == []


def _turns_up_elsewhere() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """K1 is allocated to A, then turns up at B and says so, logged under B; the
    acknowledgement comes in the second import."""
    first = [
        {
            "id": "a1",
            "type": "CallReceived",
            "at": at(0),
            "incident": "A",
            "call": "ca",
            "channel": "999",
        },
        {"id": "a2", "type": "UnitAllocated", "at": at(1), "incident": "A", "unit": "K1"},
        {
            "id": "b1",
            "type": "CallReceived",
            "at": at(5),
            "incident": "B",
            "call": "cb",
            "channel": "999",
        },
        {
            "id": "b2",
            "type": "RadioTransmission",
            "at": at(10),
            "transmission": "TXB",
            "from": "K1",
            "to": "control",
            "incident": "B",
            "message": "K1 attending B",
        },
        {"id": "b3", "type": "UnitArrived", "at": at(10), "incident": "B", "unit": "K1"},
    ]
    later = [{"id": "b4", "type": "RadioAcknowledged", "at": at(11), "transmission": "TXB"}]
    return first, later


@pytest.mark.parametrize("chunk", [1, 300])
def test_a_unit_that_tells_control_it_went_elsewhere_is_no_unknown_diversion(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """D2: asked for A alone or for all, with the ack in a later import, and with A and B in
    different catch-up chunks: no diversion-unknown-to-control."""
    monkeypatch.setattr(runner, "CHUNK", chunk)
    monkeypatch.setattr(query, "CHUNK", chunk)
    first, later = _turns_up_elsewhere()
    _import(store_url, _write(tmp_path / "1.jsonl", first))
    _import(store_url, _write(tmp_path / "2.jsonl", later))
    for found in (
        _findings(store_url),
        _findings(store_url, "A"),
        _findings(store_url, "--at", at(60)),
    ):
        assert "diversion-unknown-to-control" not in {f["code"] for f in found}


def test_a_unit_seen_elsewhere_days_later_has_left(store_url: str, tmp_path: Path) -> None:
    """D3: allocated to A, then (another import) arriving at B two days later: A lost it."""
    _import(
        store_url,
        _write(
            tmp_path / "1.jsonl",
            [
                {
                    "id": "a1",
                    "type": "CallReceived",
                    "at": at(0),
                    "incident": "A",
                    "call": "ca",
                    "channel": "999",
                },
                {"id": "a2", "type": "UnitAllocated", "at": at(1), "incident": "A", "unit": "K7"},
            ],
        ),
    )
    _import(
        store_url,
        _write(
            tmp_path / "2.jsonl",
            [
                {
                    "id": "b1",
                    "type": "UnitArrived",
                    "at": at(2 * 24 * 60),
                    "incident": "B",
                    "unit": "K7",
                },
                # Something a day later: the ledger's clock has passed the grace.
                {
                    "id": "c1",
                    "type": "IncidentNoted",
                    "at": at(3 * 24 * 60),
                    "incident": "C",
                    "text": "-",
                },
            ],
        ),
    )
    stored = _codes(_findings(store_url, "A"))
    assert ("unresourced-after-diversion", "A") in stored
    assert ("diversion-unknown-to-control", "A") in stored
    assert _findings(store_url, "A") == _findings(store_url, "A", "--at", at(3 * 24 * 60))


def test_a_late_acknowledgement_of_a_message_about_no_incident_ends_it(
    store_url: str, tmp_path: Path
) -> None:
    """D4: the stored finding ends at the acknowledgement that came in a later import."""
    _import(store_url, _write(tmp_path / "1.jsonl", LOOSE[:1] + LOOSE[2:]))
    assert _findings(store_url)[0]["end"] is None
    _import(
        store_url,
        _write(
            tmp_path / "2.jsonl",
            [
                {"id": "l9", "type": "RadioAcknowledged", "at": at(9), "transmission": "TX1"},
            ],
        ),
    )
    [finding] = _findings(store_url)
    assert (finding["code"], finding["end"]) == ("transmission-unacknowledged", at(9))
    assert finding["evidence"] == ["l1", "l9"]


def test_a_corrected_phone_matches_markers_and_earlier_calls(
    store_url: str, tmp_path: Path
) -> None:
    """D5: corrected in a later import, the number matches as if recorded that way."""
    _import(
        store_url,
        _write(
            tmp_path / "1.jsonl",
            [
                {
                    "id": "m1",
                    "type": "MarkerRemoved",
                    "at": at(-60),
                    "subject": {"kind": "phone", "key": "07700 900222"},
                    "marker": "domestic-abuse-priority",
                },
                {
                    "id": "p1",
                    "type": "CallReceived",
                    "at": at(0),
                    "incident": "P",
                    "call": "cp",
                    "channel": "999",
                    "caller": {"phone": "07700 900222"},
                },
                {
                    "id": "q1",
                    "type": "CallReceived",
                    "at": at(60),
                    "incident": "Q",
                    "call": "cq",
                    "channel": "999",
                    "caller": {"phone": "07700 900111"},
                },
            ],
        ),
    )
    assert {f["incident"] for f in _findings(store_url)} == {"P"}
    _import(
        store_url,
        _write(
            tmp_path / "2.jsonl",
            [
                {
                    "id": "fix",
                    "type": "EventCorrected",
                    "at": at(90),
                    "corrects": "q1",
                    "changes": {"caller.phone": "+44 7700 900222"},
                    "reason": "misheard",
                },
            ],
        ),
    )
    q = _codes(_findings(store_url, "Q"))
    assert ("marker-removed-before-call", "Q") in q
    assert ("repeat-contact-not-linked", "Q") in q
    assert _findings(store_url, "Q") == _findings(store_url, "Q", "--at", at(200))


def test_an_empty_list_of_domestic_terms_matches_nothing(store_url: str, tmp_path: Path) -> None:
    """D6: `domestic_terms = []` raises no possible-domestic-not-flagged."""
    _import(
        store_url,
        _write(
            tmp_path / "s.jsonl",
            [
                {
                    "id": "d1",
                    "type": "CallReceived",
                    "at": at(0),
                    "incident": "D",
                    "call": "cd",
                    "channel": "999",
                    "summary": "her ex-partner is outside",
                },
            ],
        ),
    )
    policy = tmp_path / "p.toml"
    policy.write_text("[rules]\ndomestic_terms = []\n")
    assert _findings(store_url, "--at", at(60)) != []
    assert _findings(store_url, "--at", at(60), "--policy", str(policy)) == []


def _timeline(store_url: str, incident: str, *args: str) -> list[dict[str, Any]]:
    return json.loads(_run(store_url, "timeline", incident, "--format", "json", *args).stdout)


def test_a_timeline_holds_the_same_events_however_it_is_asked(
    store_url: str, tmp_path: Path
) -> None:
    """T1/T2: under --at and --as-known-at, no other incident's allocation of a unit that
    once served it, and every field as imported (`+00:00` stays `+00:00`)."""
    first, later = _turns_up_elsewhere()
    _import(store_url, _write(tmp_path / "s.jsonl", first + later))
    stored = _timeline(store_url, "A")
    assert [e["id"] for e in stored] == ["a1", "a2"]
    assert stored[0]["at"] == at(0)
    assert stored[0]["at"].endswith("+00:00")
    assert _timeline(store_url, "A", "--at", at(60)) == stored
    assert _timeline(store_url, "A", "--as-known-at", at(60)) == stored
