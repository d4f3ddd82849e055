"""Text that cannot attack whoever reads an export: control and bidi characters shown as
escapes, and spreadsheet cells that cannot start a formula.

A terminal reading a csv or md export must not obey an OSC 52 clipboard write or an ESC
sequence hidden in a note, and a right-to-left override must not reorder what an auditor
reads: every C0/C1 control (but line feed), DEL, and every bidi control is written as
`\\u001b`. A reader sees that something was there, and which.
"""

from __future__ import annotations

import re

_HIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Cells a spreadsheet may read as a formula (issue 11, item 7): = + - @, tab, CR, after any
# spaces or no-break spaces; the full-width equals; a quote then =; a pipe (DDE).
_FORMULA = re.compile(r"^[ \u00a0]*[=+\-@\t\r\uff1d|]|^\"=")


def visible(text: str) -> str:
    """`text` with control and bidi characters escaped (`\\u001b`), line feeds kept."""
    return _HIDDEN.sub(_escape, text)


def visible_all(cells: list[str]) -> list[str]:
    """Each cell `visible` (one scan of the row when, as nearly always, there is nothing)."""
    if _HIDDEN.search("".join(cells)) is None:
        return cells
    return [visible(cell) for cell in cells]


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def defused(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe where it could be a formula."""
    return "'" + cell if _FORMULA.match(cell) else cell
