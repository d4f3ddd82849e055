"""Appending streams to the ledger: streaming, all or nothing, idempotent on `id`.

The whole import is one write transaction. Records are validated and appended a batch at a
time, so memory stays flat whatever the file size; the database itself answers "have we seen
this id?", so a duplicate is found whether it was stored last year or ten lines earlier in the
same file. If any record is invalid the transaction rolls back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError

from ledger.corrections import apply_changes, change_problem
from ledger.errors import InvalidInput
from ledger.events import EVENT_ADAPTER
from ledger.store.backend import NewEvent, WriteSession
from ledger.store.chain import canonical, parse
from ledger.store.ledger import Ledger
from ledger.testhooks import reached
from ledger.write.field_rules import field_problems
from ledger.write.meta import file_meta_events
from ledger.write.prepare import Prepared, prepare
from ledger.write.records import Problem, RawRecord
from ledger.write.validation import problems_from

BATCH = 2000
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    events: int  # in the ledger after the import
    head: bytes


@dataclass
class _Run:
    session: WriteSession
    added: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: bool = False
    pending: list[tuple[Prepared, int]] = field(default_factory=list)  # metas, notification ids

    def problem(self, *found: Problem) -> None:
        for item in found:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(item)
            else:
                self.more = True

    def take(self, batch: list[Prepared | Problem]) -> None:
        """Append a prepared batch: the database says which ids it already holds."""
        ready = [item for item in batch if isinstance(item, Prepared)]
        self.problem(*(item for item in batch if isinstance(item, Problem)))
        stored = self.session.existing([item.event_id for item in ready])
        fresh: list[NewEvent] = []
        metas: list[Prepared | None] = []
        for item in ready:
            earlier = stored.get(item.event_id)
            if earlier is None:
                stored[item.event_id] = item.line
                fresh.append(NewEvent(item.event_id, item.type, item.line, item.refs))
                metas.append(item if item.target is not None else None)
            elif earlier == item.line:
                self.skipped += 1
            else:
                reason = (
                    f"{item.event_id!r} is already recorded with different content "
                    "(to change a recorded event, add an EventCorrected)"
                )
                self.problem(Problem(item.origin, item.line_no, "id", reason))
        ids = self.session.append(fresh)
        self.pending += [(item, nid) for item, nid in zip(metas, ids, strict=True) if item]
        self.added += len(fresh)

    def check_targets(self) -> None:
        """Corrections and retractions must name an event the ledger or this input holds."""
        for start in range(0, len(self.pending), BATCH):
            chunk = [item for item, _ in self.pending[start : start + BATCH]]
            targets = self.session.existing([item.target or "" for item in chunk])
            for item in chunk:
                self.problem(*_target_problems(item, targets.get(item.target or "")))
        if not self.problems:
            file_meta_events(self.session, [(item.event_id, nid) for item, nid in self.pending])


def _target_problems(item: Prepared, target_line: bytes | None) -> list[Problem]:
    name = "corrects" if item.changes is not None else "retracts"
    if target_line is None:
        reason = f"no event with id {item.target!r} in the ledger or this input"
        return [Problem(item.origin, item.line_no, name, reason)]
    if item.changes is None:
        return []
    target = parse(target_line)
    if target.get("type") in ("EventCorrected", "EventRetracted"):
        reason = "only a recorded fact can be corrected: retract the correction and record anew"
        return [Problem(item.origin, item.line_no, name, reason)]
    problems = [
        Problem(item.origin, item.line_no, f"changes.{key}", why)
        for key in item.changes
        if (why := change_problem(str(target.get("type")), key)) is not None
    ]
    if problems:
        return problems
    record = RawRecord(item.origin, item.line_no, b"")
    corrected = apply_changes(target, item.changes)
    found = [Problem(item.origin, item.line_no, f, why) for f, why in field_problems(corrected)]
    try:
        EVENT_ADAPTER.validate_json(canonical(corrected))
    except ValidationError as error:
        named = {p.field for p in found}
        found += [
            p for p in problems_from(error, record, target.get("type")) if p.field not in named
        ]
    return [Problem(p.origin, p.line, f"changes.{p.field}".rstrip("."), p.reason) for p in found]


def _batches(records: Iterable[RawRecord | Problem]) -> Iterator[list[RawRecord | Problem]]:
    batch: list[RawRecord | Problem] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def import_records(
    ledger: Ledger,
    records: Iterable[RawRecord | Problem],
) -> ImportResult:
    """Append every record, or nothing: raise InvalidInput listing up to 50 problems.

    The first import makes the store, in a way safe against other imports at the same time;
    if it fails, what it made goes again (`Backend.writing`).
    """
    with ledger.backend.writing(create=True) as session:
        run = _Run(session)
        for batch in _batches(records):
            run.take(prepare(batch))
            reached("import.batch-written")
        run.check_targets()
        if run.problems:
            reached("import.refusing")
            # Raising inside the transaction rolls it back: nothing of this import is kept.
            raise InvalidInput(sorted(run.problems, key=_order), more=run.more)
        count, head = session.head
        reached("import.before-commit")
    reached("import.committed")
    return ImportResult(run.added, run.skipped, count, head)


def _order(problem: Problem) -> tuple[str, int]:
    return (problem.origin, problem.line)
