"""Turning raw records into what the store appends: validated, canonical, indexed.

`prepare` is a pure function of a batch of records, so an import can run it in a worker
process for the next batch while the current one is written: validating and writing then
overlap, on a machine with more than one core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.events import EventCorrected, EventRetracted
from ledger.index import refs_of
from ledger.write.records import Problem, RawRecord
from ledger.write.validation import validate


@dataclass(frozen=True, slots=True)
class Prepared:
    """One valid event, ready to append (or to skip, if its id is already recorded)."""

    origin: str
    line_no: int
    event_id: str
    type: str
    line: bytes  # the canonical form: what is stored, hashed and exported
    refs: tuple[tuple[str, int], ...]  # (reference, instant): ledger.index.refs_of
    target: str | None = None  # the event a correction or retraction names
    changes: dict[str, Any] | None = None  # a correction's changes


def prepare(records: Sequence[RawRecord | Problem]) -> list[Prepared | Problem]:
    """Each record as a Prepared event, or as the problems that keep it out."""
    out: list[Prepared | Problem] = []
    for record in records:
        if isinstance(record, Problem):
            out.append(record)
            continue
        outcome = validate(record)
        if isinstance(outcome, list):
            out.extend(outcome)
            continue
        event, line = outcome
        target: str | None = None
        changes: dict[str, Any] | None = None
        if isinstance(event, EventCorrected):
            target, changes = event.corrects, event.changes
        elif isinstance(event, EventRetracted):
            target = event.retracts
        out.append(
            Prepared(
                record.origin,
                record.line,
                event.id,
                event.type,
                line,
                refs_of(event),
                target,
                changes,
            )
        )
    return out
