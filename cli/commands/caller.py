"""`ledger caller PHONE|ADDRESS|NAME`: every contact from a phone, at an address or by a name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from cli.context import Settings, translate_errors
from cli.output import emit, format_option
from cli.viewing import Looking, ViewChoices, look, view_options

COLUMNS = ("time", "since last call", "incident", "what", "grade", "outcome", "findings")
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
    "summary",
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

    Numbers and addresses match as docs/stream-format.md says (digits, the country code
    folded; case and punctuation folded), on corrected values. In time order: each call with
    its incident, that incident's grade and outcome and the time since the previous call;
    every marker placed on or taken off the number or address; the findings of those
    incidents.
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
        _rows(records, looking, asked.kinds),
        fmt,
        columns=COLUMNS,
        records=records,
        sheet=[_sheet(r) for r in records],
        sheet_columns=SHEET,
        title=f"Contacts: {contact}",
        header=header,
        empty="no calls or markers match",
    )


def _rows(
    records: list[dict[str, Any]], looking: Looking, asked: tuple[str, ...]
) -> list[dict[str, str]]:
    """For people: the calls and markers; each incident's findings counted by severity on the
    row of its first call here (`ledger findings INCIDENT` lists them)."""
    found: dict[str, list[str]] = {}
    for record in records:
        if record["kind"] == "finding":
            found.setdefault(record["incident"], []).append(record["severity"])
    rows = []
    for record in records:
        if record["kind"] == "finding":
            continue
        row = _row(record, looking, asked)
        severities = found.pop(record["incident"], []) if record["incident"] else []
        row["findings"] = ", ".join(
            f"{severities.count(s)} {s}" for s in ("high", "medium", "info") if s in severities
        )
        rows.append(row)
    return rows


def _row(record: dict[str, Any], looking: Looking, asked: tuple[str, ...]) -> dict[str, str]:
    from ledger.durations import describe

    gap = record.get("seconds_since_previous_call")
    return {
        "time": _time(record, looking),
        "since last call": describe(timedelta(seconds=gap)) if gap is not None else "",
        "incident": record["incident"] or "",
        "what": _what(record, asked),
        "grade": record.get("grade") or "",
        "outcome": _outcome(record),
    }


def _time(record: dict[str, Any], looking: Looking) -> str:
    """`2018-05-31 23:54` in the display zone (the header names it), `≈` when coarser than a
    minute."""
    from datetime import datetime

    from ledger.events import COARSE_PRECISIONS
    from ledger.instants import in_zone

    approximate = record.get("approximate") or record.get("precision") in COARSE_PRECISIONS
    local = in_zone(datetime.fromisoformat(record["at"]), looking.zone)
    return ("≈ " if approximate else "") + f"{local:%Y-%m-%d %H:%M}"


def _what(record: dict[str, Any], asked: tuple[str, ...] = ()) -> str:
    """The entry in words; a call names the caller and what was not asked for (the number
    when asked for an address, the address when asked for a number)."""
    kind = record["kind"]
    if kind == "marker":
        subject = record["subject"]
        return f"marker {record['marker']} {record['action']} ({subject['kind']})"
    if kind == "finding":
        return f"finding {record['code']} ({record['severity']})"
    caller = record["caller"] or {}
    who = caller.get("name") or "unnamed caller"
    who += f", {caller['relation']}" if caller.get("relation") else ""
    text = f"{record['channel']} call {record['call']}: {who}"
    if caller.get("phone") and "phone" not in asked:
        text += f", {caller['phone']}"
    if record["address"] and "address" not in asked:
        text += f" at {record['address']}"
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
        "summary": record.get("summary"),
        "grade": record.get("grade"),
        "status": record.get("status"),
        "outcome": record.get("outcome"),
    }
