"""The reference index: times on every reference, corrections filed under corrected values,
and stores of the older format upgraded when first opened (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from ledger.errors import InvalidInput
from ledger.inputs.jsonl import read_jsonl
from ledger.store.ledger import Ledger
from ledger.store.micros import EARLIEST, LATEST, instant
from ledger.write.importer import import_records

CALL = {
    "id": "c-1",
    "type": "CallReceived",
    "at": "2018-05-31T23:54:00+01:00",
    "incident": "A",
    "call": "c1",
    "channel": "999",
    "caller": {"name": "Jo", "phone": "07700 900001"},
}
UNIT_1 = {
    "id": "u-1",
    "type": "UnitAllocated",
    "at": "2018-06-01T00:05:00+01:00",
    "incident": "A",
    "unit": "CS41",
}
UNIT_2 = {
    "id": "u-2",
    "type": "UnitAllocated",
    "at": "2018-06-03T09:00:00+01:00",
    "incident": "B",
    "unit": "CS41",
}


def _import(url: str, *events: dict[str, Any]) -> None:
    data = b"\n".join(json.dumps(e).encode() for e in events) + b"\n"
    with Ledger.open(url, must_exist=False) as ledger:
        import_records(ledger, read_jsonl(io.BytesIO(data), "in.jsonl"))


def _ids(lines: list[Any]) -> list[str]:
    return [line.event_id for line in lines]


def test_a_units_events_are_found_over_a_stretch_of_time(store_url: str) -> None:
    """`u:UNIT` over [lo, hi] finds the unit's events in that stretch and none outside it."""
    _import(store_url, CALL, UNIT_1, UNIT_2)
    with Ledger.open(store_url) as ledger:
        backend = ledger.backend
        assert _ids(backend.by_windows([("u:CS41", EARLIEST, LATEST)])) == ["u-1", "u-2"]
        first_day = instant(ledger_time("2018-06-01T23:59:59+01:00"))
        assert _ids(backend.by_windows([("u:CS41", EARLIEST, first_day)])) == ["u-1"]


def test_the_next_move_of_a_unit_is_one_probe_however_far_ahead(store_url: str) -> None:
    """`m:UNIT` after an instant gives the unit's next commitment, days later."""
    _import(store_url, CALL, UNIT_1, UNIT_2)
    after = instant(ledger_time("2018-06-01T00:05:00+01:00"))
    with Ledger.open(store_url) as ledger:
        found = ledger.backend.next_after([("m:CS41", after)])
    assert found == {("m:CS41", after): instant(ledger_time("2018-06-03T09:00:00+01:00"))}


def test_a_correction_is_filed_under_the_corrected_phone(store_url: str) -> None:
    """A corrected phone number finds the correction (ruling 5: corrected values indexed)."""
    fix = {
        "id": "fix-1",
        "type": "EventCorrected",
        "at": "2018-06-02T10:00:00+01:00",
        "corrects": "c-1",
        "changes": {"caller.phone": "07700 900999"},
        "reason": "misheard",
    }
    _import(store_url, CALL)
    _import(store_url, fix)
    with Ledger.open(store_url) as ledger:
        assert _ids(ledger.backend.by_refs(["kc:p:900999"])) == ["fix-1"]
        # ...and under the old number too: whatever rested on it must be found again.
        assert _ids(ledger.backend.by_refs(["kc:p:900001"])) == ["c-1", "fix-1"]
        assert _ids(ledger.backend.by_refs(["i:A"])) == ["c-1", "fix-1"]


def test_a_correction_naming_no_field_of_its_event_is_refused(store_url: str) -> None:
    """A change key that is no field of the event type, top-level or nested, is refused."""
    _import(store_url, CALL)
    bad = {
        "id": "fix-2",
        "type": "EventCorrected",
        "at": "2018-06-02T10:00:00+01:00",
        "corrects": "c-1",
        "changes": {"caller.fone": "07700 900999", "colour": "red"},
        "reason": "typo",
    }
    with pytest.raises(InvalidInput) as refused:
        _import(store_url, bad)
    reasons = sorted(str(problem) for problem in refused.value.problems)
    assert reasons == [
        "in.jsonl:1: changes.caller.fone: CallReceived has no field 'caller.fone'",
        "in.jsonl:1: changes.colour: CallReceived has no field 'colour'",
    ]


def test_a_store_of_the_older_format_is_upgraded_when_opened(store_url: str) -> None:
    """A store whose index has no times (format 1) gets the current index on first open."""
    _import(store_url, CALL, UNIT_1, UNIT_2)
    with Ledger.open(store_url) as ledger, ledger.backend.connection() as cursor:
        cursor.execute("DROP TABLE ledger_index")
        cursor.execute(
            "CREATE TABLE ledger_refs (ref TEXT NOT NULL, notification_id BIGINT NOT NULL, "
            "PRIMARY KEY (ref, notification_id))"
        )
    with Ledger.open(store_url) as ledger:
        assert not ledger.backend.index_outdated()
        assert _ids(ledger.backend.by_windows([("u:CS41", EARLIEST, LATEST)])) == ["u-1", "u-2"]


def ledger_time(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)
