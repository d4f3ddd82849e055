"""Making checkpoints, checking them against the events, and drawing proofs from the tree.

Everything here reads the events themselves, in append order, and recomputes both the chain
and the Merkle tree from their canonical lines: a history rewritten consistently, events and
chain table alike, still no longer matches what a key signed before the rewrite.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ledger.errors import IntegrityFailure, StoreBusy, UsageError
from ledger.keys import PublicKey, Signer
from ledger.store.backend import StoredLine
from ledger.store.chain import GENESIS, link
from ledger.store.checkpoints import Checkpoint, appending, sign, stored
from ledger.store.ledger import Ledger
from ledger.store.merkle import Frontier, Leaves, leaf_hash


def _prefix(ledger: Ledger, size: int) -> Iterator[StoredLine]:
    for count, line in enumerate(ledger.lines(), start=1):
        if count > size:
            return
        yield line


def make_checkpoint(ledger: Ledger, signer: Signer, *, now: datetime | None = None) -> Checkpoint:
    """Sign the ledger as it is: its event count, chain head and Merkle root, now.

    The tree is computed outside the write lock (imports go on meanwhile); the checkpoint is
    then appended in a short write transaction that checks the chain still has that head there.
    Refused (IntegrityFailure) when the events no longer chain to the stored head, or no longer
    match an earlier checkpoint: a key never signs over a history that contradicts itself.
    """
    count, head = ledger.head()
    earlier = {checkpoint.events: checkpoint for checkpoint in stored(ledger)}
    longer = [checkpoint for size, checkpoint in earlier.items() if size > count]
    if longer:
        raise IntegrityFailure(
            f"checkpoint #{longer[0].number} signed {longer[0].events} events, but the ledger "
            f"holds {count}: events were cut from the end; nothing was signed"
        )
    chained, frontier = GENESIS, Frontier()
    for stored_line in _prefix(ledger, count):
        chained = link(chained, stored_line.line)
        frontier.add(leaf_hash(stored_line.line))
        before = earlier.get(frontier.size)
        if before is not None and (before.chain_head, before.merkle_root) != (
            chained,
            frontier.root(),
        ):
            raise IntegrityFailure(
                f"the ledger's first {before.events} events no longer match checkpoint "
                f"#{before.number}: nothing was signed (run `ledger verify --public-key`)"
            )
    if (frontier.size, chained) != (count, head):
        raise IntegrityFailure(
            f"the events do not chain to the stored head ({frontier.size} events chain to "
            f"{chained.hex()}): nothing was signed (run `ledger verify`)"
        )
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    at = at.replace("+00:00", "Z")
    with appending(ledger) as session:
        if count and session.chain_hash_at(count) != head:
            raise IntegrityFailure(f"chain entry #{count} changed while signing: nothing signed")
        last = session.last
        if last is not None and last.events > count:
            raise StoreBusy("another checkpoint was made meanwhile, of more events: run it again")
        number = 1 if last is None else last.number + 1
        checkpoint = sign(signer, number, count, head, frontier.root(), at, last)
        session.append(checkpoint)
    return checkpoint


@dataclass
class CheckpointCheck:
    """What `verify --public-key` found: every problem, and what was checked."""

    checked: int = 0
    events: int = 0  # in the ledger now
    latest: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unsigned(self) -> int:
        """Events appended after the latest checkpoint."""
        return self.events - (self.latest.events if self.latest else 0)


def check_checkpoints(ledger: Ledger, keys: Sequence[PublicKey]) -> CheckpointCheck:
    """Does every stored checkpoint carry a good signature by one of `keys`, follow the one
    before it, and still match the ledger's events (none rewritten before it, none cut)?"""
    check = CheckpointCheck()
    checkpoints = stored(ledger)
    if not checkpoints:
        check.problems.append(
            "the ledger holds no signed checkpoint: make one with `ledger checkpoint --key KEY`"
        )
        return check
    check.latest = checkpoints[-1]
    by_id = {key.id: key for key in keys}
    previous: Checkpoint | None = None
    for checkpoint in checkpoints:
        check.problems += _statement_problems(checkpoint, previous, by_id)
        previous = checkpoint
    at_size: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        at_size.setdefault(checkpoint.events, []).append(checkpoint)
    chained, frontier = GENESIS, Frontier()
    for stored_line in ledger.lines():
        chained = link(chained, stored_line.line)
        frontier.add(leaf_hash(stored_line.line))
        for checkpoint in at_size.get(frontier.size, ()):
            check.checked += 1
            problem = _content_problem(checkpoint, chained, frontier.root())
            if problem:
                check.problems.append(problem)
    check.events = frontier.size
    for checkpoint in checkpoints:
        if checkpoint.events > frontier.size:
            check.problems.append(
                f"checkpoint #{checkpoint.number} signed {checkpoint.events} events at "
                f"{checkpoint.at}, but the ledger now holds {frontier.size}: events were cut "
                "from the end"
            )
        elif checkpoint.events == 0:
            check.checked += 1
    return check


def _statement_problems(
    checkpoint: Checkpoint, previous: Checkpoint | None, keys: dict[str, PublicKey]
) -> list[str]:
    name = f"checkpoint #{checkpoint.number} ({checkpoint.at})"
    problems = []
    key = keys.get(checkpoint.key)
    if key is None:
        given = ", ".join(sorted(keys)) or "none"
        problems.append(
            f"{name} was signed by key {checkpoint.key}, not by the key given ({given})"
        )
    elif not checkpoint.signed_by(key):
        problems.append(f"{name}: the signature does not match the statement: it was altered")
    expected_number = 1 if previous is None else previous.number + 1
    expected_previous = None if previous is None else previous.digest()
    if (checkpoint.number, checkpoint.previous) != (expected_number, expected_previous):
        problems.append(
            f"{name} does not follow the checkpoint before it: a checkpoint was removed or replaced"
        )
    return problems


def _content_problem(checkpoint: Checkpoint, chained: bytes, root: bytes) -> str | None:
    if (checkpoint.chain_head, checkpoint.merkle_root) == (chained, root):
        return None
    return (
        f"checkpoint #{checkpoint.number} ({checkpoint.at}) signed {checkpoint.events} events "
        f"with chain head {checkpoint.chain_head.hex()}, but the ledger's first "
        f"{checkpoint.events} events now chain to {chained.hex()}: history before the "
        "checkpoint was rewritten"
    )


@dataclass(frozen=True)
class Inclusion:
    """One event's place in a checkpoint's tree, and the path from its leaf to the root."""

    event_id: str
    index: int  # 0-based position in append order
    path: tuple[bytes, ...]


def leaves_of(
    ledger: Ledger, size: int, wanted: Collection[int] = ()
) -> tuple[Leaves, dict[int, int]]:
    """The leaf hashes of the first `size` events, and the index of each `wanted`
    notification id among them (those appended later are absent)."""
    leaves = Leaves()
    positions: dict[int, int] = {}
    looked_for = set(wanted)
    for index, stored_line in enumerate(_prefix(ledger, size)):
        leaves.add(leaf_hash(stored_line.line))
        if stored_line.notification_id in looked_for:
            positions[stored_line.notification_id] = index
    if len(leaves) < size:
        raise IntegrityFailure(f"the ledger holds {len(leaves)} events, fewer than {size}")
    return leaves, positions


def inclusion_proofs(
    ledger: Ledger, checkpoint: Checkpoint, events: Collection[StoredLine]
) -> tuple[list[Inclusion], list[StoredLine]]:
    """Proofs that `events` are in the checkpoint's tree; and those appended after it."""
    leaves, positions = leaves_of(ledger, checkpoint.events, [e.notification_id for e in events])
    if leaves.root() != checkpoint.merkle_root:
        raise IntegrityFailure(
            f"the ledger's first {checkpoint.events} events no longer match checkpoint "
            f"#{checkpoint.number}'s Merkle root (run `ledger verify --public-key`)"
        )
    covered = [event for event in events if event.notification_id in positions]
    later = [event for event in events if event.notification_id not in positions]
    paths = leaves.inclusion(positions[e.notification_id] for e in covered)
    proofs = [
        Inclusion(
            e.event_id, positions[e.notification_id], tuple(paths[positions[e.notification_id]])
        )
        for e in covered
    ]
    return proofs, later


def consistency_proof(ledger: Ledger, old: Checkpoint, new: Checkpoint) -> list[bytes]:
    """The proof that `new`'s tree extends `old`'s, drawn from the ledger's events."""
    if not 0 < old.events <= new.events:
        raise UsageError(
            f"no consistency proof from {old.events} to {new.events} events: the first "
            "checkpoint must hold at least one event and no more than the second"
        )
    leaves, _ = leaves_of(ledger, new.events)
    return leaves.consistency(old.events, new.events)


def chosen(ledger: Ledger, number: int | None) -> Checkpoint:
    """Checkpoint `number`, or the latest; UsageError when there is no such checkpoint."""
    checkpoints = stored(ledger)
    if not checkpoints:
        raise UsageError("the ledger holds no checkpoint: make one with `ledger checkpoint`")
    if number is None:
        return checkpoints[-1]
    found = next((c for c in checkpoints if c.number == number), None)
    if found is None:
        raise UsageError(f"no checkpoint #{number}: the ledger holds #1 to #{len(checkpoints)}")
    return found


def prove_event(
    ledger: Ledger, event_id: str, number: int | None = None
) -> tuple[Checkpoint, Inclusion, bytes]:
    """The checkpoint, the event's inclusion proof in its tree, and the event's line."""
    checkpoint = chosen(ledger, number)
    found = ledger.backend.by_ids([event_id])
    if not found:
        raise UsageError(f"no event {event_id!r} in the ledger")
    proofs, later = inclusion_proofs(ledger, checkpoint, found)
    if later:
        raise UsageError(
            f"event {event_id!r} was appended after checkpoint #{checkpoint.number}: make a "
            "checkpoint (`ledger checkpoint`), then prove it"
        )
    return checkpoint, proofs[0], found[0].line
