"""Small pieces the HTML and SVG writers share: escaping and anchors for event ids."""

from __future__ import annotations

import html
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def esc(text: object) -> str:
    """Text safe in HTML and SVG content and in double-quoted attributes."""
    return html.escape(str(text), quote=True)


def anchor(event_id: str) -> str:
    """`ev-mps-e05`: an id attribute (and fragment) for an event's row, whatever its id holds."""
    return "ev-" + _UNSAFE.sub(lambda m: f"~{ord(m.group(0)):x}~", event_id)


def slug(text: str) -> str:
    return _UNSAFE.sub("-", text)
