"""One output-format option and one emitter for every command that prints rows.

People get `table` (and `md`): the rows as they read best, under the lines saying what the
answer rests on (clock, policy, zone, pending deadlines). Scripts get `json`, `jsonl` and
`csv` on standard output with nothing else on it: ISO 8601 instants and `precision`, never
display strings; the facts line goes to standard error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from cli.style import escaped, paint, say

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "jsonl", "csv", "md")
FOR_PEOPLE = frozenset({"table", "md", "text"})


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """`--format`: table for people (the default), or a machine format on stdout alone."""
    names = choices or FORMATS
    people = " or ".join(name for name in names if name in FOR_PEOPLE)
    machine = ", ".join(name for name in names if name not in FOR_PEOPLE)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names),
        default=default,
        show_default=True,
        help=f"{people} for people; {machine} for scripts.",
    )


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    records: Sequence[dict[str, Any]] | None = None,
    title: str | None = None,
    empty: str = "nothing to show",
    header: Sequence[str] = (),
    sheet: Sequence[dict[str, Any]] | None = None,
    sheet_columns: Sequence[str] | None = None,
) -> None:
    """Write the answer in the chosen format.

    `rows` (in `columns`) are for people; `records` (default `rows`) are what json and jsonl
    carry; `sheet` (in `sheet_columns`, default `rows` and `columns`) is what csv carries.
    `header` lines go above a table or md for people, and the first of them to standard
    error with a machine format.
    """
    if fmt not in FOR_PEOPLE:
        if header:
            say(escaped(header[0]), err=True)
        if fmt == "json":
            click.echo(
                json.dumps(
                    list(records if records is not None else rows), ensure_ascii=False, indent=2
                )
            )
        elif fmt == "jsonl":
            for record in records if records is not None else rows:
                click.echo(json.dumps(record, ensure_ascii=False))
        else:
            chosen = sheet if sheet is not None else rows
            click.echo(_csv(chosen, sheet_columns or columns), nl=False)
        return
    if fmt == "md":
        click.echo(_markdown(rows, columns, title, header, empty))
        return
    _table(rows, columns, title, header)
    if not rows:
        say(empty, err=True)


def _columns(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    return list(columns) if columns else list(rows[0]) if rows else []


def cell(value: Any) -> str:
    """A value as text for people or a sheet: lists joined, None empty, unsafe characters
    escaped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return escaped(", ".join(str(item) for item in value))
    return escaped(str(value))


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = _columns(rows, columns)
    writer.writerow(names)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in names])
    return out.getvalue()


def _markdown(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None,
    title: str | None,
    header: Sequence[str],
    empty: str,
) -> str:
    names = _columns(rows, columns)
    lines = [f"## {escaped(title)}", ""] if title else []
    for line in header:
        lines += [escaped(line), ""]
    if not rows:
        return "\n".join([*lines, f"_{empty}_"])
    lines.append("| " + " | ".join(names) + " |")
    lines.append("|" + "|".join("---" for _ in names) + "|")
    for row in rows:
        cells = [cell(row.get(name)).replace("|", "\\|").replace("\n", "<br>") for name in names]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def heading(title: str | None, header: Sequence[str]) -> None:
    """The title and header lines above an answer for people, then a blank line."""
    for line in [*([title] if title else []), *header]:
        say(_fitted(escaped(line)))
    if title or header:
        say()


def _fitted(line: str) -> str:
    """A header line wrapped to the terminal, continued lines indented."""
    import shutil
    import textwrap

    width = shutil.get_terminal_size((160, 24)).columns
    return textwrap.fill(line, width, subsequent_indent="  ", break_on_hyphens=False)


def _table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None,
    title: str | None,
    header: Sequence[str],
) -> None:
    from cli.table import render

    names = _columns(rows, columns)
    heading(title, header)
    if not rows:
        return
    say(render([[cell(row.get(name)) for name in names] for row in rows], names, paint=paint))
