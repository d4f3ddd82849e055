"""Appending streams to the ledger: streaming, all or nothing, idempotent on `id`.

The whole import is one write transaction. Records are validated and appended a batch at a
time, so memory stays flat whatever the file size; the database itself answers "have we seen
this id?", so a duplicate is found whether it was stored last year or ten lines earlier in the
same file. If any record is invalid the transaction rolls back and nothing is written.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from ledger.backends.base import NewEvent, WriteSession
from ledger.chain import canonical, parse
from ledger.errors import InvalidInput
from ledger.events import EVENT_ADAPTER, EventCorrected, EventRetracted, LedgerEvent
from ledger.refs import refs_of
from ledger.sources import Problem, RawRecord
from ledger.store import Ledger
from ledger.validation import problems_from, validate

BATCH = 2000
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    events: int  # in the ledger after the import
    head: bytes


def read_jsonl(stream: Iterable[bytes], origin: str) -> Iterator[RawRecord]:
    """Numbered non-blank lines of a JSON Lines stream."""
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield RawRecord(origin, number, line)


def open_stream(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(lines to read, the raw file under them): gzip is recognised by its first bytes."""
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    return raw, raw


@dataclass
class _Pending:
    """A correction or retraction whose target is checked once the whole input is in."""

    record: RawRecord
    event: EventCorrected | EventRetracted


@dataclass
class _Run:
    session: WriteSession
    added: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: bool = False
    batch: list[tuple[RawRecord, LedgerEvent, bytes]] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)

    def problem(self, *found: Problem) -> None:
        for item in found:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(item)
            else:
                self.more = True

    def take(self, item: RawRecord | Problem) -> None:
        if isinstance(item, Problem):
            self.problem(item)
            return
        outcome = validate(item)
        if isinstance(outcome, list):
            self.problem(*outcome)
            return
        event, line = outcome
        if isinstance(event, EventCorrected | EventRetracted):
            self.pending.append(_Pending(item, event))
        self.batch.append((item, event, line))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        stored = self.session.existing([event.id for _, event, _ in self.batch])
        fresh: list[NewEvent] = []
        for record, event, line in self.batch:
            earlier = stored.get(event.id)
            if earlier is None:
                stored[event.id] = line
                fresh.append(NewEvent(event.id, event.type, line, refs_of(event)))
            elif earlier == line:
                self.skipped += 1
            else:
                self.problem(
                    Problem(
                        record.origin,
                        record.line,
                        "id",
                        f"{event.id!r} is already recorded with different content "
                        "(to change a recorded event, add an EventCorrected)",
                    )
                )
        self.session.append(fresh)
        self.added += len(fresh)
        self.batch.clear()

    def check_targets(self) -> None:
        """Corrections and retractions must name an event the ledger or this input holds."""
        for start in range(0, len(self.pending), BATCH):
            chunk = self.pending[start : start + BATCH]
            targets = self.session.existing([_target(p.event) for p in chunk])
            for item in chunk:
                self.problem(*_target_problems(item, targets.get(_target(item.event))))


def _target(event: EventCorrected | EventRetracted) -> str:
    return event.corrects if isinstance(event, EventCorrected) else event.retracts


def _target_problems(item: _Pending, target_line: bytes | None) -> list[Problem]:
    record, event = item.record, item.event
    name = "corrects" if isinstance(event, EventCorrected) else "retracts"
    if target_line is None:
        reason = f"no event with id {_target(event)!r} in the ledger or this input"
        return [Problem(record.origin, record.line, name, reason)]
    if not isinstance(event, EventCorrected):
        return []
    target = parse(target_line)
    if target.get("type") in ("EventCorrected", "EventRetracted"):
        reason = "only a recorded fact can be corrected: retract the correction and record anew"
        return [Problem(record.origin, record.line, name, reason)]
    try:
        EVENT_ADAPTER.validate_json(canonical({**target, **event.changes}))
    except ValidationError as error:
        found = problems_from(error, record, target.get("type"))
        return [
            Problem(p.origin, p.line, f"changes.{p.field}".rstrip("."), p.reason) for p in found
        ]
    return []


def import_records(
    ledger: Ledger,
    records: Iterable[RawRecord | Problem],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Append every record, or nothing: raise InvalidInput listing up to 50 problems."""
    existed = ledger.backend.exists()
    ledger.create()
    try:
        return _import(ledger, records, progress)
    except InvalidInput:
        if not existed:
            ledger.backend.discard_if_empty()  # a failed first import leaves no empty ledger
        raise


def _import(
    ledger: Ledger,
    records: Iterable[RawRecord | Problem],
    progress: Callable[[int], None] | None,
) -> ImportResult:
    with ledger.backend.writing() as session:
        run = _Run(session)
        for count, item in enumerate(records, start=1):
            run.take(item)
            if progress is not None and count % BATCH == 0:
                progress(count)
        run.flush()
        run.check_targets()
        if run.problems:
            # Raising inside the transaction rolls it back: nothing of this import is kept.
            raise InvalidInput(sorted(run.problems, key=_order), more=run.more)
        count, head = session.head
    return ImportResult(run.added, run.skipped, count, head)


def _order(problem: Problem) -> tuple[str, int]:
    return (problem.origin, problem.line)
