"""Every event some incidents' views depend on, read through the reference index.

Never a scan of the ledger: the incidents' own events, the links around them (followed
through chains of links), the ends of their calls, the acknowledgements of their messages, the
completion of their plans, where their units went on the same days, the other calls and the
markers on their callers' numbers and addresses, and every correction and retraction of any
of those. The result is in append order, as `projections.analysis.findings.evaluate` expects.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ledger.events import (
    CallReceived,
    FollowUpPlanned,
    IncidentLinked,
    LedgerEvent,
    RadioTransmission,
    UnitDiverted,
)
from ledger.index import LATEST, instant, refs_of
from ledger.store.backend import Backend, StoredLine
from ledger.store.ledger import decode

MAX_LINK_DEPTH = 20
SLACK = 86_400 * 1_000_000  # a day either side of a unit's window: its radio messages
CACHE_LIMIT = 200_000  # decoded events kept between chunks of one pass


class _Collected:
    def __init__(
        self,
        backend: Backend,
        cache: dict[int, LedgerEvent] | None,
        lines: dict[str, bytes] | None = None,
    ) -> None:
        self.backend = backend
        self.lines = lines
        self.events: dict[int, LedgerEvent] = {}
        self.asked: set[str] = set()
        self.cache = cache if cache is not None else {}

    def fetch(self, refs: Iterable[str]) -> list[LedgerEvent]:
        """Events under refs not asked for before; the new ones only."""
        wanted = [ref for ref in dict.fromkeys(refs) if ref not in self.asked]
        if not wanted:
            return []
        self.asked.update(wanted)
        return self._add(self.backend.by_refs(wanted))

    def fetch_windows(self, windows: Iterable[tuple[str, int, int]]) -> list[LedgerEvent]:
        return self._add(self.backend.by_windows(windows))

    def fetch_ids(self, ids: Iterable[str]) -> list[LedgerEvent]:
        return self._add(self.backend.by_ids(ids))

    def _add(self, rows: list[StoredLine]) -> list[LedgerEvent]:
        fresh = []
        for row in rows:
            if row.notification_id not in self.events:
                event = self.cache.get(row.notification_id)
                if event is None:
                    event = self.cache[row.notification_id] = decode(row)
                self.events[row.notification_id] = event
                fresh.append(event)
                if self.lines is not None:
                    self.lines[row.event_id] = row.line
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        return fresh


def related_events(
    backend: Backend,
    incidents: Collection[str],
    event_ids: Collection[str] = (),
    *,
    cache: dict[int, LedgerEvent] | None = None,
    lines: dict[str, bytes] | None = None,
) -> list[LedgerEvent]:
    """What the views of `incidents` (and of the events `event_ids`) rest on, in append order.

    `cache` (notification id -> event) spares decoding the same neighbours again when many
    chunks of incidents are read in one pass; `lines`, when given, receives each event's
    stored line by id (the event exactly as imported).
    """
    found = _Collected(backend, cache, lines)
    own = found.fetch(f"i:{incident}" for incident in incidents)
    own += found.fetch_ids(event_ids)
    _follow_links(found, incidents)
    own += found.fetch(_completions(own))
    found.fetch_windows(_unit_windows(backend, own))
    found.fetch(ref for event in own if isinstance(event, CallReceived) for ref in _contacts(event))
    _corrections(found)
    return [found.events[key] for key in sorted(found.events)]


def _follow_links(found: _Collected, incidents: Collection[str]) -> None:
    seen, frontier = set(incidents), list(incidents)
    for _ in range(MAX_LINK_DEPTH):
        found.fetch(f"l:{incident}" for incident in frontier)
        # Every link collected so far counts, including those the incidents' own read found.
        frontier = []
        for event in found.events.values():
            if isinstance(event, IncidentLinked):
                for end in (event.incident, event.linked):
                    if end not in seen:
                        seen.add(end)
                        frontier.append(end)
        if not frontier:
            return


def _completions(events: Iterable[LedgerEvent]) -> list[str]:
    refs = []
    for event in events:
        if isinstance(event, CallReceived):
            refs.append(f"c:{event.call}")
        elif isinstance(event, RadioTransmission):
            refs.append(f"t:{event.transmission}")
        elif isinstance(event, UnitDiverted) and event.via:
            refs.append(f"t:{event.via}")
        elif isinstance(event, FollowUpPlanned):
            refs.append(f"p:{event.plan}")
    return refs


def _unit_windows(backend: Backend, events: list[LedgerEvent]) -> list[tuple[str, int, int]]:
    """Each unit's events from its first here to its next move after its last here."""
    spans: dict[str, tuple[int, int]] = {}
    for event in events:
        fields = event.__dict__
        for name in ("unit", "from_", "to"):
            unit = fields.get(name)
            if isinstance(unit, str) and unit != "control":
                moment = instant(event.at)
                first, last = spans.get(unit, (moment, moment))
                spans[unit] = (min(first, moment), max(last, moment))
    following = backend.next_after((f"m:{unit}", last) for unit, (_, last) in spans.items())
    return [
        (f"u:{unit}", first - SLACK, following.get((f"m:{unit}", last), LATEST) + SLACK)
        for unit, (first, last) in spans.items()
    ]


def _contacts(event: CallReceived) -> list[str]:
    keys = [ref[3:] for ref, _ in refs_of(event) if ref.startswith("kc:")]
    return [f"{kind}:{key}" for key in keys for kind in ("kc", "km")]


def _corrections(found: _Collected) -> None:
    """Corrections and retractions of anything collected, and of those in turn."""
    frontier = list(found.events.values())
    while frontier:
        frontier = found.fetch(f"e:{event.id}" for event in frontier)
