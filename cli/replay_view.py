"""A replay step for people (`screen`) and for scripts (`step_record`).

The panel shows the incident as it stands after the step: status, grade, calls, units
(● committed, ○ not), radio awaiting acknowledgement, follow-ups and markers, then the
findings that opened or closed at the step and the deadlines still running.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cli.style import escaped, paint
from cli.times import instant_text, shown

if TYPE_CHECKING:
    from cli.viewing import Looking
    from projections.analysis.findings import Finding, Pending
    from projections.analysis.state import IncidentState
    from projections.replay import Step


def screen(steps: list[Step], index: int, looking: Looking) -> str:
    """One step: the clock, the event or deadline, what changed, the findings, the panel."""
    step = steps[index]
    lines = [f"step {index + 1}/{len(steps)}   clock {paint('time', _clock(step, looking))}"]
    if step.entry is not None:
        lines.append(escaped(f"  {step.entry.event.by or '—'}: {step.entry.what}"))
        if step.entry.change:
            lines.append(escaped(f"  → {step.entry.change}"))
    else:
        passing = "; ".join(dict.fromkeys(item.what for item in step.deadlines))
        lines.append(escaped(f"  the clock passes a deadline: {passing}"))
    lines += [f"  finding opens   {_finding(f)}" for f in step.opened]
    lines += [f"  finding closes  {_finding(f)}" for f in step.closed]
    lines += [f"  no longer found {_finding(f)}" for f in step.withdrawn]
    lines.append("")
    lines += [escaped(line) for line in panel(step.state, step.pending, looking)]
    return "\n".join(lines)


def _clock(step: Step, looking: Looking) -> str:
    if step.entry is not None:
        event = step.entry.event
        return shown(event.at, looking.zone, event.precision, event.uncertainty)
    return instant_text(step.clock, looking.zone)


def _finding(finding: Finding) -> str:
    """`high    code: summary`, the severity in its colour (colour is added after escaping)."""
    gap = " " * (8 - len(finding.severity))
    return f"{paint('severity', finding.severity)}{gap}{escaped(finding.code)}: " + escaped(
        finding.summary
    )


def panel(state: IncidentState, pending: tuple[Pending, ...], looking: Looking) -> list[str]:
    """The incident as it stands: status, grade, calls, units, radio, follow-ups, markers,
    and the deadlines still running."""
    grade = state.grade
    grades = " → ".join(g.grade for g in state.grades) or "not graded"
    lines = [
        f"  incident {state.incident}: {state.status}",
        f"  grade    {grades}"
        + (f" (target {_words(grade.target)})" if grade and grade.target else ""),
    ]
    for call in state.calls:
        ended = call.how or "no end recorded"
        lines.append(f"  call     {call.call} ({call.received.channel}) {ended}")
    committed = state.committed
    for unit, unit_state in sorted(state.units.items()):
        mark = "●" if unit in committed else "○"
        lines.append(f"  unit     {mark} {unit}: {unit_state.status}")
    if not committed:
        lines.append("  units    none committed")
    for name, transmission in sorted(state.transmissions.items()):
        lines.append(
            f"  radio    {name} {transmission.sent.from_} → {transmission.sent.to}: "
            f"{_acknowledged(transmission)}"
        )
    for plan, follow_up in sorted(state.follow_ups.items()):
        due = instant_text(follow_up.planned.due, looking.zone)
        done = "done" if follow_up.done is not None else f"due {due}"
        lines.append(f"  follow   {plan}: {follow_up.planned.action} ({done})")
    for marker, key, active in markers(state):
        lines.append(f"  marker   {marker} on {key}: {'active' if active else 'removed'}")
    for item in pending:
        lines.append(f"  pending  {item.what} {instant_text(item.deadline, looking.zone)}")
    return lines


def markers(state: IncidentState) -> list[tuple[str, str, bool]]:
    """Each marker once, however many of the incident's calls matched it: (marker, subject
    key, active)."""
    seen: dict[tuple[str, str], bool] = {}
    for match in state.markers:
        seen[(match.record.marker, match.record.key)] = match.record.active
    return [(marker, key, active) for (marker, key), active in seen.items()]


def _acknowledged(transmission: Any) -> str:
    if not transmission.sent.ack_required:
        return "no ack needed"
    return "acknowledged" if transmission.ack is not None else "NOT acknowledged"


def _words(delta: timedelta) -> str:
    from ledger.durations import describe

    return describe(delta)


def step_record(steps: list[Step], index: int) -> dict[str, Any]:
    """A step for scripts (`--format jsonl`): ISO instants as recorded, no display strings."""
    step = steps[index]
    entry = step.entry
    return {
        "step": index + 1,
        "of": len(steps),
        "clock": _iso(step.clock),
        "kind": "event" if entry is not None else "deadline",
        "event": entry.to_json() if entry is not None else None,
        "what": entry.what if entry is not None else "",
        "change": entry.change if entry is not None else "",
        "deadlines": [item.to_json() for item in step.deadlines],
        "findings_opened": [f.to_json() for f in step.opened],
        "findings_closed": [f.to_json() for f in step.closed],
        "findings_withdrawn": [f.to_json() for f in step.withdrawn],
        "state": state_record(step.state),
        "pending": [p.to_json() for p in step.pending],
    }


def state_record(state: IncidentState) -> dict[str, Any]:
    grade = state.grade
    committed = state.committed
    return {
        "incident": state.incident,
        "status": state.status,
        "grades": [g.grade for g in state.grades],
        "target": _iso_duration(grade.target) if grade and grade.target else None,
        "calls": [
            {"call": c.call, "channel": c.received.channel, "ended": c.how} for c in state.calls
        ],
        "units": [
            {"unit": unit, "status": s.status, "committed": unit in committed}
            for unit, s in sorted(state.units.items())
        ],
        "radio": [
            {
                "transmission": name,
                "from": t.sent.from_,
                "to": t.sent.to,
                "ack_required": t.sent.ack_required,
                "acknowledged": t.ack is not None,
            }
            for name, t in sorted(state.transmissions.items())
        ],
        "follow_ups": [
            {
                "plan": plan,
                "action": f.planned.action,
                "due": _iso(f.planned.due),
                "done": f.done is not None,
            }
            for plan, f in sorted(state.follow_ups.items())
        ],
        "markers": [
            {"marker": marker, "subject": key, "active": active}
            for marker, key, active in markers(state)
        ],
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _iso_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")
