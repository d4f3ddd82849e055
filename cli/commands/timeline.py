"""`ledger timeline INCIDENT`: the incident's events in time order, with what each changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from cli.context import Settings, translate_errors
from cli.options import clock_options, make_view, policy_option
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
    view = make_view(at, as_known_at, policy_file)
    found = load_timeline(settings, incident, view)
    emit(found.rows, fmt, records=found.records, title=title, empty="no events")


def load_timeline(
    settings: Settings, incident: str, view: Any, *, with_states: bool = False
) -> Any:
    """The incident's timeline in the view (a `projections.query.Timeline`)."""
    from projections import query

    with settings.open() as ledger:
        query.check_incidents(ledger, [incident])
        return query.timeline(ledger, incident, view, with_states=with_states)


def _view_title(incident: str, at: datetime | None, as_known_at: datetime | None) -> str:
    if at is not None:
        return f"{incident} at {at.isoformat()}"
    if as_known_at is not None:
        return f"{incident} as known at {as_known_at.isoformat()}"
    return incident
