"""A hand-over between two incidents of one ledger, asked every way (findings.md ruling 1).

The receiver's response target runs from the sender's first call, and the sender's transfer is
judged against the receiver's first grading: each incident's findings rest on the other's
events. Imported in pieces in any order, the stored answer must equal the one computed at the
same clock, the per-incident answers, and a single import; on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from projections.readmodels import runner
from tests.properties.test_asked_every_way import _codes, _findings, _import, _write, at

SENDER = [  # A: the first call, with a risk word, graded I; closed once handed on
    {
        "id": "a1",
        "type": "CallReceived",
        "at": at(0),
        "incident": "A",
        "call": "c1",
        "channel": "999",
        "summary": "he said he would come back to kill her",
    },
    {"id": "a2", "type": "IncidentGraded", "at": at(1), "incident": "A", "grade": "I"},
    {"id": "a3", "type": "IncidentClosed", "at": at(4), "incident": "A", "outcome": "transferred"},
]
TRANSFER = [
    {
        "id": "t1",
        "type": "IncidentTransferred",
        "at": at(2),
        "incident": "A",
        "to_agency": "Other Force",
        "to_incident": "B",
        "summary": "ex-partner came round",
    }
]
RECEIVER = [  # B: graded S on receipt, its own call later, regraded I, arrival at 20
    {"id": "b1", "type": "IncidentGraded", "at": at(3), "incident": "B", "grade": "S"},
    {
        "id": "b2",
        "type": "CallReceived",
        "at": at(10),
        "incident": "B",
        "call": "c2",
        "channel": "999",
    },
    {"id": "b3", "type": "IncidentGraded", "at": at(10), "incident": "B", "grade": "I"},
    {"id": "b4", "type": "UnitArrived", "at": at(20), "incident": "B", "unit": "K1"},
]
PIECES = {"sender": SENDER, "transfer": TRANSFER, "receiver": RECEIVER}
EXPECTED = [
    ("transfer-urgency-lost", "A"),
    ("transfer-facts-lost", "A"),
    ("response-target-missed", "B"),
]


@pytest.fixture(autouse=True)
def incremental(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import after the first caught up incrementally, never rebuilt from nothing: the
    recomputation must find, through the index, the other incident of each transfer."""
    monkeypatch.setattr(runner, "BULK_SHARE", 1.0)


@pytest.mark.parametrize(
    "order",
    [
        ("sender", "transfer", "receiver"),
        ("receiver", "transfer", "sender"),
        ("transfer", "receiver", "sender"),
        ("receiver", "sender", "transfer"),
    ],
)
def test_a_transfer_gives_one_answer_however_it_is_imported_and_asked(
    store_url: str, tmp_path: Path, order: tuple[str, ...]
) -> None:
    """Each piece imported on its own, in this order: the same findings every way."""
    for n, name in enumerate(order):
        _import(store_url, _write(tmp_path / f"{n}-{name}.jsonl", PIECES[name]))
    stored = _findings(store_url)
    assert sorted(_codes(stored)) == sorted(EXPECTED)
    assert _findings(store_url, "--at", at(20)) == stored
    per_incident: list[dict[str, Any]] = _findings(store_url, "A") + _findings(store_url, "B")
    assert sorted(map(repr, per_incident)) == sorted(map(repr, stored))
    [target] = [f for f in stored if f["code"] == "response-target-missed"]
    assert (target["start"], target["evidence"]) == (at(15), ["a1", "b3", "b4"])


def test_a_retracted_transfer_unlinks_both_incidents(store_url: str, tmp_path: Path) -> None:
    """Retract the transfer afterwards: both incidents recompute. Its findings go, B's target
    runs from its own call (met), and A, closed unattended, was handed on to nobody."""
    _import(store_url, _write(tmp_path / "all.jsonl", SENDER + TRANSFER + RECEIVER))
    void = {"id": "v1", "type": "EventRetracted", "at": at(30), "retracts": "t1", "reason": "x"}
    _import(store_url, _write(tmp_path / "void.jsonl", [void]))
    stored = _findings(store_url)
    assert _codes(stored) == [("closed-without-attendance", "A")]
    assert _findings(store_url, "--at", at(30)) == stored
