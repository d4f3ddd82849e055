"""`ledger timeline INCIDENT`: the incident's events in time order, with what each changed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from cli.context import Settings, translate_errors
from cli.options import clock_options, load_policy_option, make_clock, policy_option
from cli.output import emit, format_option


@click.command("timeline")
@click.argument("incident")
@clock_options
@policy_option
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def timeline_command(
    settings: Settings,
    incident: str,
    at: datetime | None,
    as_known_at: datetime | None,
    policy_file: str | None,
    fmt: str,
) -> None:
    """The incident's events in time order: when, who, what happened, what it changed.

    An event naming two incidents (a diversion, a link) appears in both. Corrected entries
    show the old value → the new one and who corrected it; retracted entries are left out.
    """
    title = _view_title(incident, at, as_known_at)
    if at is None and as_known_at is None and policy_file is None:
        # The default view is a read model: kept up to date, read without replaying.
        from projections.readmodels.stored import check_incidents, refresh, timeline_rows

        with settings.open() as ledger:
            refresh(ledger)
            check_incidents(ledger, [incident])
            stored = timeline_rows(ledger, incident)
        rows = [json.loads(row) for row, _ in stored]
        records = [json.loads(body) for _, body in stored]
    else:
        entries = load_timeline(settings, incident, at, as_known_at, policy_file)
        rows = [entry.row() for entry in entries]
        records = [entry.to_json() for entry in entries]
    emit(rows, fmt, records=records, title=title, empty="no events")


def load_timeline(
    settings: Settings,
    incident: str,
    at: datetime | None,
    as_known_at: datetime | None,
    policy_file: str | None,
) -> list[Any]:
    """Timeline entries computed for this view (any clock or policy), with their states."""
    from projections import query as views
    from projections.analysis.policy import DEFAULT_POLICY
    from projections.analysis.timeline import timeline

    policy = load_policy_option(policy_file) or DEFAULT_POLICY
    clock = make_clock(at, as_known_at)
    with settings.open() as ledger:
        views.refresh(ledger)
        views.check_incidents(ledger, [incident])
        events = views.events_of(ledger, [incident])
    return timeline(events, incident, policy, at=clock.at, as_known_at=clock.as_known_at)


def _view_title(incident: str, at: datetime | None, as_known_at: datetime | None) -> str:
    if at is not None:
        return f"{incident} at {at.isoformat()}"
    if as_known_at is not None:
        return f"{incident} as known at {as_known_at.isoformat()}"
    return incident
