"""`ledger findings [INCIDENT…]`: the gaps, each citing its evidence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import click

from cli import completion
from cli.context import Settings, translate_errors
from cli.output import FOR_PEOPLE, emit, format_option
from cli.style import say
from cli.viewing import ViewChoices, look, view_options
from cli.vocabulary import FINDING_CODE

SEVERITIES = ("info", "medium", "high")  # projections.analysis.findings.SEVERITIES
# The machine columns of `--format csv` (findings.md's fields, in its order).
SHEET = ("code", "incident", "severity", "start", "end", "approximate", "evidence", "summary")


def at_least(severity: str, floor: str) -> bool:
    from projections.analysis.findings import at_least as compare

    return compare(severity, floor)


@click.command("findings")
@click.argument("incidents", nargs=-1, metavar="[INCIDENT…]", shell_complete=completion.incidents)
@click.option(
    "--incident",
    "more",
    multiple=True,
    metavar="REF",
    shell_complete=completion.incidents,
    help="An incident (repeatable); the same as naming it as an argument.",
)
@click.option(
    "--code", "codes", multiple=True, type=FINDING_CODE, help="Only this code (repeatable)."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when any finding is at or above this severity (for scripts and CI).",
)
@view_options()
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def findings_command(
    settings: Settings,
    incidents: tuple[str, ...],
    more: tuple[str, ...],
    codes: tuple[str, ...],
    fail_on: str | None,
    choices: ViewChoices,
    fmt: str,
) -> None:
    """The findings of the named incidents, or of the whole ledger (docs/findings.md).

    The output first says the clock, the policy and the zone it used, and which findings are
    still waiting on a deadline after that clock (json, jsonl and csv: the clock line on
    standard error).
    """
    from cli.grades import ledger_grades, warn_unknown_grades
    from cli.header import facts, pending_line
    from projections import query

    wanted = list(dict.fromkeys([*incidents, *more])) or None
    with settings.open() as ledger:
        looking = look(ledger, choices)
        if wanted:
            query.check_incidents(ledger, wanted)
        documents = query.finding_documents(ledger, looking.view, wanted)
        clock = query.clock(ledger, looking.view)
        waiting = query.pending(ledger, looking.view, wanted) if fmt in FOR_PEOPLE else []
        grades = ledger_grades(ledger.backend)
    warn_unknown_grades(grades, looking.view.policy, looking.policy_name)
    header = [facts(looking, clock)]
    line = pending_line(waiting, looking, clock, incidents=wanted is None or len(wanted) > 1)
    if line is not None:
        header.append(line)
    if fmt == "json" and not codes and fail_on is None:
        say(header[0], err=True)
        click.echo("[" + ",\n".join(documents) + "]")  # already JSON: no need to parse
        return
    found = [json.loads(document) for document in documents]
    if codes:
        found = [f for f in found if f["code"] in codes]
    emit(
        [_row(f, looking.zone) for f in found],
        fmt,
        records=found,
        sheet=[_sheet(f) for f in found],
        sheet_columns=SHEET,
        header=header,
        empty="no findings",
    )
    if fail_on is not None and any(at_least(f["severity"], fail_on) for f in found):
        raise SystemExit(1)


def _row(finding: dict[str, Any], zone: Any) -> dict[str, str]:
    """A finding for people: the stretch in the display zone, with its duration in words."""
    from cli.times import minute_text

    start = datetime.fromisoformat(finding["start"])
    end = datetime.fromisoformat(finding["end"]) if finding["end"] else None
    span = f"{minute_text(start, zone)} – {minute_text(end, zone) if end else 'still open'}"
    if end is not None and end != start:
        span += f" ({_words(end - start)})"
    return {
        "incident": finding["incident"] or "—",
        "code": finding["code"],
        "severity": finding["severity"],
        "from – to": ("≈ " if finding["approximate"] else "") + span,
        "summary": finding["summary"],
    }


def _sheet(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding for a spreadsheet or a script: its fields as they are, ids space-separated."""
    return {
        **finding,
        "approximate": "true" if finding["approximate"] else "false",
        "evidence": " ".join(finding["evidence"]),
    }


def _words(delta: timedelta) -> str:
    from ledger.durations import describe

    return describe(delta)
