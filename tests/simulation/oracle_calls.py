"""Oracle: calls compared across incidents (repeat contacts, markers)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from simulator.policy import SimPolicy
from tests.simulation.oracle_view import (
    E,
    View,
    at,
    earliest,
    first_from,
    fold_address,
    fold_phone,
)

Out = tuple[str, str | None, int, int | None, list[E | None], int]


def _keys(call: E, country: str) -> set[tuple[str, str]]:
    keys = set()
    phone = (call.get("caller") or {}).get("phone")
    address = (call.get("location") or {}).get("address")
    if phone:
        keys.add(("phone", fold_phone(phone, country)))
    if address:
        keys.add(("premises", fold_address(address)))
    return keys


def _subject(e: E, country: str) -> tuple[str, str]:
    kind, key = e["subject"]["kind"], e["subject"]["key"]
    folded = fold_phone(key, country) if kind == "phone" else fold_address(key)
    return kind, folded


def across(v: View, p: SimPolicy) -> Iterator[Out]:
    calls = [e for e in v.events if e.type == "CallReceived"]
    yield from _repeats(v, p, calls)
    yield from _markers(v, p, calls)


def _repeats(v: View, p: SimPolicy, calls: list[E]) -> Iterator[Out]:
    seen: dict[tuple[str, str], list[E]] = defaultdict(list)
    pairs: dict[tuple[str, str], tuple[E, E]] = {}
    for call in calls:
        matched: dict[str, E] = {}
        for key in _keys(call, p.country_code):
            for earlier in seen[key]:
                if (
                    earlier["incident"] != call["incident"]
                    and call.at - earlier.at <= p.repeat_window
                ):
                    matched.setdefault(earlier["incident"], earlier)
            seen[key].append(call)
        for other, earlier in matched.items():
            pairs.setdefault((call["incident"], other), (call, earlier))
    links = sorted((e for e in v.events if _ends(e)), key=lambda e: (e.at, e.i))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    joined: dict[tuple[str, str], E] = {}  # the link that first connected the pair
    for link in links:
        one, other = _ends(link)
        parent[find(one)] = find(other)
        for pair in pairs:
            if pair not in joined and find(pair[0]) == find(pair[1]):
                joined[pair] = link
    grace = p.triage_grace
    code = "repeat-contact-not-linked"
    for (inc, _other), (call, earlier) in pairs.items():
        t, linked = call.at, joined.get((inc, _other))
        if linked is not None and linked.at <= t + grace:
            continue
        close = first_from(v.closes[inc], t)
        if close is not None and close.at <= t + grace and (linked is None or close.at < linked.at):
            yield (code, inc, t, close.at, [call, earlier, close], close.at)
        else:
            end = earliest(linked, close)
            yield (code, inc, t, at(end), [call, earlier, end], t + grace + 1)


def _markers(v: View, p: SimPolicy, calls: list[E]) -> Iterator[Out]:
    minimum = dict(p.marker_min_grade)
    urgency = {code: n for n, code in enumerate(p.codes)}
    active: dict[tuple[str, str], dict[str, E]] = defaultdict(dict)  # subject -> marker -> added
    removed: dict[tuple[str, str], list[E]] = defaultdict(list)
    hits: dict[str, tuple[E, E, str]] = {}
    found: set[tuple[str, str]] = set()
    for e in v.events:
        if e.type == "MarkerAdded" and e["subject"]["kind"] != "person":
            active[_subject(e, p.country_code)][e["marker"]] = e
        elif e.type == "MarkerRemoved" and e["subject"]["kind"] != "person":
            active[_subject(e, p.country_code)].pop(e["marker"], None)
            removed[_subject(e, p.country_code)].append(e)
        elif e.type == "CallReceived":
            keys = _keys(e, p.country_code)
            for subject in keys:
                for marker, added in active.get(subject, {}).items():
                    if marker in minimum:
                        hits.setdefault(e["incident"], (e, added, minimum[marker]))
            for removal in (r for subject in keys for r in removed.get(subject, [])):
                fresh = (e["incident"], removal.id) not in found
                if e.at - removal.at <= p.marker_lookback and fresh:
                    found.add((e["incident"], removal.id))
                    yield ("marker-removed-before-call", e["incident"], removal.at, e.at,
                               [e, removal], e.at)  # fmt: skip
    for inc, (call, added, floor) in hits.items():
        grades = [g for g in v.by_incident[inc] if g.type == "IncidentGraded"]
        below = [g for g in grades if urgency[g["grade"]] > urgency[floor]]
        if not below:
            continue
        ups = [g for g in grades if g.at > below[0].at and urgency[g["grade"]] <= urgency[floor]]
        end = earliest(ups[0] if ups else None, first_from(v.closes[inc], below[0].at))
        yield ("marker-call-graded-below-policy", inc, below[0].at, at(end),
               [call, added, below[0], end], below[0].at)  # fmt: skip


def _ends(e: E) -> tuple[str, str] | None:
    """A link's two incidents; a transfer naming its receiving incident is a link too."""
    if e.type == "IncidentLinked":
        return e["incident"], e["linked"]
    if e.type == "IncidentTransferred" and e.get("to_incident"):
        return e["incident"], e["to_incident"]
    return None
