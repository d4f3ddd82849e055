"""A plain text table for people: columns fitted to the terminal, long cells wrapped.

Deliberately small and dependency-free: it is on the path of every read command, whose
start-up time matters more than box-drawing.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Sequence

GAP = "  "

Paint = Callable[[str, str], str]  # (column, text) -> the text with its colour codes


def _plain(column: str, text: str) -> str:
    return text


def render(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    width: int | None = None,
    paint: Paint = _plain,
) -> str:
    """The table as text; `paint` colours each cell's text after the columns are laid out, so
    colour codes never count towards a width."""
    width = width or shutil.get_terminal_size((160, 24)).columns
    natural = [
        max([len(h), *(max((len(p) for p in str(row[i]).split("\n")), default=0) for row in rows)])
        for i, h in enumerate(headers)
    ]
    widths = _fit(natural, [len(h) for h in headers], width - len(GAP) * (len(headers) - 1))
    lines = [GAP.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append(GAP.join("─" * w for w in widths))
    for row in rows:
        cells = [_wrap(str(cell), w) for cell, w in zip(row, widths, strict=True)]
        for depth in range(max(len(c) for c in cells)):
            parts = [c[depth] if depth < len(c) else "" for c in cells]
            laid = [
                paint(header, part) + " " * (w - len(part)) if part else " " * w
                for header, part, w in zip(headers, parts, widths, strict=True)
            ]
            lines.append(GAP.join(laid).rstrip())
    return "\n".join(lines)


def _fit(natural: list[int], minimum: list[int], room: int) -> list[int]:
    """Shrink the widest columns first until the table fits.

    Short columns (codes, times, call signs) keep their width as long as the long text
    columns can give way, down to 16 characters; only then does anything shrink towards its
    header's width.
    """
    widths = list(natural)
    passes = (
        [min(n, 30) for n in natural],
        [n if n <= 30 else 16 for n in natural],
        [max(m, 8) for m in minimum],
    )
    for floors in passes:
        while sum(widths) > room:
            shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent = paragraph[: len(paragraph) - len(paragraph.lstrip())]
        lines += textwrap.wrap(paragraph, width, subsequent_indent=indent) or [""]
    return lines
