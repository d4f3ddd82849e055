"""One export, streamed: pieces from a source, rendered a piece at a time into a spool, then
written out in order, with the header facts added up on the way.

Memory holds one chunk of incidents (and the totals: counts, the deadlines still running and
the findings of no incident), whatever the ledger's size. The chain head is read before and
after: an import in between would make the export rest on a head it does not name, so it is
refused and can be run again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Protocol

from ledger.errors import StoreError
from ledger.store.backend import StoredLine
from ledger.store.chain import canonical, parse
from ledger.store.ledger import Ledger
from projections import query
from projections.analysis.policy import Policy
from projections.analysis.view import View
from projections.exports import sources
from projections.exports.context import Context, Totals
from projections.exports.pieces import Chunk, IncidentPiece
from projections.exports.redact import Redactor
from projections.exports.selection import Request, choose_incidents
from projections.exports.spool import Spool

# format -> the file's name in a bundle
FILES = {
    "jsonl": "ledger.jsonl",
    "csv": "timeline.csv",
    "md": "report.md",
    "html": "report.html",
    "eido": "eido.jsonl",
}
FORMATS = tuple(FILES)
STATE_FORMATS = frozenset({"html", "eido"})  # draw states after each entry: always computed
BATCH = 5000


def tool_version() -> str:
    try:
        return version("incident-ledger")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


@dataclass(frozen=True)
class Options:
    policy_name: str = "built-in default"
    excel: bool = False
    redact_key: bytes | None = None
    generated_at: str | None = None
    zone: str | None = None  # IANA zone of every time shown to people; None: the policy's


class Writer(Protocol):
    needs_events: bool

    def part(self, piece: IncidentPiece) -> list[tuple[str, bytes]]:
        """(group, bytes) pieces of output; each group comes out in incident order."""
        ...

    def finish(self, out: IO[bytes], spool: Spool, totals: Totals) -> None: ...


@dataclass
class Facts:
    """What the manifest records of an export."""

    head: bytes
    count: int
    incidents: tuple[str, ...]
    events: int
    context: Context


class Export:
    """The options of one export; writes each format to a binary stream."""

    def __init__(
        self, ledger: Ledger, request: Request, policy: Policy, given: bool, options: Options
    ) -> None:
        self.ledger = ledger
        self.request = request
        self.policy = policy
        self.view = View(policy if given else View().policy, request.at, request.as_known_at)
        self.options = options
        self.zone = options.zone or policy.timezone
        self.names = None if request.whole else choose_incidents(ledger, request)
        self._redactor: Redactor | None = None
        self.facts: Facts | None = None

    @property
    def redactor(self) -> Redactor | None:
        key = self.options.redact_key
        if key is not None and self._redactor is None:
            self._redactor = Redactor(key, self.policy.country_code)
            for batch in _batches(self.ledger):  # every personal value, wherever it is quoted
                for stored in batch:
                    self._redactor.learn(parse(stored.line))
        return self._redactor

    def context(self, head: bytes, count: int) -> Context:
        if self.request.at is not None:
            kind = "at"
        elif self.request.as_known_at is not None:
            kind = "as known at"
        else:
            kind = "ledger clock"
        return Context(
            chain_head=head.hex(),
            ledger_events=count,
            policy=self.policy,
            policy_name=self.options.policy_name,
            zone=self.zone,
            clock=query.clock(self.ledger, self.view),
            clock_kind=kind,
            selection=None if self.names is None else tuple(self.names),
            redacted=self.options.redact_key is not None,
            generated_at=self.options.generated_at,
        )

    def write(self, fmt: str, out: IO[bytes]) -> Facts:
        count, head = self.ledger.head()
        redactor = self.redactor
        context = self.context(head, count)
        with Spool() as spool:
            totals = Totals()
            if fmt == "jsonl":
                events = self._jsonl(out, spool, redactor)
                totals.incidents = (
                    list(self.names)
                    if self.names is not None
                    else [row.incident for row in query.incidents(self.ledger)]
                )
            else:
                writer = _writer(fmt, context, redactor, self.options.excel)
                self._fill(fmt, writer, spool, totals, redactor)
                writer.finish(out, spool, totals)
                events = spool.count_events()
            if self.ledger.head() != (count, head):
                raise StoreError("the ledger changed during the export: run it again")
        self.facts = Facts(head, count, tuple(totals.incidents), events, context)
        return self.facts

    def _chunks(self, fmt: str) -> Iterator[Chunk]:
        whole = self.names is None
        if whole and fmt not in STATE_FORMATS and sources.can_read_stored(self.ledger, self.view):
            return sources.stored_chunks(self.ledger)
        return sources.computed_chunks(self.ledger, self.view, self.names, with_lines=not whole)

    def _fill(
        self, fmt: str, writer: Writer, spool: Spool, totals: Totals, redactor: Redactor | None
    ) -> None:
        for chunk in self._chunks(fmt):
            for piece in chunk.pieces:
                if redactor is not None:
                    piece = redactor.piece(piece)
                totals.incidents.append(piece.incident)
                totals.severities.update(f.severity for f in piece.findings)
                totals.pending += piece.pending
                for group, data in writer.part(piece):
                    spool.add_part(group, piece.order(), data)
            loose = chunk.loose
            if redactor is not None:
                loose = [redactor.finding(f) for f in loose]
            totals.unplaced += loose
            totals.severities.update(f.severity for f in loose)
            totals.pending += chunk.loose_pending
            if writer.needs_events:
                spool.add_events(chunk.lines)
        totals.unplaced.sort(key=lambda f: f.sort_key())
        if writer.needs_events and self.names is None:
            for batch in _batches(self.ledger):
                spool.add_events(batch)

    def _jsonl(self, out: IO[bytes], spool: Spool, redactor: Redactor | None) -> int:
        def emit(line: bytes) -> None:
            out.write((canonical(redactor.event(parse(line))) if redactor else line) + b"\n")

        if self.names is None:
            written = 0
            for batch in _batches(self.ledger):
                for stored in batch:
                    emit(stored.line)
                written += len(batch)
            return written
        for chunk in sources.computed_chunks(self.ledger, self.view, self.names, with_lines=True):
            spool.add_events(chunk.lines)
        for line in spool.lines_in_append_order():
            emit(line)
        return spool.count_events()


def _batches(ledger: Ledger) -> Iterator[list[StoredLine]]:
    batch: list[StoredLine] = []
    for stored in ledger.lines():
        batch.append(stored)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _writer(fmt: str, context: Context, redactor: Redactor | None, excel: bool) -> Writer:
    if fmt == "csv":
        from projections.exports.csv_report import CsvWriter

        return CsvWriter(context, excel=excel)
    if fmt == "md":
        from projections.exports.markdown import MarkdownWriter

        return MarkdownWriter(context, redactor)
    if fmt == "html":
        from projections.exports.html import HtmlWriter

        return HtmlWriter(context, redactor, f"incident-ledger {tool_version()}")
    if fmt == "eido":
        from projections.exports.eido import EidoWriter

        return EidoWriter(context, redactor)
    raise ValueError(f"unknown format {fmt!r}")
