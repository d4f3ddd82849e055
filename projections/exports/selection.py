"""Which incidents and events an export covers, and everything it needs, read once.

`--incident REF` (repeatable) names incidents; `--since`/`--until` choose the incidents whose
first call falls in the window (inclusive), as `ledger incidents` does; neither means the whole
ledger. The chain head is read before and after the events: an import in between would make
the manifest name a head the files do not match, so the read is tried again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ledger.errors import StoreError, UsageError
from ledger.events import LedgerEvent
from ledger.store.backend import StoredLine
from ledger.store.ledger import Ledger, decode
from projections import query as views
from projections.analysis.findings import Finding
from projections.analysis.policy import DEFAULT_POLICY, Policy
from projections.analysis.timeline import Entry, timeline

ATTEMPTS = 3


@dataclass(frozen=True)
class Request:
    """What the user asked for: the selection, the clock and the policy."""

    incidents: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    at: datetime | None = None
    as_known_at: datetime | None = None

    @property
    def whole(self) -> bool:
        return not self.incidents and self.since is None and self.until is None


@dataclass(frozen=True)
class Material:
    """Everything an export is made of, as read from the ledger at one chain head."""

    request: Request
    incidents: tuple[str, ...]  # in the order `ledger incidents` lists them (first call)
    lines: tuple[StoredLine, ...]  # the exported events as stored, in append order
    events: tuple[LedgerEvent, ...]  # the same events decoded
    timelines: dict[str, tuple[Entry, ...]]
    findings: tuple[Finding, ...]
    clock: datetime | None  # the clock findings were evaluated at
    clock_kind: str  # "at", "as known at" or "ledger clock"
    head: bytes
    count: int  # events in the whole ledger at `head`


def choose_incidents(ledger: Ledger, request: Request) -> tuple[str, ...]:
    """The incidents of the export, in first-call order; UsageError for an unknown one."""
    if request.incidents:
        views.check_incidents(ledger, list(request.incidents))
        wanted = set(request.incidents)
        listed = [row.incident for row in views.incidents(ledger) if row.incident in wanted]
        return tuple(listed)
    rows = views.incidents(ledger, since=request.since, until=request.until)
    return tuple(row.incident for row in rows)


def gather(
    ledger: Ledger, request: Request, policy: Policy | None, *, with_views: bool = True
) -> Material:
    """Read the selection at one chain head (tried again if the ledger grows meanwhile).

    `with_views=False` skips timelines and findings: the canonical stream needs neither.
    """
    if request.since and request.until and request.since > request.until:
        raise UsageError("--since is later than --until: nothing can fall between them")
    views.refresh(ledger)
    for _ in range(ATTEMPTS):
        count, head = ledger.head()
        material = _read(ledger, request, policy, head, count, with_views)
        if ledger.head() == (count, head):
            return material
    raise StoreError("the ledger kept changing during the export: run it again")


def _read(
    ledger: Ledger,
    request: Request,
    policy: Policy | None,
    head: bytes,
    count: int,
    with_views: bool,
) -> Material:
    chosen = choose_incidents(ledger, request)
    if request.whole:
        lines = tuple(ledger.lines())
    else:
        related = views.events_of(ledger, chosen) if chosen else []
        lines = tuple(ledger.backend.by_ids(event.id for event in related))
    events = tuple(decode(line) for line in lines)
    found: list[Finding] = []
    timelines: dict[str, tuple[Entry, ...]] = {}
    if with_views:
        clock = views.Clock(at=request.at, as_known_at=request.as_known_at)
        only = None if request.whole else chosen
        found = views.findings(ledger, policy=policy, clock=clock, only=only)
        used = policy or DEFAULT_POLICY
        for incident in chosen:
            # Each incident's own related events, through the index: folding the whole
            # selection once per incident would cost incidents x events.
            own = views.events_of(ledger, [incident])
            entries = timeline(own, incident, used, at=request.at, as_known_at=request.as_known_at)
            timelines[incident] = tuple(entries)
    moment: datetime | None
    if request.at is not None:
        moment, kind = request.at, "at"
    elif request.as_known_at is not None:
        moment, kind = request.as_known_at, "as known at"
    else:
        moment, kind = views.current_clock(ledger), "ledger clock"
    return Material(
        request=request,
        incidents=chosen,
        lines=lines,
        events=events,
        timelines=timelines,
        findings=tuple(found),
        clock=moment,
        clock_kind=kind,
        head=head,
        count=count,
    )
