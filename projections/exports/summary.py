"""What every report says first: the header facts and one summary line per incident."""

from __future__ import annotations

from dataclasses import dataclass

from projections.exports.rows import IncidentReport, Report
from projections.exports.timefmt import local_text


@dataclass(frozen=True)
class Summary:
    incident: str
    first_call: str
    grade: str
    category: str
    status: str
    units: str
    high: int
    medium: int
    info: int
    events: int


def incident_summary(incident: IncidentReport, report: Report) -> Summary:
    state = incident.final
    first = state.first_call if state is not None else None
    severities = [view.finding.severity for view in incident.findings]
    units: list[str] = []
    if state is not None:
        units = list(dict.fromkeys(change.unit for change in state.unit_log))
    classification = state.classification if state is not None else None
    category = ""
    if classification is not None:
        domestic = " (domestic)" if classification.domestic else ""
        category = classification.category + domestic
    return Summary(
        incident=incident.incident,
        first_call=local_text(first.at, report.zone, approximate=first.approximate)
        if first is not None
        else "no call",
        grade=state.grade.grade if state is not None and state.grade is not None else "ungraded",
        category=category,
        status=state.status if state is not None else "no events at the clock",
        units=", ".join(units) or "none",
        high=severities.count("high"),
        medium=severities.count("medium"),
        info=severities.count("info"),
        events=len(incident.rows),
    )


def header_facts(report: Report) -> list[tuple[str, str]]:
    """(label, value) pairs: what was exported, from which ledger, under which rules."""
    names = ", ".join(i.incident for i in report.incidents) or "none"
    if report.clock is None:
        clock = "no events"
    else:
        when = local_text(report.clock, report.zone)
        clock = {
            "at": f"as things stood at {when}",
            "as known at": f"as known at {when} (only what had been recorded by then)",
        }.get(report.clock_kind, f"at the ledger's clock, {when}")
    facts = [
        ("Incidents", names),
        ("Ledger", f"{report.ledger_events} events; chain head {report.chain_head}"),
        ("Findings", f"{len(report.findings)}, evaluated {clock}"),
        ("Policy", f"{report.policy_name}; times in {report.zone}"),
        (
            "Redacted",
            "yes: names, phone numbers and addresses are pseudonyms" if report.redacted else "no",
        ),
    ]
    if report.generated_at is not None:
        facts.append(("Exported", report.generated_at))
    return facts
