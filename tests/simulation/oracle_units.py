"""Oracle: units leaving incidents (unresourced-after-diversion, diversion-unknown-to-control)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from simulator.policy import SimPolicy
from tests.simulation.oracle_view import E, View, at, earliest, first_from

Out = tuple[str, str | None, int, int | None, list[E | None], int]


def unit_findings(v: View, p: SimPolicy) -> Iterator[Out]:
    """Ruling 3: allocated, en route, arriving or diverted to an incident commits a unit and
    leaves any other; clearing, deallocation and the closing release it."""
    grace, timeout = p.reallocation_grace, p.ack_timeout
    committed: dict[str, set[str]] = defaultdict(set)  # incident -> units
    where: dict[str, set[str]] = defaultdict(set)  # unit -> incidents
    is_open: dict[str, bool] = defaultdict(lambda: True)
    pending: dict[str, tuple[int, list[E | None]]] = {}
    allocated: dict[tuple[str, str], E] = {}  # (incident, unit) -> its allocation, else 1st commit
    leaves: list[tuple[E, str, str, int]] = []  # (event, unit, incident left, at)
    control: dict[str, list[E]] = defaultdict(list)
    out: list[Out] = []

    def resolve(inc: str, ender: E) -> None:
        start, ev = pending.pop(inc)
        if ender.at - start > grace:
            code = "unresourced-after-diversion"
            out.append((code, inc, start, ender.at, [*ev, ender], start + grace + 1))

    def commit(inc: str, unit: str, ev: E) -> None:
        if (inc, unit) not in allocated or ev.type == "UnitAllocated":
            allocated[(inc, unit)] = ev
        committed[inc].add(unit)
        where[unit].add(inc)
        if inc in pending:
            resolve(inc, ev)

    def release(inc: str, unit: str) -> None:
        committed[inc].discard(unit)
        where[unit].discard(inc)

    def leave(inc: str, unit: str, ev: E) -> None:
        release(inc, unit)
        if not committed[inc] and is_open[inc]:
            pending[inc] = (ev.at, [ev, allocated[(inc, unit)]])

    for e in v.events:
        t = e.type
        if t in ("UnitAllocated", "UnitEnRoute", "UnitArrived"):
            inc, unit = e["incident"], e["unit"]
            for other in sorted(where[unit] - {inc}):
                leave(other, unit, e)
                leaves.append((e, unit, other, e.at))
            if t == "UnitAllocated":
                control[inc].append(e)
            commit(inc, unit, e)
        elif t == "UnitDiverted":
            src, dst, unit = e["from_incident"], e["to_incident"], e["unit"]
            if unit in committed[src]:
                leave(src, unit, e)
            if e["initiated_by"] == "unit":
                leaves.append((e, unit, src, e.at))
            else:
                control[src].append(e)
                control[dst].append(e)
            commit(dst, unit, e)
        elif t == "UnitDeallocated":
            control[e["incident"]].append(e)
            if e["unit"] in committed[e["incident"]]:
                leave(e["incident"], e["unit"], e)
        elif t == "UnitCleared":
            release(e["incident"], e["unit"])
        elif t == "IncidentClosed":
            inc = e["incident"]
            if inc in pending:
                resolve(inc, e)
            for unit in list(committed[inc]):
                release(inc, unit)
            is_open[inc] = False
        elif t == "IncidentReopened":
            is_open[e["incident"]] = True
    for inc, (start, ev) in pending.items():
        out.append(("unresourced-after-diversion", inc, start, None, ev, start + grace + 1))
    out.extend(_unknown(v, leaves, control, timeout))
    return iter(out)


def _unknown(v: View, leaves: list[tuple[E, str, str, int]], control: dict[str, list[E]],
             timeout: int) -> Iterator[Out]:  # fmt: skip
    txs = [e for e in v.events if e.type == "RadioTransmission"]
    by_id = {e["transmission"]: e for e in txs}
    by_unit: dict[str, list[E]] = defaultdict(list)
    for tx in txs:
        by_unit[tx["from"]].append(tx)
    acks: dict[str, int] = {}
    for e in v.events:
        if e.type == "RadioAcknowledged":
            acks.setdefault(e["transmission"], e.at)

    def heard(tx: E) -> bool:
        ack = acks.get(tx["transmission"])
        return ack is not None and ack <= tx.at + timeout

    for ev, unit, inc, left in leaves:
        compared: list[E] = []
        via = by_id.get(ev.get("via") or "")
        if via is not None:
            compared.append(via)
        compared += [tx for tx in by_unit[unit] if abs(tx.at - left) <= timeout and tx is not via]
        if any(heard(tx) for tx in compared):
            continue
        later = [c for c in control[inc] if c.at > left]
        end = earliest(later[0] if later else None, first_from(v.closes[inc], left))
        code = "diversion-unknown-to-control"
        settled = max([left, *(tx.at for tx in compared)]) + timeout
        yield (code, inc, left, at(end), [ev, *compared, end], settled + 1)
