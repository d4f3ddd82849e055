"""What people see on a terminal: colour where it helps, and text that cannot attack them.

Colour marks severities and the `≈` of approximate times. It is on only where click finds a
terminal, and off when `NO_COLOR` is set (no-color.org) or the output is a pipe or a file.

Event text comes from whoever wrote the evidence. A control character or a bidirectional
override in it could retitle the terminal, write to the clipboard (OSC 52) or make a line read
backwards, so every text format for people (table, md, csv, replay) shows those characters
escaped as `\\u001b`; json and jsonl carry the text as recorded (JSON escapes what it must).
"""

from __future__ import annotations

import os
import re
from typing import Any

import click

# C0 controls but newline (cells keep their line breaks), DEL and C1 controls, the line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

SEVERITY_STYLES: dict[str, dict[str, Any]] = {
    "high": {"fg": "red", "bold": True},
    "medium": {"fg": "yellow"},
    "info": {"fg": "cyan"},
}
APPROXIMATE = "≈"


def escaped(text: str) -> str:
    """`text` with control and bidirectional characters written as `\\uXXXX`."""
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def colour() -> bool | None:
    """click's `color` argument: None lets click decide (a terminal or not); False when
    NO_COLOR is set to anything."""
    return False if os.environ.get("NO_COLOR") else None


def say(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Write text for people: colour codes kept only where colour is wanted."""
    click.echo(text, err=err, nl=nl, color=colour())


def paint(column: str, text: str) -> str:
    """A table cell's text with its colour: a severity, or the `≈` of an approximate time."""
    if column == "severity" and text in SEVERITY_STYLES:
        return click.style(text, **SEVERITY_STYLES[text])
    if APPROXIMATE in text:
        return text.replace(APPROXIMATE, click.style(APPROXIMATE, fg="magenta", bold=True))
    return text
