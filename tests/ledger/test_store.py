"""The store: append, read back, idempotence and all-or-nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from ledger.errors import InvalidInput, StoreNotFound
from ledger.inputs.jsonl import open_stream, read_jsonl
from ledger.store.chain import head_of
from ledger.store.ledger import Ledger, decode_all
from ledger.write.importer import import_records
from tests.streams_factory import BASIC, event, write


def _import(url: str, path: Path) -> tuple[int, int]:
    with Ledger.open(url, must_exist=False) as ledger:
        stream, raw = open_stream(path)
        with raw:
            result = import_records(ledger, read_jsonl(stream, str(path)))
    return result.added, result.skipped


def _export(url: str) -> bytes:
    with Ledger.open(url) as ledger:
        return b"".join(stored.line + b"\n" for stored in ledger.lines())


def test_export_of_an_import_imports_back_byte_identical(store_url: str, tmp_path: Path) -> None:
    """export → import → export gives the same bytes, and the same chain head."""
    _import(store_url, write(tmp_path / "in.jsonl", BASIC))
    first = _export(store_url)
    other = f"sqlite:///{tmp_path / 'second.db'}"
    _import(other, write_bytes(tmp_path / "out.jsonl", first))
    assert _export(other) == first
    with Ledger.open(store_url) as a, Ledger.open(other) as b:
        assert a.head() == b.head() == head_of(first.splitlines())


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_every_imported_value_survives_including_unknown_fields(
    store_url: str, tmp_path: Path
) -> None:
    """Unknown top-level and nested fields, offsets and odd characters come back unchanged."""
    odd = event(
        "u-1",
        "CallReceived",
        "2018-05-31T23:54:00.250-05:00",
        incident="CAD-9",
        call="C9",
        channel="101",
        caller={"name": "Zoë “Z” O'Neil", "phone": "+44 7700 900123", "x": [1]},
        force_ref={"system": "STORM", "log": 4417},
        precision="hour",
        lat_lon=None,
    )
    _import(store_url, write(tmp_path / "in.jsonl", [odd]))
    assert json.loads(_export(store_url)) == odd


def test_reimporting_the_same_stream_adds_nothing(store_url: str, tmp_path: Path) -> None:
    """Import is idempotent on id: the second run skips every event."""
    path = write(tmp_path / "in.jsonl", BASIC)
    assert _import(store_url, path) == (len(BASIC), 0)
    assert _import(store_url, path) == (0, len(BASIC))


def test_conflicting_id_rejects_the_whole_import_and_keeps_the_ledger(
    store_url: str, tmp_path: Path
) -> None:
    """Same id, different content: an error, and nothing of that import is written."""
    _import(store_url, write(tmp_path / "in.jsonl", BASIC[:3]))
    before = _export(store_url)
    changed = [*BASIC[3:], {**BASIC[1], "grade": "I"}]
    with pytest.raises(InvalidInput) as raised:
        _import(store_url, write(tmp_path / "second.jsonl", changed))
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'second.jsonl'}:5: id: 'b-02' is already recorded with different content "
        "(to change a recorded event, add an EventCorrected)"
    ]
    assert _export(store_url) == before


def test_one_bad_line_in_a_large_file_writes_nothing(store_url: str, tmp_path: Path) -> None:
    """All or nothing: 5,000 good lines and one bad one leave the ledger as it was."""
    good = [
        event(f"g-{n}", "IncidentNoted", "2018-06-01T00:00:00Z", incident=f"CAD-{n % 7}", text="x")
        for n in range(5000)
    ]
    good.insert(4321, {"id": "bad", "type": "IncidentNoted", "at": "2018-06-01T00:00:00"})
    _import(store_url, write(tmp_path / "first.jsonl", BASIC))
    with Ledger.open(store_url) as ledger:
        before = ledger.head()
    with pytest.raises(InvalidInput) as raised:
        _import(store_url, write(tmp_path / "in.jsonl", good))
    assert [(p.line, p.field) for p in raised.value.problems] == [
        (4322, "at"),
        (4322, "incident"),
        (4322, "text"),
    ]
    with Ledger.open(store_url) as ledger:
        assert ledger.head() == before


def test_a_failed_first_import_leaves_no_store_behind(store_url: str, tmp_path: Path) -> None:
    """Nothing written means no ledger: reading afterwards says there is none."""
    with pytest.raises(InvalidInput):
        _import(store_url, write(tmp_path / "bad.jsonl", [{"id": "x", "type": "Nope"}]))
    with pytest.raises(StoreNotFound):
        Ledger.open(store_url)


def test_duplicates_within_one_file_are_skipped_or_rejected(store_url: str, tmp_path: Path) -> None:
    """An identical repeat in the same file is skipped; a different one is a conflict."""
    assert _import(store_url, write(tmp_path / "a.jsonl", [BASIC[0], BASIC[0]])) == (1, 1)
    with pytest.raises(InvalidInput) as raised:
        _import(store_url, write(tmp_path / "b.jsonl", [BASIC[1], {**BASIC[1], "grade": "E"}]))
    assert [(p.line, p.field) for p in raised.value.problems] == [(2, "id")]


def test_correction_may_come_before_its_target_in_the_same_file(
    store_url: str, tmp_path: Path
) -> None:
    """Evidence arrives in any order: a correction may precede the event it corrects."""
    assert _import(store_url, write(tmp_path / "in.jsonl", [BASIC[6], *BASIC[:6]])) == (7, 0)


def test_correction_of_an_unknown_event_or_into_an_invalid_one_is_rejected(
    store_url: str, tmp_path: Path
) -> None:
    """A correction must name a held event, and the corrected event must still be valid."""
    stream = [
        *BASIC[:2],
        event(
            "c-1",
            "EventCorrected",
            "2018-06-02T00:00:00Z",
            corrects="nope",
            changes={"grade": "I"},
            reason="typo",
        ),
        event(
            "c-2",
            "EventCorrected",
            "2018-06-02T00:00:00Z",
            corrects="b-02",
            changes={"grade": 1},
            reason="typo",
        ),
        event("c-3", "EventRetracted", "2018-06-02T00:00:00Z", retracts="gone", reason="error"),
    ]
    with pytest.raises(InvalidInput) as raised:
        _import(store_url, write(tmp_path / "in.jsonl", stream))
    assert [(p.line, p.field) for p in raised.value.problems] == [
        (3, "corrects"),
        (4, "changes.grade"),
        (5, "retracts"),
    ]


def test_reading_a_store_that_does_not_exist_is_an_error(store_url: str) -> None:
    """Reading never creates an empty ledger."""
    with pytest.raises(StoreNotFound):
        Ledger.open(store_url)


def test_incident_events_come_from_the_index_including_other_streams(
    store_url: str, tmp_path: Path
) -> None:
    """A diversion away from an incident and a call's end (which names no incident) are found."""
    _import(store_url, write(tmp_path / "in.jsonl", BASIC))
    with Ledger.open(store_url) as ledger:
        to_cad2 = [e.id for e in decode_all(ledger.backend.by_refs(["i:CAD-2"]))]
        by_call = [e.id for e in decode_all(ledger.backend.by_refs(["c:C1"]))]
        corrections = [e.id for e in decode_all(ledger.backend.by_refs(["e:b-02"]))]
    assert to_cad2 == ["b-05"]
    assert by_call == ["b-01", "b-06"]
    assert corrections == ["b-07"]


def test_gzip_streams_import_like_plain_ones(store_url: str, tmp_path: Path) -> None:
    """A .jsonl.gz file is read as its plain stream."""
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(gzip.compress(write(tmp_path / "in.jsonl", BASIC).read_bytes()))
    assert _import(store_url, path) == (len(BASIC), 0)


def test_blank_lines_are_ignored_and_numbering_follows_the_file() -> None:
    """Line numbers in reports are the file's own, blank lines included."""
    records = list(read_jsonl(io.BytesIO(b'{"a":1}\n\n  \n{"b":2}\n'), "f"))
    assert [(r.origin, r.line) for r in records] == [("f", 1), ("f", 4)]
