"""Checking a bundle: its files against the manifest, its proofs and signatures, the ledger.

A ledger that has only grown since the export still holds the bundle (exit 0, said so); a
ledger whose first events no longer chain to the manifest's head does not, and each exported
event it no longer holds as exported is named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ledger.keys import PublicKey
from ledger.store.chain import head_of, parse
from ledger.store.ledger import Ledger
from projections.exports.bundle import MANIFEST
from projections.exports.evidence import SIGNATURE, check_evidence, consistency_note
from projections.exports.render import FILES


@dataclass
class BundleCheck:
    problems: list[str] = field(default_factory=list)
    files: int = 0
    head: str = ""
    events: int = 0
    ledger_checked: bool = False
    notes: list[str] = field(default_factory=list)  # what holds, beyond the files
    signed_by: str | None = None  # the key id whose signature over the manifest holds
    proved: int = 0  # events shown to be in the signed checkpoint

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(
    directory: Path, ledger: Ledger | None, keys: Sequence[PublicKey] = ()
) -> BundleCheck:
    """Every difference between the bundle, its manifest, its proofs, (with `keys`) its
    signatures and (when given) the ledger."""
    check = BundleCheck()
    try:
        raw = (directory / MANIFEST).read_bytes()
        body = json.loads(raw)
        listed = {item["name"]: item for item in body["files"]}
        check.head, check.events = body["ledger"]["chain_head"], int(body["ledger"]["events"])
        whole = bool(body["selection"]["whole_ledger"]) and body.get("redaction") is None
    except FileNotFoundError:
        check.problems.append(f"{MANIFEST}: missing")
        return check
    except (OSError, ValueError, KeyError, TypeError) as error:
        check.problems.append(f"{MANIFEST}: cannot be read ({error})")
        return check
    present = sorted(p.name for p in directory.iterdir() if p.name not in (MANIFEST, SIGNATURE))
    for name in present:
        if name not in listed:
            check.problems.append(f"{name}: not in the manifest (added after the export)")
    for name, item in sorted(listed.items()):
        path = directory / name
        if not path.is_file():
            check.problems.append(f"{name}: missing")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        check.files += 1
        if digest != item.get("sha256"):
            check.problems.append(
                f"{name}: SHA-256 is {digest}, the manifest says {item.get('sha256')} "
                "(the file was changed)"
            )
        elif name == FILES["jsonl"] and whole:
            count, head = head_of(line for line in data.splitlines() if line)
            if (count, head.hex()) != (check.events, check.head):
                check.problems.append(
                    f"{name}: its {count} events chain to {head.hex()}, but the manifest says "
                    f"{check.events} events with chain head {check.head}"
                )
    evidence, checkpoint = check_evidence(directory, raw, body, keys)
    check.problems += evidence.problems
    check.signed_by, check.proved = evidence.signed_by, evidence.proved
    if ledger is not None:
        check.ledger_checked = True
        note, problem = _against_ledger(ledger, check.head, check.events)
        if problem is not None:
            check.problems.append(problem)
            check.problems += _exported_events(ledger, directory / FILES["jsonl"], body)
            return check
        if checkpoint is not None:  # and the ledger's later checkpoints extend the bundle's
            consistent, problem = consistency_note(ledger, checkpoint, keys)
            check.notes += [consistent] if consistent else []
            check.problems += [problem] if problem else []
        check.notes += [note] if note else []
    return check


def _against_ledger(ledger: Ledger, head: str, events: int) -> tuple[str | None, str | None]:
    """(note, problem): the manifest's chain head against the ledger's history."""
    from ledger.store.verify import verify

    result = verify(ledger)
    if not result.ok:
        return None, f"chain head: the ledger fails verification: {result.problem}"
    if (result.events, result.head.hex()) == (events, head):
        return None, None
    if result.events < events:
        return None, (
            f"chain head differs: the manifest says {events} events with chain head {head}; "
            f"the ledger now holds only {result.events} (chain head {result.head.hex()})"
        )
    _, prefix = head_of(stored.line for stored in islice(ledger.lines(), events))
    if prefix.hex() == head:
        grown = result.events - events
        noun = "event" if grown == 1 else "events"
        return (
            f"the ledger has grown by {grown} {noun} since; every exported event is still "
            f"there (its first {events} events still chain to the manifest's head)",
            None,
        )
    return None, (
        f"chain head differs: the manifest says {head} at {events} events, but the ledger's "
        f"first {events} events chain to {prefix.hex()}: another ledger, or a changed history"
    )


def _exported_events(ledger: Ledger, jsonl: Path, body: dict[str, Any]) -> list[str]:
    """Each exported event the ledger no longer holds as exported (unredacted bundles)."""
    if body.get("redaction") is not None or not jsonl.is_file():
        return []
    lines = [line for line in jsonl.read_bytes().splitlines() if line]
    ids = [str(parse(line).get("id")) for line in lines]
    stored = {s.event_id: s.line for s in ledger.backend.by_ids(ids)}
    problems = []
    for event_id, line in zip(ids, lines, strict=True):
        if event_id not in stored:
            problems.append(f"event {event_id!r}: exported, but no longer in the ledger")
        elif stored[event_id] != line:
            problems.append(f"event {event_id!r}: changed in the ledger since the export")
    return problems
