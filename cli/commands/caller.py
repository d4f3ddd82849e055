"""`ledger caller PHONE|ADDRESS|NAME`: every contact from a phone, at an address or by a name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from cli.context import Settings, translate_errors
from cli.output import emit, format_option
from cli.viewing import Looking, ViewChoices, look, view_options

COLUMNS = ("time", "since last call", "incident", "what", "grade", "outcome")
# `--format csv`: instants as recorded and how exact they are, never display strings.
SHEET = (
    "kind",
    "at",
    "precision",
    "uncertainty",
    "event",
    "incident",
    "seconds_since_previous_call",
    "what",
    "grade",
    "status",
    "outcome",
)


@click.command("caller")
@click.argument("contact", metavar="PHONE|ADDRESS|NAME")
@click.option(
    "--kind",
    type=click.Choice(["phone", "address", "name"]),
    help="Read CONTACT as this; else as a phone when it looks like one, else as an address "
    "or a caller's name.",
)
@view_options()
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def caller_command(
    settings: Settings, contact: str, kind: str | None, choices: ViewChoices, fmt: str
) -> None:
    """Every call from a phone, at an address or by a name, and what came of it.

    Numbers and addresses match as stream.md says (digits, the country code folded; case and
    punctuation folded), on corrected values. In time order: each call with its incident,
    that incident's grade and outcome and the time since the previous call; every marker
    placed on or taken off the number or address; the findings of those incidents.
    """
    from cli.header import facts
    from projections import caller, query

    asked = caller.contact(contact, kind)  # type: ignore[arg-type]
    with settings.open() as ledger:
        looking = look(ledger, choices)
        records = caller.history(ledger, asked, looking.view)
        clock = query.clock(ledger, looking.view)
    code = looking.view.policy.country_code
    read_as = " or ".join(f"{k} {asked.folded(k, code)!r}" for k in asked.kinds)
    calls = sum(r["kind"] == "call" for r in records)
    incidents = len({r["incident"] for r in records if r["kind"] == "call"})
    header = [
        facts(looking, clock),
        f"matched as {read_as}: {calls} call{'s' * (calls != 1)}, "
        f"{incidents} incident{'s' * (incidents != 1)}",
    ]
    emit(
        [_row(r, looking) for r in records],
        fmt,
        columns=COLUMNS,
        records=records,
        sheet=[_sheet(r) for r in records],
        sheet_columns=SHEET,
        title=f"Contacts: {contact}",
        header=header,
        empty="no calls or markers match",
    )


def _row(record: dict[str, Any], looking: Looking) -> dict[str, str]:
    from cli.commands.timeline import when
    from ledger.durations import describe

    gap = record.get("seconds_since_previous_call")
    return {
        "time": ("≈ " if record.get("approximate") else "") + when(record, looking),
        "since last call": describe(timedelta(seconds=gap)) if gap is not None else "",
        "incident": record["incident"] or "",
        "what": _what(record),
        "grade": record.get("grade") or "",
        "outcome": _outcome(record),
    }


def _what(record: dict[str, Any]) -> str:
    kind = record["kind"]
    if kind == "marker":
        subject = record["subject"]
        reason = f": {record['reason']}" if record["reason"] else ""
        return (
            f"marker {record['marker']} {record['action']} on {subject['kind']} "
            f"{subject['key']}{reason}"
        )
    if kind == "finding":
        return f"finding {record['code']} ({record['severity']}): {record['summary']}"
    caller = record["caller"] or {}
    who = ", ".join(
        str(part)
        for part in (caller.get("name"), caller.get("relation"), caller.get("phone"))
        if part
    )
    text = f"{record['channel']} call {record['call']}"
    text += f" from {who}" if who else ""
    text += f" at {record['address']}" if record["address"] else ""
    if record["ended"] and record["ended"] != "completed":
        text += f"; {record['ended']}"
    return text


def _outcome(record: dict[str, Any]) -> str:
    if record["kind"] != "call":
        return ""
    if record["status"] == "closed":
        return str(record["outcome"] or "closed")
    return str(record["status"] or "")


def _sheet(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": record["kind"],
        "at": record["at"],
        "precision": record.get("precision"),
        "uncertainty": record.get("uncertainty"),
        "event": record.get("event") or " ".join(record.get("evidence", ())),
        "incident": record["incident"],
        "seconds_since_previous_call": record.get("seconds_since_previous_call"),
        "what": _what(record),
        "grade": record.get("grade"),
        "status": record.get("status"),
        "outcome": record.get("outcome"),
    }
