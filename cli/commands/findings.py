"""`ledger findings [INCIDENT…]`: the gaps, each citing its evidence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import click

from cli.context import Settings, translate_errors
from cli.options import clock_options, make_view, policy_option
from cli.output import emit, format_option

SEVERITIES = ("info", "medium", "high")  # projections.analysis.findings.SEVERITIES


def at_least(severity: str, floor: str) -> bool:
    from projections.analysis.findings import at_least as compare

    return compare(severity, floor)


@click.command("findings")
@click.argument("incidents", nargs=-1, metavar="[INCIDENT…]")
@click.option("--incident", "more", multiple=True, metavar="REF", help="An incident (repeatable).")
@click.option("--code", "codes", multiple=True, help="Only findings with this code (repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when any finding is at or above this severity (for scripts and CI).",
)
@clock_options
@policy_option
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def findings_command(
    settings: Settings,
    incidents: tuple[str, ...],
    more: tuple[str, ...],
    codes: tuple[str, ...],
    fail_on: str | None,
    at: datetime | None,
    as_known_at: datetime | None,
    policy_file: str | None,
    fmt: str,
) -> None:
    """The findings of the named incidents, or of the whole ledger (findings.md)."""
    from projections import query

    view = make_view(at, as_known_at, policy_file)
    wanted = list(dict.fromkeys([*incidents, *more])) or None
    with settings.open() as ledger:
        if wanted:
            query.check_incidents(ledger, wanted)
        documents = query.finding_documents(ledger, view, wanted)
    if fmt == "json" and not codes and fail_on is None:
        click.echo("[" + ",\n".join(documents) + "]")  # already JSON: no need to parse
        return
    found = [json.loads(document) for document in documents]
    if codes:
        found = [f for f in found if f["code"] in codes]
    emit([_row(f) for f in found], fmt, records=found, empty="no findings")
    if fail_on is not None and any(at_least(f["severity"], fail_on) for f in found):
        raise SystemExit(1)


def _row(finding: dict[str, Any]) -> dict[str, str]:
    """A finding for people: the stretch with its duration in words."""
    start = datetime.fromisoformat(finding["start"])
    end = datetime.fromisoformat(finding["end"]) if finding["end"] else None
    span = f"{_local(start)} – {_local(end) if end else 'still open'}"
    if end is not None and end != start:
        span += f" ({_words(end - start)})"
    return {
        "incident": finding["incident"] or "—",
        "code": finding["code"],
        "severity": finding["severity"],
        "from – to": ("≈ " if finding["approximate"] else "") + span,
        "summary": finding["summary"],
    }


def _local(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def _words(delta: timedelta) -> str:
    from ledger.durations import describe

    return describe(delta)
