"""What the rules need beyond one incident's state: the ledger-wide, cross-incident facts.

Markers travel in each state (matched at its calls); everything else that crosses incidents
is here: every radio message and its first acknowledgement, each unit's messages, every call
by contact key (repeat contacts), the link graph, and which incident each event belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from ledger.contacts import call_keys
from ledger.events import (
    CallEnded,
    CallReceived,
    EventCorrected,
    EventRetracted,
    FollowUpDone,
    FollowUpPlanned,
    IncidentGraded,
    LedgerEvent,
    RadioAcknowledged,
    RadioTransmission,
    incidents_named,
    link_ends,
)
from ledger.instants import later
from projections.analysis.effective import Effective
from projections.analysis.policy import Policy
from projections.analysis.state import IncidentState


class LinkForest:
    """When two incidents became linked, directly or through others.

    Union by rank without path compression, each merge labelled with the link that made it:
    since links are added in time order, the latest label on the forest path between two
    incidents is the link that first connected them. A link is an `IncidentLinked`, or a
    transfer naming its receiving incident (`ledger.events.link_ends`).
    """

    def __init__(self, links: Iterable[LedgerEvent]) -> None:
        self._parent: dict[str, tuple[str, int, LedgerEvent]] = {}
        self._rank: dict[str, int] = {}
        for order, link in enumerate(links):
            ends = link_ends(link)
            if ends is not None:
                self._union(*ends, order, link)

    def _root(self, node: str) -> str:
        while node in self._parent:
            node = self._parent[node][0]
        return node

    def _union(self, a: str, b: str, order: int, link: LedgerEvent) -> None:
        root_a, root_b = self._root(a), self._root(b)
        if root_a == root_b:
            return
        if self._rank.get(root_a, 0) < self._rank.get(root_b, 0):
            root_a, root_b = root_b, root_a
        self._parent[root_b] = (root_a, order, link)
        if self._rank.get(root_a, 0) == self._rank.get(root_b, 0):
            self._rank[root_a] = self._rank.get(root_a, 0) + 1

    def connected_by(self, a: str, b: str) -> LedgerEvent | None:
        """The link that first connected `a` and `b`; None while they are not connected."""
        if a == b:
            return None
        latest_from_a: dict[str, tuple[int, LedgerEvent] | None] = {a: None}
        node, latest = a, None
        while node in self._parent:
            node, order, link = self._parent[node]
            latest = max(latest, (order, link), key=_order) if latest else (order, link)
            latest_from_a[node] = latest
        node, latest = b, None
        while node not in latest_from_a:
            if node not in self._parent:
                return None
            node, order, link = self._parent[node]
            latest = max(latest, (order, link), key=_order) if latest else (order, link)
        candidates = [x for x in (latest, latest_from_a[node]) if x is not None]
        return max(candidates, key=_order)[1] if candidates else None


def _order(item: tuple[int, LedgerEvent] | None) -> int:
    return item[0] if item is not None else -1


@dataclass(frozen=True)
class Context:
    effective: tuple[Effective, ...]
    states: Mapping[str, IncidentState]
    transmissions: Mapping[str, RadioTransmission]  # the first of each id
    acks: Mapping[str, RadioAcknowledged]  # the earliest acknowledgement of each id
    sent_by: Mapping[str, tuple[RadioTransmission, ...]]  # each sender's messages, in order
    calls_by_key: Mapping[str, tuple[Effective, ...]]  # CallReceived by contact key, in order
    calls_of: Mapping[str, tuple[Effective, ...]]  # CallReceived by incident, in order
    gradings_of: Mapping[str, tuple[IncidentGraded, ...]]  # by incident, in order
    by_home: Mapping[str | None, tuple[Effective, ...]]  # events by the incident they belong to
    links: LinkForest = field(default_factory=lambda: LinkForest(()))
    # Corrections and retractions, by the incident of the event they change (ruling 6).
    metas_by_home: Mapping[str | None, tuple[LedgerEvent, ...]] = field(default_factory=dict)

    @property
    def loose(self) -> tuple[Effective, ...]:
        """The events that belong to no incident (a call's end whose call is not in the
        ledger, a message about no incident, a marker, …)."""
        return self.by_home.get(None, ())

    def acknowledged_within(self, sent: RadioTransmission, within: timedelta) -> bool:
        """True when the message was acknowledged no later than `within` after it was sent."""
        ack = self.acks.get(sent.transmission)
        return ack is not None and ack.at <= later(sent.at, within)


def build_context(
    effective: Sequence[Effective],
    states: Mapping[str, IncidentState],
    policy: Policy,
    metas: Sequence[LedgerEvent] = (),
    recorded: Mapping[str, LedgerEvent] | None = None,
) -> Context:
    """The cross-incident facts of `effective`. `metas` are the corrections and retractions in
    view, `recorded` every event as recorded by id (to find what a meta-event changes)."""
    transmissions: dict[str, RadioTransmission] = {}
    acks: dict[str, RadioAcknowledged] = {}
    sent_by: dict[str, list[RadioTransmission]] = {}
    calls_by_key: dict[str, list[Effective]] = {}
    calls_of: dict[str, list[Effective]] = {}
    gradings_of: dict[str, list[IncidentGraded]] = {}
    homes: dict[tuple[str, str], str | None] = {}
    links: list[LedgerEvent] = []
    for item in effective:
        event = item.event
        if isinstance(event, RadioTransmission) and event.transmission not in transmissions:
            transmissions[event.transmission] = event
            sent_by.setdefault(event.from_, []).append(event)
            homes[("transmission", event.transmission)] = event.incident
        elif isinstance(event, RadioAcknowledged):
            acks.setdefault(event.transmission, event)
        elif isinstance(event, CallReceived):
            homes.setdefault(("call", event.call), event.incident)
            calls_of.setdefault(event.incident, []).append(item)
            for key in call_keys(event, policy.country_code):
                calls_by_key.setdefault(key, []).append(item)
        elif isinstance(event, FollowUpPlanned):
            homes.setdefault(("plan", event.plan), event.incident)
        elif isinstance(event, IncidentGraded):
            gradings_of.setdefault(event.incident, []).append(event)
        elif link_ends(event) is not None:
            links.append(event)
    by_home: dict[str | None, list[Effective]] = {}
    for item in effective:
        where = item.named[0] if item.named else home(item.event, homes)
        by_home.setdefault(where, []).append(item)
    metas_by_home: dict[str | None, list[LedgerEvent]] = {}
    for meta in metas:
        fact = fact_of(meta, recorded or {})
        where = home(fact, homes) if fact is not None else None
        metas_by_home.setdefault(where, []).append(meta)
    return Context(
        effective=tuple(effective),
        states=states,
        transmissions=transmissions,
        acks=acks,
        sent_by={unit: tuple(sent) for unit, sent in sent_by.items()},
        calls_by_key={key: tuple(calls) for key, calls in calls_by_key.items()},
        calls_of={incident: tuple(calls) for incident, calls in calls_of.items()},
        gradings_of={incident: tuple(found) for incident, found in gradings_of.items()},
        by_home={home: tuple(items) for home, items in by_home.items()},
        links=LinkForest(links),
        metas_by_home={where: tuple(found) for where, found in metas_by_home.items()},
    )


def home(event: LedgerEvent, homes: Mapping[tuple[str, str], str | None]) -> str | None:
    """The incident an event belongs to: the one it names first, or that of what it completes."""
    named = incidents_named(event)
    if named:
        return named[0]
    if isinstance(event, CallEnded):
        return homes.get(("call", event.call))
    if isinstance(event, RadioAcknowledged):
        return homes.get(("transmission", event.transmission))
    if isinstance(event, FollowUpDone):
        return homes.get(("plan", event.plan))
    return None


def fact_of(meta: LedgerEvent, recorded: Mapping[str, LedgerEvent]) -> LedgerEvent | None:
    """The recorded fact at the end of a correction's or retraction's chain of targets."""
    current: LedgerEvent | None = meta
    for _ in range(len(recorded) + 1):
        if isinstance(current, EventCorrected):
            current = recorded.get(current.corrects)
        elif isinstance(current, EventRetracted):
            current = recorded.get(current.retracts)
        else:
            return current
    return None  # a cycle of meta-events names no fact


def ordered_before(first: Effective, second: Effective) -> bool:
    """True when `first` comes before `second` in the ledger's order (at, then append)."""
    return (first.event.at, first.seq) < (second.event.at, second.seq)
