"""What the commands and the exports ask of the read side, however they ask it.

One function per question: `incidents`, `timeline`, `findings`, `pending`, `unit_events`,
`clock`. Each decides for itself where the answer comes from: the stored read models when
the view is the one they keep (the built-in policy at the ledger's own clock) and they are up
to date, else the one pipeline run on the spot over the owners' events, a chunk at a time.
Both give the same answer (findings.md ruling 1): the stored rows are a cache of the same
function.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import StoreError, UsageError
from ledger.store.ledger import Ledger
from ledger.store.micros import EARLIEST, LATEST
from projections.analysis.findings import Finding, Pending
from projections.analysis.view import DEFAULT_VIEW, View
from projections.readmodels import runner, stored
from projections.readmodels.stored import IncidentRow

if TYPE_CHECKING:  # computed views load the pipeline; stored ones never need it
    from ledger.events import LedgerEvent
    from projections.analysis.compute import Analysis
    from projections.analysis.effective import Effective
    from projections.analysis.timeline import Entry
    from projections.gather import Gathered
    from projections.replay import Step

CHUNK = 300

__all__ = [
    "IncidentRow",
    "Timeline",
    "View",
    "analysed",
    "check_incidents",
    "check_unit",
    "clock",
    "finding_documents",
    "findings",
    "incidents",
    "pending",
    "replay",
    "timeline",
    "unit_events",
]


def _stored(ledger: Ledger, view: View) -> bool:
    """True when the answer can be read from the read models (brought up to date first)."""
    return view.default and runner.refresh(ledger)


def clock(ledger: Ledger, view: View = DEFAULT_VIEW) -> datetime | None:
    """The clock a view is evaluated at: `at`, `as_known_at`, or the ledger's own."""
    return view.clock(runner.ledger_clock(ledger.backend))


def check_incidents(ledger: Ledger, wanted: Sequence[str]) -> None:
    """UsageError naming the closest known references for any incident the ledger lacks."""
    backend = ledger.backend
    found = backend.filed([f"i:{name}" for name in wanted])
    missing = [name for name in wanted if f"i:{name}" not in found]
    if missing:  # only now read every reference, to suggest the closest
        known = backend.named_in_order("i:", backend.top())
        raise UsageError(_unknown("incident", missing[0], known))


def check_unit(ledger: Ledger, unit: str) -> None:
    backend = ledger.backend
    if not backend.filed([f"u:{unit}"]):
        known = backend.named_in_order("u:", backend.top())
        raise UsageError(_unknown("unit", unit, known))


def _unknown(kind: str, name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if not close:
        lowered = name.casefold()
        close = sorted(k for k in known if lowered in k.casefold())[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {kind} {name!r} in the ledger{hint}"


def _raise_errors(ledger: Ledger, only: Collection[str] | None) -> None:
    broken = stored.errors(ledger, only)
    if broken:
        kind, owner, error = broken[0]
        what = f"incident {owner!r}" if kind == "incident" else f"event {owner!r}"
        raise StoreError(
            f"{what} cannot be computed ({error}); the other views are intact. Find the event "
            "at fault with `ledger timeline` or `ledger export --incident`, and retract or "
            "correct it (EventRetracted / EventCorrected), then run `ledger rebuild`"
        )


def analysed(
    ledger: Ledger, view: View, incidents: Sequence[str] | None
) -> Iterator[tuple[Analysis, Gathered]]:
    """The pipeline over `incidents` (None: every incident, then every loose event), a chunk
    at a time, with the events each chunk rests on: memory stays flat in the ledger's size."""
    from projections.analysis.compute import analyse
    from projections.gather import gather

    backend = ledger.backend
    now = clock(ledger, view)
    if now is None:
        return
    top = backend.top()
    names = list(incidents) if incidents is not None else backend.named_in_order("i:", top)
    placed: set[str] = set()
    cache: dict[int, LedgerEvent] = {}
    for start in range(0, len(names), CHUNK):
        chunk = names[start : start + CHUNK]
        found = gather(backend, chunk, policy=view.policy, cache=cache)
        result = analyse(found.events, incidents=chunk, view=view, clock=now, lines=found.lines)
        placed.update(result.placed)
        yield result, found
    if incidents is not None:
        return
    candidates = dict(backend.ids_under("x:", 0, top))  # a meta-event is filed under x: twice
    loose = [i for i in candidates.values() if i not in placed]
    for start in range(0, len(loose), CHUNK):
        chunk = loose[start : start + CHUNK]
        found = gather(backend, [], chunk, policy=view.policy, cache=cache)
        yield analyse(found.events, incidents=[], loose=chunk, view=view, clock=now), found


def findings(
    ledger: Ledger, view: View = DEFAULT_VIEW, only: Collection[str] | None = None
) -> list[Finding]:
    """Findings of the named incidents, or of the whole ledger (those of no incident too),
    sorted as findings.md says."""
    if _stored(ledger, view):
        _raise_errors(ledger, only)
        bodies = stored.finding_bodies(ledger, only)
        return [Finding.from_json(json.loads(body)) for body in bodies]
    found = [f for result, _ in analysed(ledger, view, _list(only)) for f in result.findings()]
    return sorted(found, key=Finding.sort_key)


def finding_documents(
    ledger: Ledger, view: View = DEFAULT_VIEW, only: Collection[str] | None = None
) -> list[str]:
    """`findings` as JSON texts (the stored ones as they are: nothing parsed on the hot path)."""
    if _stored(ledger, view):
        _raise_errors(ledger, only)
        return stored.finding_bodies(ledger, only)
    return [json.dumps(f.to_json(), ensure_ascii=False) for f in findings(ledger, view, only)]


def pending(
    ledger: Ledger, view: View = DEFAULT_VIEW, only: Collection[str] | None = None
) -> list[Pending]:
    """Deadlines still running at the view's clock: findings that may yet appear."""
    if _stored(ledger, view):
        bodies = stored.pending_bodies(ledger, only)
        return [_pending(json.loads(body)) for body in bodies]
    waiting = [p for result, _ in analysed(ledger, view, _list(only)) for p in result.pending()]
    return sorted(waiting, key=lambda p: (p.deadline, p.incident or "", p.code))


def _pending(body: dict[str, Any]) -> Pending:
    return Pending(
        body["code"],
        body["incident"],
        datetime.fromisoformat(body["deadline"]),
        body["what"],
        body["event"],
    )


def _list(only: Collection[str] | None) -> list[str] | None:
    return None if only is None else list(dict.fromkeys(only))


def incidents(
    ledger: Ledger,
    view: View = DEFAULT_VIEW,
    *,
    open_only: bool = False,
    grade: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
) -> list[IncidentRow]:
    """One row per incident, by first call time, as it stands in the view."""
    if _stored(ledger, view):
        return stored.incident_rows(
            ledger, open_only=open_only, grade=grade, since=since, until=until, unit=unit
        )
    rows: list[IncidentRow] = []
    for result, _ in analysed(ledger, view, None):
        for name, seen in result.incidents.items():
            state = seen.state
            first = state.first_call
            units = sorted({entry.unit for entry in state.unit_log})
            if open_only and state.status == "closed":
                continue
            if grade is not None and (state.grade is None or state.grade.grade != grade):
                continue
            if since is not None and (first is None or first.at < since):
                continue
            if until is not None and (first is None or first.at > until):
                continue
            if unit is not None and unit not in units:
                continue
            rows.append(
                IncidentRow(
                    name,
                    first.at.isoformat() if first else None,
                    state.grade.grade if state.grade else None,
                    state.status,
                    len(state.events),
                    len(state.calls),
                    tuple(units),
                    len(seen.findings),
                )
            )
    return sorted(rows, key=_first_call_order)


def _first_call_order(row: IncidentRow) -> tuple[bool, datetime | None, str]:
    first = datetime.fromisoformat(row.first_call) if row.first_call else None
    return (first is None, first, row.incident)


@dataclass(frozen=True)
class Timeline:
    """An incident's timeline: each entry for people, and the event as imported (JSON);
    `entries` (with the state after each) when it was computed rather than read."""

    rows: list[dict[str, str]]
    records: list[dict[str, Any]]
    entries: list[Entry] | None


def timeline(
    ledger: Ledger, incident: str, view: View = DEFAULT_VIEW, *, with_states: bool = False
) -> Timeline:
    """The incident's timeline in the view (findings.md ruling 10 says what it holds)."""
    if not with_states and _stored(ledger, view):
        _raise_errors(ledger, [incident])
        pairs = stored.timeline_rows(ledger, incident)
        return Timeline(
            [json.loads(row) for row, _ in pairs], [json.loads(body) for _, body in pairs], None
        )
    entries: list[Entry] = []
    for result, _ in analysed(ledger, view, [incident]):
        seen = result.incidents.get(incident)
        entries = seen.timeline if seen is not None else []
    return Timeline([e.row() for e in entries], [e.to_json() for e in entries], entries)


def replay(ledger: Ledger, incident: str, view: View = DEFAULT_VIEW) -> list[Step]:
    """The incident step by step up to the view's clock: each event with the state it leaves,
    and each deadline the clock passes, with the findings that open and close at each."""
    from projections.replay import steps

    now = clock(ledger, view)
    for _, found in analysed(ledger, view, [incident]):
        assert now is not None  # analysed yields nothing for a ledger without a clock
        return steps(found.events, found.lines, incident, view, now)
    return []


def unit_events(ledger: Ledger, unit: str, view: View = DEFAULT_VIEW) -> list[Effective]:
    """Every event naming the unit (its movements and radio messages), corrections applied,
    in the view's time order."""
    from ledger.store.ledger import decode_all
    from projections.analysis.effective import effective_events

    backend = ledger.backend
    lines = {
        line.notification_id: line for line in backend.by_windows([(f"u:{unit}", EARLIEST, LATEST)])
    }
    metas = backend.by_refs([f"e:{line.event_id}" for line in lines.values()])
    lines.update((line.notification_id, line) for line in metas)
    events = decode_all(lines[nid] for nid in sorted(lines))  # append order: corrections need it
    return [
        item
        for item in effective_events(events, at=view.at, as_known_at=view.as_known_at)
        if _names_unit(item.event, unit)
    ]


def _names_unit(event: LedgerEvent, unit: str) -> bool:
    fields = event.__dict__
    return any(fields.get(name) == unit for name in ("unit", "from_", "to"))
