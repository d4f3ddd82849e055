"""Reading what a group of owners' views rest on, through the index, and what they depend on.

Never a scan of the ledger. For a chunk of incidents (and loose events) `gather` reads:

- the incidents' own events, and every correction or retraction of anything it read;
- the links around them, followed through chains of links (a transfer naming its receiving
  incident is a link);
- the events of the incident at the other end of each of their transfers: a receiver's
  response target runs from the sender's first call, and a sender's transfer is judged against
  the receiver's first grading (stream.md);
- the ends of their calls, the acknowledgements of their messages (and of a diversion's
  `via`), the completion of their plans;
- each unit's events from its first event in an incident to its next move after its last one
  there (however many days later), widened by the acknowledgement timeout for its messages;
- the calls on their callers' numbers and addresses within the repeat window either side,
  and every marker on those numbers and addresses.

Each owner's `deps` are the references it was read by, each with the stretch of time that
mattered: an event filed later under one of them inside its stretch can change that owner's
views, and no other event can. The read models' catch-up recomputes exactly those owners.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from ledger.corrections import Corrections
from ledger.events import (
    CallEnded,
    CallReceived,
    EventCorrected,
    EventRetracted,
    FollowUpDone,
    FollowUpPlanned,
    IncidentTransferred,
    LedgerEvent,
    RadioAcknowledged,
    RadioTransmission,
    UnitDiverted,
    incidents_named,
    link_ends,
)
from ledger.index import contact_keys
from ledger.store.backend import Backend, StoredLine
from ledger.store.ledger import decode
from ledger.store.micros import EARLIEST, LATEST, instant
from projections.analysis.policy import Policy

Dep = tuple[str, int, int]  # (reference, from, to): instants in µs, inclusive
Owner = tuple[str, str]  # ("incident", reference) or ("event", id) for a loose event

MAX_LINK_DEPTH = 20
MAX_META_DEPTH = 50
# Decoded events kept between chunks of one pass. Chunks go in time order, so what a chunk
# shares with the next (units, markers, callers) is recent; 20,000 events (~100 MB with the
# rest) keeps a whole-ledger pass flat in memory: at 200,000 it held the ledger (390 MB).
CACHE_LIMIT = 20_000


@dataclass
class Gathered:
    events: list[LedgerEvent]  # append order
    lines: dict[str, bytes]  # each event as stored, by id
    deps: dict[Owner, set[Dep]] = field(default_factory=dict)
    nids: dict[str, int] = field(default_factory=dict)  # each event's notification id, by id


class _Reader:
    """The events read so far, by notification id; decoded once per pass (`cache`)."""

    def __init__(self, backend: Backend, cache: dict[int, LedgerEvent] | None) -> None:
        self.backend = backend
        self.events: dict[int, LedgerEvent] = {}
        self.lines: dict[str, bytes] = {}
        self.by_id: dict[str, LedgerEvent] = {}
        self.asked: set[str] = set()
        self.cache = cache if cache is not None else {}

    def refs(self, refs: Iterable[str]) -> list[LedgerEvent]:
        wanted = [ref for ref in dict.fromkeys(refs) if ref not in self.asked]
        if not wanted:
            return []
        self.asked.update(wanted)
        return self._add(self.backend.by_refs(wanted))

    def windows(self, windows: Iterable[Dep]) -> list[LedgerEvent]:
        wanted = list(dict.fromkeys(windows))
        return self._add(self.backend.by_windows(wanted)) if wanted else []

    def ids(self, ids: Iterable[str]) -> list[LedgerEvent]:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.by_id]
        return self._add(self.backend.by_ids(wanted)) if wanted else []

    def _add(self, rows: Sequence[StoredLine]) -> list[LedgerEvent]:
        fresh = []
        for row in rows:
            if row.notification_id in self.events:
                continue
            event = self.cache.get(row.notification_id)
            if event is None:
                event = self.cache[row.notification_id] = decode(row)
            self.events[row.notification_id] = event
            self.lines[row.event_id] = row.line
            self.by_id[event.id] = event
            fresh.append(event)
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        return fresh

    def close_metas(self) -> None:
        """Read every correction and retraction of what was read, their targets, and so on."""
        frontier = list(self.events.values())
        for _ in range(MAX_META_DEPTH):
            if not frontier:
                return
            targets = [meta_target(event) for event in frontier]
            fresh = self.ids(t for t in targets if t is not None)
            fresh += self.refs(f"e:{event.id}" for event in frontier)
            frontier = fresh


def meta_target(event: LedgerEvent) -> str | None:
    if isinstance(event, EventCorrected):
        return event.corrects
    if isinstance(event, EventRetracted):
        return event.retracts
    return None


def gather(
    backend: Backend,
    incidents: Collection[str],
    loose: Collection[str] = (),
    *,
    policy: Policy,
    cache: dict[int, LedgerEvent] | None = None,
) -> Gathered:
    """Everything the views of `incidents` and of the loose events `loose` rest on."""
    reader = _Reader(backend, cache)
    wanted = set(incidents)
    deps: dict[Owner, set[Dep]] = {("incident", name): set() for name in incidents}
    deps.update({("event", event_id): set() for event_id in loose})
    for name in incidents:
        deps[("incident", name)].add((f"i:{name}", EARLIEST, LATEST))
    for event_id in loose:
        deps[("event", event_id)].add((f"e:{event_id}", EARLIEST, LATEST))
    reader.refs(f"i:{name}" for name in incidents)
    reader.ids(loose)
    reader.close_metas()
    versions = _Versions(reader)
    own = _own(versions, wanted, loose)
    _links(reader, deps, incidents)
    _transfers(reader, deps, own)
    _completions(reader, deps, own)
    _units(reader, deps, own, policy)
    _contacts(reader, deps, own, policy)
    reader.close_metas()
    events = [reader.events[key] for key in sorted(reader.events)]
    nids = {event.id: nid for nid, event in reader.events.items()}
    return Gathered(events, reader.lines, deps, nids)


class _Versions:
    """Every version of each event read: as recorded, and as corrected (when it is)."""

    def __init__(self, reader: _Reader) -> None:
        ordered = [reader.events[key] for key in sorted(reader.events)]
        self.corrections = Corrections(ordered)
        self.events = ordered

    def of(self, event: LedgerEvent) -> list[LedgerEvent]:
        current = self.corrections.resolve(event.id)[0] if event.id in self.corrections else event
        return [event] if current is event else [event, current]


def _own(
    versions: _Versions, incidents: set[str], loose: Collection[str]
) -> dict[Owner, list[LedgerEvent]]:
    """Each owner's own events, every version of each."""
    own: dict[Owner, list[LedgerEvent]] = {("incident", name): [] for name in incidents}
    own.update({("event", event_id): [] for event_id in loose})
    for event in versions.events:
        for version in versions.of(event):
            for name in incidents_named(version):
                if name in incidents:
                    own[("incident", name)].append(version)
            if ("event", version.id) in own:
                own[("event", version.id)].append(version)
    return own


def _links(reader: _Reader, deps: dict[Owner, set[Dep]], incidents: Collection[str]) -> None:
    """Follow chains of links; each incident depends on every link end of its component."""
    seen, frontier = set(incidents), list(incidents)
    for _ in range(MAX_LINK_DEPTH):
        reader.refs(f"l:{name}" for name in frontier)
        frontier = []
        for event in list(reader.events.values()):
            for end in link_ends(event) or ():
                if end not in seen:
                    seen.add(end)
                    frontier.append(end)
        if not frontier:
            break
    components = _components(reader.events.values())
    for name in incidents:
        for member in components.get(name, {name}):
            deps[("incident", name)].add((f"l:{member}", EARLIEST, LATEST))


def _components(events: Iterable[LedgerEvent]) -> dict[str, set[str]]:
    """Each linked incident's component: every incident joined to it by a chain of links."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for event in events:
        ends = link_ends(event)
        if ends is not None:
            a, b = root(ends[0]), root(ends[1])
            if a != b:
                parent[a] = b
    groups: dict[str, set[str]] = {}
    for node in list(parent):
        groups.setdefault(root(node), set()).add(node)
    return {member: members for members in groups.values() for member in members}


def _transfers(
    reader: _Reader, deps: dict[Owner, set[Dep]], own: dict[Owner, list[LedgerEvent]]
) -> None:
    """Each end of a transfer between two incidents reads, and depends on, the other's events."""
    wanted: list[str] = []
    for owner, events in own.items():
        for event in events:
            if not isinstance(event, IncidentTransferred) or event.receiver is None:
                continue
            other = event.receiver if owner == ("incident", event.incident) else event.incident
            deps[owner].add((f"i:{other}", EARLIEST, LATEST))
            wanted.append(f"i:{other}")
    reader.refs(wanted)


def _completion_refs(event: LedgerEvent) -> list[str]:
    if isinstance(event, CallReceived | CallEnded):
        return [f"c:{event.call}"]
    if isinstance(event, RadioTransmission | RadioAcknowledged):
        return [f"t:{event.transmission}"]
    if isinstance(event, UnitDiverted) and event.via:
        return [f"t:{event.via}"]
    if isinstance(event, FollowUpPlanned | FollowUpDone):
        return [f"p:{event.plan}"]
    return []


def _completions(
    reader: _Reader, deps: dict[Owner, set[Dep]], own: dict[Owner, list[LedgerEvent]]
) -> None:
    wanted: list[str] = []
    for owner, events in own.items():
        for event in events:
            for ref in _completion_refs(event):
                deps[owner].add((ref, EARLIEST, LATEST))
                wanted.append(ref)
    reader.refs(wanted)


def _units(
    reader: _Reader,
    deps: dict[Owner, set[Dep]],
    own: dict[Owner, list[LedgerEvent]],
    policy: Policy,
) -> None:
    """Each unit of an incident from its first event there to its next move after its last."""
    spans: dict[tuple[Owner, str], tuple[int, int]] = {}
    for owner, events in own.items():
        if owner[0] != "incident":
            continue
        for event in events:
            unit = getattr(event, "unit", None)
            if isinstance(unit, str):
                moment = instant(event.at)
                first, last = spans.get((owner, unit), (moment, moment))
                spans[(owner, unit)] = (min(first, moment), max(last, moment))
    if not spans:
        return
    following = reader.backend.next_after(
        {(f"m:{unit}", last) for (_, unit), (_, last) in spans.items()}
    )
    margin = int(policy.ack_timeout.total_seconds() * 1_000_000)
    windows: dict[Dep, list[Owner]] = {}
    for (owner, unit), (first, last) in spans.items():
        upto = following.get((f"m:{unit}", last))
        window = (f"u:{unit}", first - margin, LATEST if upto is None else upto + margin)
        deps[owner].add(window)
        windows.setdefault(window, []).append(owner)
    reader.windows(windows)
    # A unit's messages in its window tell whether control knew it left: their
    # acknowledgements count too, whichever incident the messages were logged under.
    by_ref: dict[str, list[tuple[int, int, list[Owner]]]] = {}
    for (ref, lo, hi), owners in windows.items():
        by_ref.setdefault(ref, []).append((lo, hi, owners))
    acks: list[str] = []
    for event in list(reader.events.values()):
        if not isinstance(event, RadioTransmission):
            continue
        moment = instant(event.at)
        for unit in (event.from_, event.to):
            for lo, hi, owners in by_ref.get(f"u:{unit}", ()):
                if lo <= moment <= hi:
                    for owner in owners:
                        deps[owner].add((f"t:{event.transmission}", EARLIEST, LATEST))
                    acks.append(f"t:{event.transmission}")
    reader.refs(acks)


def _contacts(
    reader: _Reader,
    deps: dict[Owner, set[Dep]],
    own: dict[Owner, list[LedgerEvent]],
    policy: Policy,
) -> None:
    """Calls on the same number or address within the repeat window, and their markers."""
    reach = int(policy.repeat_window.total_seconds() * 1_000_000)
    windows: list[Dep] = []
    for owner, events in own.items():
        for event in events:
            if not isinstance(event, CallReceived):
                continue
            moment = instant(event.at)
            for key in _call_keys(event):
                for dep in (
                    (f"kc:{key}", moment - reach, moment + reach),
                    (f"km:{key}", EARLIEST, LATEST),
                ):
                    deps[owner].add(dep)
                    windows.append(dep)
    reader.windows(windows)


def _call_keys(call: CallReceived) -> list[str]:
    keys: list[str] = []
    if call.caller is not None and call.caller.phone:
        keys += contact_keys("phone", call.caller.phone)
    if call.location is not None and call.location.address:
        keys += contact_keys("premises", call.location.address)
    return keys
