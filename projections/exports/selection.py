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
from projections.analysis.timeline import Entry
from projections.analysis.view import View

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


def parse_instant(text: str, option: str) -> datetime:
    """An RFC 3339 time with an offset (`2018-06-01T00:00:00+01:00` or `…Z`); UsageError else."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not a time: write RFC 3339 with an offset, "
            "e.g. 2018-06-01T00:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(
            f"{option}: {text!r} has no UTC offset: write e.g. 2018-06-01T00:00:00+01:00"
        )
    return moment


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
    view = View(policy or DEFAULT_POLICY, request.at, request.as_known_at)
    found: list[Finding] = []
    timelines: dict[str, tuple[Entry, ...]] = {}
    rested: dict[int, StoredLine] = {}
    if with_views or not request.whole:
        only = None if request.whole else list(chosen)
        for result, gathered in views.analysed(ledger, view, only):
            found += result.findings()
            for incident, seen in result.incidents.items():
                timelines[incident] = tuple(seen.timeline)
            if not request.whole:
                for event in gathered.events:
                    nid = gathered.nids[event.id]
                    rested[nid] = StoredLine(nid, event.id, event.type, gathered.lines[event.id])
    chosen_lines = (rested[nid] for nid in sorted(rested))
    lines = tuple(ledger.lines()) if request.whole else tuple(chosen_lines)
    events = tuple(decode(line) for line in lines)
    found = sorted(found, key=Finding.sort_key) if with_views else []
    if not with_views:
        timelines = {}
    moment: datetime | None
    if request.at is not None:
        moment, kind = request.at, "at"
    elif request.as_known_at is not None:
        moment, kind = request.as_known_at, "as known at"
    else:
        moment, kind = views.clock(ledger), "ledger clock"
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
