"""`ledger findings [INCIDENT…]`: the gaps, each citing its evidence."""

from __future__ import annotations

from datetime import datetime

import click

from cli.context import Settings, translate_errors
from cli.options import clock_options, load_policy_option, make_clock, policy_option
from cli.output import emit, format_option

SEVERITIES = ("info", "medium", "high")


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
    from ledger.durations import describe
    from projections import views

    policy = load_policy_option(policy_file)
    clock = make_clock(at, as_known_at)
    wanted = list(dict.fromkeys([*incidents, *more])) or None
    with settings.open() as ledger:
        views.refresh(ledger)
        if wanted:
            views.check_incidents(ledger, wanted)
        found = views.findings(ledger, policy=policy, clock=clock, only=wanted)
    if codes:
        found = [f for f in found if f.code in codes]
    rows = []
    for f in found:
        span = f"{f.start.isoformat()} – {f.end.isoformat() if f.end else 'still open'}"
        if f.end is not None and f.end != f.start:
            span += f" ({describe(f.end - f.start)})"
        rows.append(
            {
                "incident": f.incident or "—",
                "code": f.code,
                "severity": f.severity,
                "from – to": ("≈ " if f.approximate else "") + span,
                "summary": f.summary,
            }
        )
    emit(rows, fmt, records=[f.to_json() for f in found], empty="no findings")
    if fail_on is not None:
        floor = SEVERITIES.index(fail_on)
        if any(SEVERITIES.index(f.severity) >= floor for f in found):
            raise SystemExit(1)
