"""One output-format option and one emitter for every command that prints rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "jsonl", "csv", "md")


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """`--format`: table for people (the default), or a machine format on stdout alone."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or FORMATS),
        default=default,
        show_default=True,
        help="table for people; json, jsonl, csv (and md) for scripts.",
    )


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    records: Sequence[dict[str, Any]] | None = None,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    """Write rows in the chosen format. `records` (default `rows`) are what json/jsonl carry."""
    data = list(records if records is not None else rows)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for record in data:
            click.echo(json.dumps(record, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(rows, columns), nl=False)
    elif fmt == "md":
        click.echo(_markdown(rows, columns, title))
    elif not rows:
        click.echo(empty, err=True)
    else:
        _table(rows, columns, title)


def _columns(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    return list(columns) if columns else list(rows[0]) if rows else []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = _columns(rows, columns)
    writer.writerow(names)
    for row in rows:
        writer.writerow([_text(row.get(name)) for name in names])
    return out.getvalue()


def _markdown(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None, title: str | None
) -> str:
    names = _columns(rows, columns)
    lines = [f"## {title}", ""] if title else []
    lines.append("| " + " | ".join(names) + " |")
    lines.append("|" + "|".join("---" for _ in names) + "|")
    for row in rows:
        cells = [_text(row.get(name)).replace("|", "\\|").replace("\n", "<br>") for name in names]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None, title: str | None
) -> None:
    from cli.table import render

    names = _columns(rows, columns)
    if title:
        click.echo(title)
        click.echo()
    click.echo(render([[_text(row.get(name)) for name in names] for row in rows], names))
