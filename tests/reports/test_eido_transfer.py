"""A hand-over between forces in EIDO (the C1 stream): both incidents' series conform to
021.1b, the sender's names the receiving agency as the owner and links the receiving incident,
the receiver's links back, and what was passed on travels as a note."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.reports.eido_schema import schema_errors, undefined_names
from tests.reports.support import run, seeded

C1 = Path(__file__).resolve().parents[1] / "streams" / "joanna-michael-2009"
SENDER, RECEIVER = "GW-2009-0805-01", "SWP-2009-0805-01"
SWP = "south-wales-police.agencies.incident-ledger.invalid"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path, C1 / "joanna-michael-2009.jsonl")


def _eidos(store: Path, incident: str) -> list[dict[str, Any]]:
    result = run(store, "export", "--format", "eido", "--incident", incident)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("incident", [SENDER, RECEIVER])
def test_every_eido_of_a_hand_over_conforms_to_021_1b(store: Path, incident: str) -> None:
    """Each EIDO of both incidents validates and uses only names the schema defines."""
    documents = _eidos(store, incident)
    assert documents
    for document in documents:
        assert schema_errors(document) == []
        assert undefined_names(document) == []


def test_the_senders_eido_hands_ownership_to_the_receiving_agency(store: Path) -> None:
    """From the transfer on: two agencies, the receiver owning; a link naming it involved."""
    documents = _eidos(store, SENDER)
    before = [d for d in documents if "linkComponent" not in d]
    assert [len(d["agencyComponent"]) for d in before] == [1] * len(before)
    last = documents[-1]
    owners = {a["$id"]: a["incidentOwningAgencyIndicator"] for a in last["agencyComponent"]}
    assert owners == {"control-room.incident-ledger.invalid": False, SWP: True}
    [link] = last["linkComponent"]
    assert link["incidentTrackingIdentifier"].startswith(
        f"urn:emergency:uid:incidentid:{RECEIVER}:"
    )
    assert (link["transactionReasonText"], link["involvedAgencyReference"]) == (
        "transfer",
        {"$ref": SWP},
    )
    texts = [n["notesActionComments"] for n in last["notesComponent"]]
    assert any(
        t.startswith("Transferred to South Wales Police (SWP-2009-0805-01): Her") for t in texts
    )


def test_the_receivers_eido_links_back_to_the_sender(store: Path) -> None:
    """The receiving incident keeps ownership and links the sender, with no other agency."""
    last = _eidos(store, RECEIVER)[-1]
    [link] = last["linkComponent"]
    assert link["incidentTrackingIdentifier"].startswith(f"urn:emergency:uid:incidentid:{SENDER}:")
    assert "involvedAgencyReference" not in link
    assert [a["incidentOwningAgencyIndicator"] for a in last["agencyComponent"]] == [True]
